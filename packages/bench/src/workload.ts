// The seed workload every system runs: its settings, its data and initial weights as plain typed arrays,
// the trainer interface each system implements, and the one training loop that drives them all.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DIGITS_SPLIT, isEvalEpoch, readDigitsCsv, SEED_RECIPE } from "@tapegrad/examples";
import { loadSafetensorsFile } from "@tapegrad/nn";

/**
 * The notebook's settings, from `@tapegrad/examples`' seed recipe: a 64-32-16-10 sigmoid MLP, quadratic
 * loss `Σ (y − onehot)² / N / 2`, plain gradient descent with lr = 2000/1500 on the full batch of the 1500
 * raw training rows, 350 epochs, test accuracy after the update of every 10th epoch (0, 10, …, 340) and of
 * the last.
 */
export const SEED = SEED_RECIPE;

/** Floating-point dtypes a workload runs in. */
export type FloatDType = "float32" | "float64";

/** Rows of the digits as plain arrays: `x` is row-major `[n, 64]` raw pixels (0..16), `labels` 0..9. */
export interface Rows {
  readonly n: number;
  readonly x: Float64Array;
  readonly labels: Int32Array;
}

/** The training and test rows of the notebook's split. */
export interface SeedData {
  readonly train: Rows;
  readonly test: Rows;
}

/** One layer's initial parameters, float64: `weight` row-major `[out, in]`, `bias` `[out]`. */
export interface LayerInit {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The notebook's initial weights (numpy seed 0), float64, in `packages/bench/data`. */
export const INIT_PATH: string = here("../data/seed-0.init.safetensors");
/** The notebook's loss per epoch and test accuracies from {@link INIT_PATH}, in `packages/bench/data`. */
export const TRAJECTORY_PATH: string = here("../data/seed-0.trajectory.json");

function rows(pixels: Float64Array, labels: Int32Array, range: { start: number; end: number }): Rows {
  const width = SEED.sizes[0];
  return {
    n: range.end - range.start,
    x: pixels.slice(range.start * width, range.end * width),
    labels: labels.slice(range.start, range.end),
  };
}

/** Reads the bundled digits of `@tapegrad/examples` and splits them as the notebook did. */
export function loadSeedData(): SeedData {
  const table = readDigitsCsv();
  return {
    train: rows(table.pixels, table.labels, DIGITS_SPLIT.train),
    test: rows(table.pixels, table.labels, DIGITS_SPLIT.test),
  };
}

/** The first `n` rows of `data`'s training set as a smaller workload (for the many-step heap check). */
export function firstRows(data: SeedData, n: number): SeedData {
  const width = SEED.sizes[0];
  const train = { n, x: data.train.x.slice(0, n * width), labels: data.train.labels.slice(0, n) };
  return { train, test: data.test };
}

/** Reads the initial weights; throws unless the names and shapes are the notebook's. */
export async function loadSeedInit(path: string = INIT_PATH): Promise<LayerInit[]> {
  const { tensors } = await loadSafetensorsFile(path);
  const layers: LayerInit[] = [];
  for (let i = 0; i + 1 < SEED.sizes.length; i++) {
    const inFeatures = SEED.sizes[i] as number;
    const outFeatures = SEED.sizes[i + 1] as number;
    const w = tensors[`${2 * i}.weight`];
    const b = tensors[`${2 * i}.bias`];
    if (w === undefined || b === undefined || w.dtype !== "float64" || b.dtype !== "float64") {
      throw new Error(`seed init: ${path} lacks float64 '${2 * i}.weight' or '${2 * i}.bias'`);
    }
    if (w.shape.join() !== `${outFeatures},${inFeatures}` || b.shape.join() !== `${outFeatures}`) {
      throw new Error(
        `seed init: layer ${2 * i} is weight [${w.shape.join(", ")}] bias [${b.shape.join(", ")}]; ` +
          `expected [${outFeatures}, ${inFeatures}] and [${outFeatures}]`,
      );
    }
    layers.push({
      inFeatures,
      outFeatures,
      weight: w.data() as Float64Array,
      bias: b.data() as Float64Array,
    });
  }
  return layers;
}

/** The notebook's loss per epoch (float64), for checking trajectories. */
export function loadReferenceLosses(path: string = TRAJECTORY_PATH): number[] {
  const json = JSON.parse(readFileSync(path, "utf8")) as { train_loss_per_epoch?: unknown };
  const losses = json.train_loss_per_epoch;
  if (!Array.isArray(losses) || losses.some((v) => typeof v !== "number")) {
    throw new Error(`seed trajectory: ${path} has no numeric train_loss_per_epoch`);
  }
  return losses as number[];
}

/** `values` in `dtype`: a copy rounded to float32, or the float64 values themselves. */
export function inDType(values: Float64Array, dtype: FloatDType): Float32Array | Float64Array {
  return dtype === "float32" ? Float32Array.from(values) : values;
}

/** Row-major one-hot rows `[labels.length, classes]` of the labels. */
export function oneHotRows(labels: Int32Array, classes: number): Float64Array {
  const out = new Float64Array(labels.length * classes);
  labels.forEach((c, i) => {
    out[i * classes + c] = 1;
  });
  return out;
}

/**
 * One system's implementation of the seed workload, built from a {@link SeedData} and the initial weights.
 * Every method runs synchronously to completion (results read back to JavaScript numbers).
 */
export interface SeedTrainer {
  /** Puts the parameters back to the initial weights. */
  reset(): void;
  /** One full-batch step: loss, gradients, update. Returns the loss computed before the update. */
  step(): number;
  /** Accuracy of the current parameters on the test rows (no gradient work). */
  testAccuracy(): number;
  /** The loss of the current parameters alone, as the system computes it in training (no update). */
  loss(): number;
  /** The loss and all parameter gradients of the current parameters (no update); returns the loss. */
  lossAndGrad(): number;
  /** Frees what the system cannot free by itself (WebAssembly memory, compiled functions). */
  dispose(): void;
}

/** What one run of the seed workload produced. */
export interface SeedRun {
  /** The loss computed in each epoch, before its update. */
  readonly losses: number[];
  /** Test accuracy after the update of each evaluated epoch. */
  readonly accuracies: { epoch: number; accuracy: number }[];
}

/** Trains `trainer` from its current parameters for `epochs` epochs, measuring test accuracy on schedule. */
export function trainSeed(trainer: SeedTrainer, epochs: number = SEED.epochs): SeedRun {
  const losses: number[] = [];
  const accuracies: { epoch: number; accuracy: number }[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    losses.push(trainer.step());
    if (isEvalEpoch(epoch, epochs, SEED.evalEvery))
      accuracies.push({ epoch, accuracy: trainer.testAccuracy() });
  }
  return { losses, accuracies };
}
