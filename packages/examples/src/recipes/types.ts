// The shapes shared by every training recipe: options in, per-epoch records and a result out.

import type { Tensor } from "@tapegrad/autograd";
import type { Module } from "@tapegrad/nn";
import type { Digits } from "../data/digits.js";

/**
 * Names of the digits recipes the demo can train.
 *
 * @example
 * ```ts
 * import type { RecipeName } from "@tapegrad/examples";
 * const name: RecipeName = "seed";
 * console.log(name); // "seed"
 * ```
 * @category Recipes
 */
export type RecipeName = "seed" | "modern";

/**
 * Floating-point dtypes a recipe can train in.
 *
 * @example
 * ```ts
 * import type { FloatDType } from "@tapegrad/examples";
 * const dtype: FloatDType = "float64";
 * console.log(dtype); // "float64"
 * ```
 * @category Recipes
 */
export type FloatDType = "float32" | "float64";

/**
 * What one epoch produced: its training loss and, on evaluation epochs, the test accuracy after the
 * epoch's updates (`null` on other epochs).
 *
 * @example
 * ```ts
 * import type { EpochRecord } from "@tapegrad/examples";
 * const r: EpochRecord = { epoch: 0, loss: 1.33, testAccuracy: 0.1 };
 * console.log(r.epoch); // 0
 * ```
 * @category Recipes
 */
export interface EpochRecord {
  /** Zero-based epoch number. */
  readonly epoch: number;
  /** The training loss computed during the epoch, before its (last) update. */
  readonly loss: number;
  /** Accuracy on the test rows after this epoch's updates, or `null` when not evaluated this epoch. */
  readonly testAccuracy: number | null;
}

/**
 * Options every recipe accepts; each has a sensible default.
 *
 * @example
 * ```ts
 * import { trainSeed, type RecipeOptions } from "@tapegrad/examples";
 * const opts: RecipeOptions = { epochs: 2, dtype: "float64" };
 * console.log(trainSeed(opts).history.length); // 2
 * ```
 * @category Recipes
 */
export interface RecipeOptions {
  /** Number of epochs; the recipe's own default otherwise. */
  epochs?: number;
  /** Seed of the generator used for initial weights and shuffling. Default 0. */
  seed?: number;
  /** Dtype of the parameters and inputs. Default `float32`. */
  dtype?: FloatDType;
  /** Initial parameters (a state dict) loaded strictly instead of drawing them from the seed. */
  init?: Record<string, Tensor>;
  /** Evaluate the test accuracy every this many epochs (and after the last). Recipe default otherwise. */
  evalEvery?: number;
  /** Already loaded digits (raw 0..16 features, any dtype); loaded from the bundled file otherwise. */
  digits?: Digits;
  /** Called after every epoch, for progress reporting. */
  onEpoch?: (record: EpochRecord, epochs: number) => void;
}

/**
 * The outcome of a recipe: the trained model, its history and the final figures.
 *
 * @example
 * ```ts
 * import { trainSeed, type RecipeResult } from "@tapegrad/examples";
 * const r: RecipeResult = trainSeed({ epochs: 1 });
 * console.log(r.recipe, r.epochs); // "seed" 1
 * ```
 * @category Recipes
 */
export interface RecipeResult {
  readonly recipe: RecipeName;
  readonly epochs: number;
  readonly dtype: FloatDType;
  readonly model: Module;
  readonly history: readonly EpochRecord[];
  /** Loss of the last epoch. */
  readonly finalLoss: number;
  /** Test accuracy after the last epoch. */
  readonly testAccuracy: number;
  /** Wall-clock training time in seconds. */
  readonly seconds: number;
}
