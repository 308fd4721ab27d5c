// The modern recipe: inputs scaled to [0, 1], a small convolutional network, randomly shifted training
// images, softmax cross-entropy with label smoothing and Adam on shuffled mini-batches.

import { cast, Generator, reshape, type Tensor } from "@tapegrad/autograd";
import {
  Adam,
  Conv2d,
  CosineAnnealingLR,
  CrossEntropyLoss,
  DataLoader,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
  TensorDataset,
  Unflatten,
} from "@tapegrad/nn";
import { randomShift } from "../data/augment.js";
import { loadDigits } from "../data/digits.js";
import { isEvalEpoch, testAccuracy } from "./evaluate.js";
import { finishRun } from "./result.js";
import type { EpochRecord, FloatDType, RecipeOptions, RecipeResult } from "./types.js";

/**
 * Settings of the modern recipe: a convolutional network with `channels` feature maps in its two stages
 * and a `hidden`-unit classifier with dropout; Adam with learning rate `lr` annealed to 0 along a cosine
 * over the run; mini-batches of `batchSize` rows reshuffled every epoch, each image moved by up to
 * `maxShift` pixels down and across; cross-entropy with label smoothing `labelSmoothing`; test accuracy
 * after every epoch.
 *
 * @example
 * ```ts
 * import { MODERN_RECIPE } from "@tapegrad/examples";
 * console.log(MODERN_RECIPE.epochs, MODERN_RECIPE.channels); // 40 [32, 64]
 * ```
 * @category Recipes
 */
export const MODERN_RECIPE = {
  epochs: 40,
  lr: 3e-3,
  batchSize: 64,
  evalEvery: 1,
  channels: [32, 64],
  hidden: 128,
  dropout: 0.3,
  labelSmoothing: 0.1,
  maxShift: 1,
} as const;

/**
 * The modern network for [n, 64] pixel rows; it outputs [n, 10] logits:
 * `Unflatten(1, [1, 8, 8])`, two 3×3 convolutions with 32 maps (padding 1, ReLU) and a 2×2 max pooling
 * (to 4×4), a 3×3 convolution with 64 maps (ReLU) and a 2×2 max pooling (to 2×2), `Flatten`, then
 * `Linear(256, 128)`, ReLU, `Dropout(0.3)` and `Linear(128, 10)`. Parameters use the layers' default
 * (PyTorch's) initialisation, drawn from a generator seeded with `seed`; dropout has its own stream.
 * @example
 * ```ts
 * import { modernModel } from "@tapegrad/examples";
 * import { zeros } from "@tapegrad/autograd";
 * const model = modernModel({ seed: 0 });
 * console.log(model.parameters().length, model.call(zeros([2, 64])).shape); // 10 [2, 10]
 * ```
 * @category Recipes
 */
export function modernModel(options: { seed?: number; dtype?: FloatDType } = {}): Sequential {
  const dtype = options.dtype ?? "float32";
  const seed = options.seed ?? 0;
  const generator = new Generator(seed);
  const [c1, c2] = MODERN_RECIPE.channels;
  const conv = (inC: number, outC: number) => new Conv2d(inC, outC, 3, { padding: 1, dtype, generator });
  return new Sequential(
    new Unflatten(1, [1, 8, 8]),
    conv(1, c1),
    new ReLU(),
    conv(c1, c1),
    new ReLU(),
    new MaxPool2d(2),
    conv(c1, c2),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(c2 * 2 * 2, MODERN_RECIPE.hidden, { dtype, generator }),
    new ReLU(),
    new Dropout(MODERN_RECIPE.dropout, { generator: new Generator(seed + 2) }),
    new Linear(MODERN_RECIPE.hidden, 10, { dtype, generator }),
  );
}

/** A batch of [n, 64] rows with every image moved by its own random offset. */
function shifted(x: Tensor, generator: Generator): Tensor {
  const n = x.shape[0] as number;
  return reshape(randomShift(reshape(x, [n, 8, 8]), { maxShift: MODERN_RECIPE.maxShift, generator }), [
    n,
    64,
  ]);
}

/**
 * Trains the modern recipe on the same split as the seed recipe, with pixels divided by 16; the cosine
 * schedule spans the requested number of epochs. The loss recorded for an epoch is the mean over its
 * mini-batches (weighted by batch size) of the smoothed cross-entropy, each computed before that batch's
 * update on the shifted images; the test accuracy is measured after the epoch, on the unshifted test rows,
 * in eval mode (no dropout). With the defaults it reaches 97.6% (289 of 296 test rows).
 * @example
 * ```ts
 * import { trainModern } from "@tapegrad/examples";
 * const r = trainModern({ epochs: 1 });
 * console.log(r.testAccuracy > 0.5); // true
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
  const lossFn = new CrossEntropyLoss({ labelSmoothing: MODERN_RECIPE.labelSmoothing });
  const optimizer = new Adam(model.parameters(), { lr: MODERN_RECIPE.lr });
  const augment = new Generator(seed + 3);
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
      const loss = lossFn.call(model.call(shifted(x, augment)), labels);
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
