// Packs a finished training run into the RecipeResult every recipe returns.

import type { EpochRecord, FloatDType, RecipeResult } from "./types.js";

/** Packs a finished run into a RecipeResult; `start` is the `performance.now()` when training began. @internal */
export function finishRun(
  recipe: RecipeResult["recipe"],
  dtype: FloatDType,
  model: RecipeResult["model"],
  history: readonly EpochRecord[],
  start: number,
): RecipeResult {
  const last = history[history.length - 1];
  return {
    recipe,
    epochs: history.length,
    dtype,
    model,
    history,
    finalLoss: last?.loss ?? Number.NaN,
    testAccuracy: last?.testAccuracy ?? Number.NaN,
    seconds: (performance.now() - start) / 1000,
  };
}
