// Maps each recipe name to its trainer, so the CLI can loop over the recipes it was asked for.

import { trainModern } from "./modern.js";
import { trainSeed } from "./seed.js";
import type { RecipeName, RecipeOptions, RecipeResult } from "./types.js";

/**
 * Every digits recipe by name.
 *
 * @example
 * ```ts
 * import { RECIPES } from "@tapegrad/examples";
 * console.log(RECIPES.seed({ epochs: 1 }).recipe); // "seed"
 * ```
 * @category Recipes
 */
export const RECIPES = {
  seed: trainSeed,
  modern: trainModern,
} as const satisfies Record<RecipeName, (options?: RecipeOptions) => RecipeResult>;
