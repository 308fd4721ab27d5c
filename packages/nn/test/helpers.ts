// Shared by the nn tests: fixture paths, the digits table, and fast-check run options seeded from FC_SEED.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { Parameters as FcParameters } from "fast-check";

/** Absolute path of a file in test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** fast-check options: `numRuns` runs, seeded from the FC_SEED environment variable when set. */
export function fcRuns(numRuns: number): FcParameters<unknown> {
  const seed = process.env.FC_SEED;
  return seed === undefined ? { numRuns } : { numRuns, seed: Number(seed) };
}

/** The digits rows: 64 pixel intensities and a label each. */
export function digitsRows(): number[][] {
  const text = gunzipSync(readFileSync(fixture("digits.csv.gz")))
    .toString("utf8")
    .trim();
  return text.split("\n").map((line) => line.split(",").map(Number));
}
