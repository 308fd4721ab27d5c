// The CNN workload every system runs: the examples' modern network without dropout, trained with plain
// SGD over one epoch of fixed mini-batches. Its data and initial weights as plain float32 arrays, the
// trainer interface each system implements, and the one epoch loop that drives them all.

import { modernModel } from "@tapegrad/examples";
import type { Rows } from "./workload.js";

/**
 * The workload's settings: [n, 64] pixels scaled to [0, 1] as [n, 1, 8, 8] images; 3×3 convolutions
 * (padding 1) 1→32, ReLU, 32→32, ReLU, 2×2 max pooling, 32→64, ReLU, 2×2 max pooling; flatten in NCHW
 * order to 256; linear 256→128, ReLU, 128→10; mean softmax cross-entropy; SGD with `lr` on mini-batches
 * of `batchSize` training rows in their stored order.
 */
export const CNN = {
  batchSize: 64,
  lr: 0.05,
  side: 8,
  classes: 10,
  /** The seed of `modernModel` whose initial weights every system starts from. */
  initSeed: 0,
} as const;

/** The parameterised layers, in order. */
export const CNN_LAYERS = ["conv1", "conv2", "conv3", "fc1", "fc2"] as const;
export type CnnLayer = (typeof CNN_LAYERS)[number];

/**
 * Where each layer sits in `modernModel`'s Sequential (index 0 is its Unflatten, 12 the dropout the
 * benchmark leaves out), so its state-dict names are `1.weight`, `1.bias`, …
 */
const MODERN_INDEX: Record<CnnLayer, number> = { conv1: 1, conv2: 3, conv3: 6, fc1: 10, fc2: 13 };

/** The expected weight shapes: PyTorch's `[out, in, kh, kw]` for convolutions and `[out, in]` for linears. */
const WEIGHT_SHAPES: Record<CnnLayer, readonly number[]> = {
  conv1: [32, 1, 3, 3],
  conv2: [32, 32, 3, 3],
  conv3: [64, 32, 3, 3],
  fc1: [128, 256],
  fc2: [10, 128],
};

/** One layer's initial parameters in PyTorch's layout, row-major float32; the bias is `[weightShape[0]]`. */
export interface CnnLayerInit {
  readonly weightShape: readonly number[];
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

export type CnnInit = Readonly<Record<CnnLayer, CnnLayerInit>>;

/** The initial weights of `modernModel({ seed: 0 })`; throws unless its names and shapes are the expected ones. */
export function loadCnnInit(): CnnInit {
  const state = modernModel({ seed: CNN.initSeed }).stateDict();
  const layer = (name: CnnLayer): CnnLayerInit => {
    const i = MODERN_INDEX[name];
    const w = state[`${i}.weight`];
    const b = state[`${i}.bias`];
    const shape = WEIGHT_SHAPES[name];
    if (
      w === undefined ||
      b === undefined ||
      w.dtype !== "float32" ||
      b.dtype !== "float32" ||
      w.shape.join() !== shape.join() ||
      b.shape.join() !== `${shape[0]}`
    ) {
      throw new Error(
        `cnn init: modernModel lacks float32 '${i}.weight' [${shape.join(", ")}] and '${i}.bias' [${shape[0]}]`,
      );
    }
    return { weightShape: shape, weight: w.data() as Float32Array, bias: b.data() as Float32Array };
  };
  return {
    conv1: layer("conv1"),
    conv2: layer("conv2"),
    conv3: layer("conv3"),
    fc1: layer("fc1"),
    fc2: layer("fc2"),
  };
}

/** The training rows of the workload, scaled to [0, 1], and the mini-batches they are cut into. */
export interface CnnData {
  readonly n: number;
  /** Row-major `[n, 64]`, pixels / 16 (exact in float32). */
  readonly x: Float32Array;
  readonly labels: Int32Array;
  /** Row ranges `[start, end)` of the mini-batches, in order; the last may be short. */
  readonly batches: readonly { start: number; end: number }[];
}

/** The first `rows` of `train` (all by default) as the workload's data. */
export function cnnData(train: Rows, rows: number = train.n): CnnData {
  const width = CNN.side * CNN.side;
  const n = Math.min(rows, train.n);
  const x = new Float32Array(n * width);
  for (let i = 0; i < x.length; i++) x[i] = (train.x[i] as number) / 16;
  const batches: { start: number; end: number }[] = [];
  for (let start = 0; start < n; start += CNN.batchSize) {
    batches.push({ start, end: Math.min(n, start + CNN.batchSize) });
  }
  return { n, x, labels: train.labels.slice(0, n), batches };
}

/**
 * One system's implementation of the CNN workload, made from the data, the initial weights and the
 * learning rate (tests raise it so that wrong gradients show in the next losses). Every method runs to
 * completion (losses read back).
 */
export interface CnnTrainer {
  /** Puts the parameters back to the initial weights. */
  reset(): void;
  /** One SGD step on mini-batch `batch` of the data; returns its mean loss before the update. */
  step(batch: number): number;
  /** Frees what the system cannot free by itself (WebAssembly memory, compiled functions). */
  dispose(): void;
}

/** The mean of the first `losses.length` batch losses of an epoch over `rows` rows, weighted by batch size. */
export function batchMean(losses: readonly number[], rows: number): number {
  let total = 0;
  let seen = 0;
  losses.forEach((loss, b) => {
    const size = Math.min(CNN.batchSize, rows - b * CNN.batchSize);
    total += loss * size;
    seen += size;
  });
  return total / seen;
}

/** What an epoch (or its first batches) computed: each batch's loss and their mean weighted by batch size. */
export interface CnnEpoch {
  readonly batchLosses: number[];
  readonly meanLoss: number;
}

/**
 * Trains `trainer` from its current parameters over the first `count` mini-batches of `data` (all by
 * default), in order.
 */
export function trainCnnEpoch(
  trainer: CnnTrainer,
  data: CnnData,
  count: number = data.batches.length,
): CnnEpoch {
  const batchLosses: number[] = [];
  for (let b = 0; b < count; b++) batchLosses.push(trainer.step(b));
  return { batchLosses, meanLoss: batchMean(batchLosses, data.n) };
}
