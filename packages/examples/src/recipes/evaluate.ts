// Test-set evaluation shared by the recipes: accuracy in eval mode without recording a graph.

import { noGrad } from "@tapegrad/autograd";
import { accuracy, type Module } from "@tapegrad/nn";
import type { DigitsSplit } from "../data/digits.js";

/**
 * Accuracy of `model` on `split` (features already in the model's dtype and scale), computed in eval mode
 * without recording a graph. The model is put back in training mode afterwards.
 * @example
 * ```ts
 * import { loadDigits, seedModel, testAccuracy } from "@tapegrad/examples";
 * const { test } = loadDigits();
 * console.log(testAccuracy(seedModel(), test) <= 1); // true
 * ```
 * @category Recipes
 */
export function testAccuracy(model: Module, split: DigitsSplit): number {
  model.eval();
  try {
    return noGrad(() => accuracy(model.call(split.features), split.labels));
  } finally {
    model.train();
  }
}

/**
 * Whether the test accuracy is measured after `epoch`: every `every` epochs counted from 0, and after the
 * last one (the notebook's schedule with `every = 10`: epochs 0, 10, …, 340 and 349).
 * @example
 * ```ts
 * import { isEvalEpoch } from "@tapegrad/examples";
 * console.log(isEvalEpoch(10, 350, 10), isEvalEpoch(11, 350, 10), isEvalEpoch(349, 350, 10)); // true false true
 * ```
 * @category Recipes
 */
export function isEvalEpoch(epoch: number, epochs: number, every: number): boolean {
  return epoch % every === 0 || epoch === epochs - 1;
}
