// Example: verify a custom module's gradients with gradcheck, and watch it catch a wrong one. Run: pnpm example:gradcheck

import { customVjp, type GradcheckReport, gradcheck, type Tensor } from "@tapegrad/autograd";
import { CrossEntropyLoss, functionalCall, type Module } from "@tapegrad/nn";
import { makeRings } from "../data/rings.js";
import { TwoBranchNet } from "../models/two-branch-net.js";
import { runIfMain } from "./run-if-main.js";

/**
 * Gradchecks `loss(model(...inputs))` with respect to every parameter of `model`: the analytic gradient
 * from `backward` against central differences, entry by entry, in float64 (build the model in float64).
 * nn's `functionalCall` makes the model a function of its parameters for `gradcheck`.
 * @example
 * ```ts
 * import { checkModuleGradients } from "@tapegrad/examples";
 * import { Linear } from "@tapegrad/nn";
 * import { ones } from "@tapegrad/autograd";
 * const layer = new Linear(3, 2, { dtype: "float64" });
 * const report = checkModuleGradients(layer, [ones([4, 3], { dtype: "float64" })], (y) => y.tanh().sum());
 * console.log(report.ok, report.checked); // true 8
 * ```
 * @category Examples
 */
export function checkModuleGradients(
  model: Module,
  inputs: readonly Tensor[],
  loss: (output: Tensor) => Tensor,
): GradcheckReport {
  const names = model.namedParameters().map(([name]) => name);
  const asFunction = (...params: Tensor[]): Tensor => {
    const named = Object.fromEntries(names.map((n, i) => [n, params[i] as Tensor]));
    return loss(functionalCall(model, named, ...inputs) as Tensor);
  };
  return gradcheck(
    asFunction,
    model.parameters().map((p) => p.detach()),
    { eps: 1e-6, atol: 1e-7, rtol: 1e-5 },
  );
}

/** tanh whose hand-written gradient forgets the `1 − tanh²` factor: the kind of bug gradcheck finds. */
const buggyTanh = customVjp(
  (x: Tensor) => x.tanh(),
  ({ g }) => [g],
);

/**
 * A {@link TwoBranchNet} whose head output goes through `buggyTanh`, a tanh with a wrong custom gradient.
 * It trains badly without any error; only a gradient check reveals the bug.
 * @example
 * ```ts
 * import { BuggyTwoBranchNet, checkModuleGradients } from "@tapegrad/examples";
 * import { ones } from "@tapegrad/autograd";
 * const net = new BuggyTwoBranchNet({ hidden: 2, dtype: "float64" });
 * console.log(checkModuleGradients(net, [ones([3, 2], { dtype: "float64" })], (y) => y.sum()).ok); // false
 * ```
 * @category Examples
 */
export class BuggyTwoBranchNet extends TwoBranchNet {
  override forward(x: Tensor): Tensor {
    return buggyTanh(super.forward(x));
  }
}

/**
 * Runs both checks of the example on 8 rings points with a small network (hidden width 3, 39 parameters):
 * the correct module passes, the buggy one fails.
 * @example
 * ```ts
 * import { runGradientCheckExample } from "@tapegrad/examples";
 * const { correct, buggy } = runGradientCheckExample();
 * console.log(correct.ok, buggy.ok); // true false
 * ```
 * @category Examples
 */
export function runGradientCheckExample(): { correct: GradcheckReport; buggy: GradcheckReport } {
  const { points, labels } = makeRings(8, { seed: 5, dtype: "float64" });
  const lossFn = new CrossEntropyLoss();
  const loss = (logits: Tensor): Tensor => lossFn.call(logits, labels);
  return {
    correct: checkModuleGradients(new TwoBranchNet({ hidden: 3, dtype: "float64", seed: 1 }), [points], loss),
    buggy: checkModuleGradients(
      new BuggyTwoBranchNet({ hidden: 3, dtype: "float64", seed: 1 }),
      [points],
      loss,
    ),
  };
}

runIfMain(import.meta.url, () => {
  const { correct, buggy } = runGradientCheckExample();
  console.log("TwoBranchNet, cross-entropy loss with respect to all 39 parameters:");
  console.log(correct.toString());
  console.log("\nthe same network with a hand-written tanh gradient that forgets 1 - tanh^2:");
  console.log(buggy.toString());
  process.exitCode = correct.ok && !buggy.ok ? 0 : 1;
});
