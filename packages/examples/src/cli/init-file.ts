// Reads the demo's --init weights and checks that they fit the seed model, failing with a one-line CliError.

import { existsSync } from "node:fs";
import type { Tensor } from "@tapegrad/autograd";
import { loadSafetensorsFile, SafetensorsError } from "@tapegrad/nn";
import { loadSeedInit, seedModel } from "../recipes/seed.js";
import type { FloatDType } from "../recipes/types.js";
import { CliError, oneLine } from "./cli-error.js";

/**
 * Loads initial weights for the seed recipe from a safetensors file and checks every name and shape
 * against the seed model, so a bad file is reported before any training starts.
 * @throws {CliError} If the file is missing, is not valid safetensors, or does not fit the seed model.
 * @example
 * ```ts
 * import { readInitFile } from "@tapegrad/examples";
 * const init = await readInitFile("packages/examples/test/fixtures/seed-0.init.safetensors", "float64");
 * console.log(init["0.weight"]?.shape); // [32, 64]
 * ```
 * @category CLI
 */
export async function readInitFile(path: string, dtype: FloatDType): Promise<Record<string, Tensor>> {
  if (!existsSync(path)) throw new CliError(`--init: no such file: ${path}`);
  let weights: Record<string, Tensor>;
  try {
    weights = (await loadSafetensorsFile(path)).tensors;
  } catch (e) {
    const message = oneLine((e as Error).message);
    throw new CliError(
      e instanceof SafetensorsError
        ? `--init: not a valid safetensors file: ${message}`
        : `--init: cannot read ${path} (${message})`,
    );
  }
  try {
    loadSeedInit(seedModel({ dtype }), weights);
  } catch (e) {
    throw new CliError(`--init: ${path} does not fit the seed model (${oneLine((e as Error).message)})`);
  }
  return weights;
}
