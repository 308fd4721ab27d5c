// Example: train a user-defined two-branch Module on rings data it makes. Run: pnpm example:two-branch

import { noGrad } from "@tapegrad/autograd";
import { Adam, accuracy, CrossEntropyLoss } from "@tapegrad/nn";
import { makeRings } from "../data/rings.js";
import { TwoBranchNet } from "../models/two-branch-net.js";
import { runIfMain } from "./run-if-main.js";

/**
 * The outcome of {@link trainTwoBranch}.
 *
 * @example
 * ```ts
 * import { trainTwoBranch, type TwoBranchRun } from "@tapegrad/examples";
 * const run: TwoBranchRun = trainTwoBranch({ steps: 5 });
 * console.log(run.losses.length); // 5
 * ```
 * @category Examples
 */
export interface TwoBranchRun {
  readonly model: TwoBranchNet;
  /** Training loss at every step, before that step's update. */
  readonly losses: readonly number[];
  /** Accuracy on 500 fresh points after training. */
  readonly testAccuracy: number;
}

/**
 * Trains a {@link TwoBranchNet} with Adam and softmax cross-entropy on 400 rings points (full batch),
 * then measures accuracy on 500 new points.
 * @example
 * ```ts
 * import { trainTwoBranch } from "@tapegrad/examples";
 * const { testAccuracy } = trainTwoBranch({ steps: 300 });
 * console.log(testAccuracy > 0.95); // true
 * ```
 * @category Examples
 */
export function trainTwoBranch(
  options: { steps?: number; seed?: number; log?: (line: string) => void } = {},
): TwoBranchRun {
  const steps = options.steps ?? 300;
  const seed = options.seed ?? 0;
  const train = makeRings(400, { seed });
  const test = makeRings(500, { seed: seed + 1 });
  const model = new TwoBranchNet({ seed });
  const lossFn = new CrossEntropyLoss();
  const optimizer = new Adam(model.parameters(), { lr: 0.03 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    const loss = lossFn.call(model.call(train.points), train.labels);
    losses.push(loss.item());
    loss.backward();
    optimizer.step();
    if (step % 50 === 0 || step === steps - 1)
      options.log?.(`step ${String(step).padStart(3)}  loss ${loss.item().toFixed(4)}`);
  }
  model.eval();
  const testAccuracy = noGrad(() => accuracy(model.call(test.points), test.labels));
  return { model, losses, testAccuracy };
}

runIfMain(import.meta.url, () => {
  const run = trainTwoBranch({ log: (line) => console.log(line) });
  console.log(run.model.toString());
  console.log(`test accuracy on 500 new points: ${(run.testAccuracy * 100).toFixed(1)}%`);
});
