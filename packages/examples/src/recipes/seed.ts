// The seed recipe: the original notebook's sigmoid MLP, quadratic loss and full-batch gradient descent.

import { cast, Generator, type Tensor } from "@tapegrad/autograd";
import { Linear, QuadraticLoss, Sequential, SGD, Sigmoid } from "@tapegrad/nn";
import { loadDigits } from "../data/digits.js";
import { isEvalEpoch, testAccuracy } from "./evaluate.js";
import { finishRun } from "./result.js";
import type { EpochRecord, FloatDType, RecipeOptions, RecipeResult } from "./types.js";

/**
 * The notebook's settings: 350 epochs of plain gradient descent with learning rate 2000/1500 on the mean
 * quadratic loss (the notebook wrote lr = 2000 and divided gradients by N twice), test accuracy every 10.
 *
 * @example
 * ```ts
 * import { SEED_RECIPE } from "@tapegrad/examples";
 * console.log(SEED_RECIPE.epochs, SEED_RECIPE.lr); // 350 1.3333333333333333
 * ```
 * @category Recipes
 */
export const SEED_RECIPE = { epochs: 350, lr: 2000 / 1500, evalEvery: 10, sizes: [64, 32, 16, 10] } as const;

/**
 * The notebook's network, `Sequential(Linear(64,32), Sigmoid(), Linear(32,16), Sigmoid(), Linear(16,10),
 * Sigmoid())`, initialised as the notebook did (`init: "notebook"`: weights `N(0, 1/in)`, biases `N(0, 1)`)
 * but drawn from tapegrad's generator seeded with `seed`, so the numbers differ from numpy's. Parameter
 * names are `0.weight`, `0.bias`, `2.weight`, … as in PyTorch.
 * @example
 * ```ts
 * import { seedModel } from "@tapegrad/examples";
 * const model = seedModel({ seed: 1, dtype: "float64" });
 * console.log(Object.keys(model.stateDict())); // ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
 * ```
 * @category Recipes
 */
export function seedModel(options: { seed?: number; dtype?: FloatDType } = {}): Sequential {
  const layer = {
    dtype: options.dtype ?? "float32",
    generator: new Generator(options.seed ?? 0),
    init: "notebook",
  } as const;
  const [a, b, c, d] = SEED_RECIPE.sizes;
  return new Sequential(
    new Linear(a, b, layer),
    new Sigmoid(),
    new Linear(b, c, layer),
    new Sigmoid(),
    new Linear(c, d, layer),
    new Sigmoid(),
  );
}

/**
 * Loads initial weights into a seed model, converting them to its dtype; every name and shape must match.
 * @throws When a name is missing or unexpected, or a shape differs (the error of `loadStateDict`).
 * @example
 * ```ts
 * import { loadSeedInit, seedModel } from "@tapegrad/examples";
 * const model = seedModel({ dtype: "float64" });
 * loadSeedInit(model, seedModel({ seed: 3 }).stateDict());
 * ```
 * @category Recipes
 */
export function loadSeedInit(model: Sequential, init: Record<string, Tensor>): void {
  const dtype = model.parameters()[0]?.dtype ?? "float32";
  const converted = Object.fromEntries(Object.entries(init).map(([k, t]) => [k, cast(t, dtype).detach()]));
  model.loadStateDict(converted, { strict: true });
}

/**
 * Trains the seed recipe: full batch of the 1500 raw (0..16) training rows, quadratic loss
 * `sum((y − onehot)²)/N/2`, plain gradient descent. The loss recorded for epoch e is the one computed in
 * that epoch before its update; the test accuracy is measured after the update. From the notebook's
 * initial weights in float64 it reproduces the notebook's run to about 1e-15.
 * @example
 * ```ts
 * import { trainSeed } from "@tapegrad/examples";
 * const r = trainSeed({ epochs: 20, dtype: "float64" });
 * console.log(r.history[19]?.loss < r.history[0]?.loss); // true
 * ```
 * @category Recipes
 */
export function trainSeed(options: RecipeOptions = {}): RecipeResult {
  const start = performance.now();
  const dtype = options.dtype ?? "float32";
  const epochs = options.epochs ?? SEED_RECIPE.epochs;
  const every = options.evalEvery ?? SEED_RECIPE.evalEvery;
  const digits = options.digits ?? loadDigits({ dtype });
  const x = cast(digits.train.features, dtype);
  const test = { features: cast(digits.test.features, dtype), labels: digits.test.labels };
  const model = seedModel({ seed: options.seed ?? 0, dtype });
  if (options.init !== undefined) loadSeedInit(model, options.init);
  const lossFn = new QuadraticLoss();
  const optimizer = new SGD(model.parameters(), { lr: SEED_RECIPE.lr });
  const history: EpochRecord[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    optimizer.zeroGrad();
    const loss = lossFn.call(model.call(x), digits.train.labels);
    const value = loss.item();
    loss.backward();
    optimizer.step();
    const record = {
      epoch,
      loss: value,
      testAccuracy: isEvalEpoch(epoch, epochs, every) ? testAccuracy(model, test) : null,
    };
    history.push(record);
    options.onEpoch?.(record, epochs);
  }
  return finishRun("seed", dtype, model, history, start);
}
