// The modern recipe: inputs scaled to [0, 1], a ReLU MLP, softmax cross-entropy and Adam on shuffled mini-batches.

import { cast, Generator } from "@tapegrad/autograd";
import {
  Adam,
  CosineAnnealingLR,
  CrossEntropyLoss,
  DataLoader,
  Linear,
  ReLU,
  Sequential,
  TensorDataset,
} from "@tapegrad/nn";
import { loadDigits } from "../data/digits.js";
import { isEvalEpoch, testAccuracy } from "./evaluate.js";
import { finishRun } from "./result.js";
import type { EpochRecord, FloatDType, RecipeOptions, RecipeResult } from "./types.js";

/**
 * Settings of the modern recipe: a 64-128-64-10 ReLU network, Adam with learning rate 3e-3 annealed to 0
 * along a cosine over the run, mini-batches of 32 rows reshuffled every epoch, 30 epochs, test accuracy
 * after every epoch.
 *
 * @example
 * ```ts
 * import { MODERN_RECIPE } from "@tapegrad/examples";
 * console.log(MODERN_RECIPE.sizes); // [64, 128, 64, 10]
 * ```
 * @category Recipes
 */
export const MODERN_RECIPE = {
  epochs: 30,
  lr: 1e-3,
  batchSize: 32,
  evalEvery: 1,
  sizes: [64, 128, 64, 10],
} as const;

/**
 * The modern network, `Sequential(Linear(64,128), ReLU(), Linear(128,64), ReLU(), Linear(64,10))`, with the
 * layers' default initialisation drawn from a generator seeded with `seed`. It outputs logits.
 * @example
 * ```ts
 * import { modernModel } from "@tapegrad/examples";
 * console.log(modernModel({ seed: 0 }).parameters().length); // 6
 * ```
 * @category Recipes
 */
export function modernModel(options: { seed?: number; dtype?: FloatDType } = {}): Sequential {
  const dtype = options.dtype ?? "float32";
  const generator = new Generator(options.seed ?? 0);
  const [a, b, c, d] = MODERN_RECIPE.sizes;
  return new Sequential(
    new Linear(a, b, { dtype, generator }),
    new ReLU(),
    new Linear(b, c, { dtype, generator }),
    new ReLU(),
    new Linear(c, d, { dtype, generator }),
  );
}

/**
 * Trains the modern recipe on the same split as the seed recipe, with pixels divided by 16; the cosine
 * schedule spans the requested number of epochs. The loss recorded for an epoch is the mean over its
 * mini-batches (weighted by batch size), each computed before that batch's update; the test accuracy is
 * measured after the epoch. With the defaults it reaches 91.2% (270 of 296 test rows): this split is hard
 * for MLPs (its last writers differ from the training ones), where k-nearest neighbours reach about 96%.
 * @example
 * ```ts
 * import { trainModern } from "@tapegrad/examples";
 * const r = trainModern({ epochs: 3 });
 * console.log(r.testAccuracy > 0.8); // true
 * ```
 * @category Recipes
 */
export function trainModern(options: RecipeOptions = {}): RecipeResult {
  const start = performance.now();
  const dtype = options.dtype ?? "float32";
  const epochs = options.epochs ?? MODERN_RECIPE.epochs;
  const every = options.evalEvery ?? MODERN_RECIPE.evalEvery;
  const seed = options.seed ?? 0;
  const digits = options.digits ?? loadDigits({ dtype });
  const scale = (x: typeof digits.train.features) => cast(x, dtype).div(16);
  const train = new TensorDataset(scale(digits.train.features), digits.train.labels);
  const test = { features: scale(digits.test.features), labels: digits.test.labels };
  const model = modernModel({ seed, dtype });
  const lossFn = new CrossEntropyLoss();
  const optimizer = new Adam(model.parameters(), { lr: MODERN_RECIPE.lr });
  const schedule = new CosineAnnealingLR(optimizer, { tMax: epochs });
  // A second stream from the same seed, so shuffling does not depend on how many numbers init drew.
  const loader = new DataLoader(train, {
    batchSize: MODERN_RECIPE.batchSize,
    shuffle: true,
    generator: new Generator(seed + 1),
  });
  const history: EpochRecord[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    let total = 0;
    let rows = 0;
    for (const [x, labels] of loader) {
      optimizer.zeroGrad();
      const loss = lossFn.call(model.call(x), labels);
      total += loss.item() * x.shape[0]!;
      rows += x.shape[0]!;
      loss.backward();
      optimizer.step();
    }
    schedule.step();
    const record = {
      epoch,
      loss: total / rows,
      testAccuracy: isEvalEpoch(epoch, epochs, every) ? testAccuracy(model, test) : null,
    };
    history.push(record);
    options.onEpoch?.(record, epochs);
  }
  return finishRun("modern", dtype, model, history, start);
}
