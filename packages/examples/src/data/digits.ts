// Reads the bundled 8×8 digits file and splits it into the notebook's train and test tensors.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { type Tensor, tensor } from "@tapegrad/autograd";

/**
 * Where the bundled digits file lives: `packages/examples/data/digits.csv.gz`.
 *
 * @example
 * ```ts
 * import { DIGITS_PATH } from "@tapegrad/examples";
 * console.log(DIGITS_PATH.endsWith("digits.csv.gz")); // true
 * ```
 * @category Data
 */
export const DIGITS_PATH: string = fileURLToPath(new URL("../../data/digits.csv.gz", import.meta.url));

/**
 * Row ranges of the split used by the original notebook: rows `[0, 1500)` train, rows `[1500, 1796)`
 * test (296 rows); the file's last row, 1796, is not used.
 *
 * @example
 * ```ts
 * import { DIGITS_SPLIT } from "@tapegrad/examples";
 * console.log(DIGITS_SPLIT.test.end - DIGITS_SPLIT.test.start); // 296
 * ```
 * @category Data
 */
export const DIGITS_SPLIT = {
  train: { start: 0, end: 1500 },
  test: { start: 1500, end: 1796 },
} as const;

/** Pixels per image (8×8) and number of classes. */
const PIXELS = 64;
const CLASSES = 10;

/**
 * The raw digits table: `rows` images of 64 pixel values (0..16) and their labels (0..9).
 *
 * @example
 * ```ts
 * import { readDigitsCsv, type DigitsTable } from "@tapegrad/examples";
 * const table: DigitsTable = readDigitsCsv();
 * console.log(table.rows, table.pixels.length); // 1797 115008
 * ```
 * @category Data
 */
export interface DigitsTable {
  readonly rows: number;
  /** Row-major `[rows, 64]` pixel intensities. */
  readonly pixels: Float64Array;
  readonly labels: Int32Array;
}

/**
 * Features and int32 labels of one part of the split.
 *
 * @example
 * ```ts
 * import { loadDigits, type DigitsSplit } from "@tapegrad/examples";
 * const test: DigitsSplit = loadDigits().test;
 * console.log(test.features.shape, test.labels.dtype); // [296, 64] "int32"
 * ```
 * @category Data
 */
export interface DigitsSplit {
  /** `[n, 64]` pixel intensities. */
  readonly features: Tensor;
  /** `[n]` class labels, int32. */
  readonly labels: Tensor;
}

/**
 * Both parts of the notebook's split.
 *
 * @example
 * ```ts
 * import { loadDigits, type Digits } from "@tapegrad/examples";
 * const d: Digits = loadDigits();
 * console.log(d.train.features.shape[0]); // 1500
 * ```
 * @category Data
 */
export interface Digits {
  readonly train: DigitsSplit;
  readonly test: DigitsSplit;
}

/**
 * Options of {@link loadDigits}.
 *
 * @example
 * ```ts
 * import { loadDigits, type LoadDigitsOptions } from "@tapegrad/examples";
 * const opts: LoadDigitsOptions = { dtype: "float64", scale: true };
 * console.log(loadDigits(opts).train.features.max().item()); // 1
 * ```
 * @category Data
 */
export interface LoadDigitsOptions {
  /** Dtype of the features; `float32` by default. Labels are always int32. */
  dtype?: "float32" | "float64";
  /** Divide the pixels by 16 so they lie in `[0, 1]`; off by default (raw 0..16, as the notebook). */
  scale?: boolean;
  /** Another digits file in the same format; the bundled one by default. */
  path?: string;
}

function fail(path: string, line: number, what: string): never {
  throw new Error(`digits: ${path} line ${line}: ${what}`);
}

/**
 * Parses a gzip-compressed digits CSV: no header, 64 integer pixels (0..16) then the label (0..9) per line.
 * @throws {Error} When the file cannot be read or unzipped, or a line does not have 65 integers in range.
 * @example
 * ```ts
 * import { readDigitsCsv } from "@tapegrad/examples";
 * console.log(Array.from(readDigitsCsv().labels.slice(0, 3))); // [0, 1, 2]
 * ```
 * @category Data
 */
export function readDigitsCsv(path: string = DIGITS_PATH): DigitsTable {
  let text: string;
  try {
    text = gunzipSync(readFileSync(path)).toString("utf8");
  } catch (e) {
    throw new Error(`digits: cannot read ${path}: ${(e as Error).message}`);
  }
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const pixels = new Float64Array(lines.length * PIXELS);
  const labels = new Int32Array(lines.length);
  lines.forEach((line, r) => {
    const cells = line.split(",").map(Number);
    if (cells.length !== PIXELS + 1) fail(path, r + 1, `got ${cells.length} values, expected ${PIXELS + 1}`);
    cells.forEach((v, c) => {
      const max = c < PIXELS ? 16 : CLASSES - 1;
      if (!Number.isInteger(v) || v < 0 || v > max)
        fail(path, r + 1, `value ${v} in column ${c} is not 0..${max}`);
    });
    pixels.set(cells.slice(0, PIXELS), r * PIXELS);
    labels[r] = cells[PIXELS] as number;
  });
  return { rows: lines.length, pixels, labels };
}

function part(
  table: DigitsTable,
  range: { start: number; end: number },
  options: LoadDigitsOptions,
): DigitsSplit {
  if (table.rows < range.end) throw new Error(`digits: need at least ${range.end} rows; got ${table.rows}`);
  const n = range.end - range.start;
  const values = table.pixels.subarray(range.start * PIXELS, range.end * PIXELS);
  const scaled = options.scale === true ? values.map((v) => v / 16) : values;
  return {
    features: tensor(scaled, { dtype: options.dtype ?? "float32", shape: [n, PIXELS] }),
    labels: tensor(table.labels.subarray(range.start, range.end), { dtype: "int32" }),
  };
}

/**
 * Loads the digits as tensors split like the notebook: train = rows 0..1499, test = rows 1500..1795.
 * @throws {Error} When the file is missing, malformed or too short.
 * @example
 * ```ts
 * import { loadDigits } from "@tapegrad/examples";
 * const { train, test } = loadDigits({ dtype: "float64" });
 * console.log(train.features.shape, test.labels.shape); // [1500, 64] [296]
 * ```
 * @category Data
 */
export function loadDigits(options: LoadDigitsOptions = {}): Digits {
  const table = readDigitsCsv(options.path);
  return { train: part(table, DIGITS_SPLIT.train, options), test: part(table, DIGITS_SPLIT.test, options) };
}
