// jax-js 0.1.25 (wasm device) implementations of the benchmark: the seed and CNN workloads as one
// jit-compiled training step each (valueAndGrad plus the SGD update), a matmul and a tiny add.

import { init as initJax, jit, lax, nn, numpy as np, tree, valueAndGrad } from "@jax-js/jax";
import { CNN, CNN_LAYERS, type CnnData, type CnnInit, type CnnTrainer } from "../cnn.js";
import { randomMatrix } from "../random-matrix.js";
import {
  type FloatDType,
  inDType,
  type LayerInit,
  oneHotRows,
  type Rows,
  SEED,
  type SeedData,
  type SeedTrainer,
} from "../workload.js";

// NOTE: jax-js's `array()` tests `data instanceof Float16Array` before it tests Float64Array, and Node 20
// has no Float16Array, so creating a float64 array from a Float64Array throws a ReferenceError. A
// placeholder class that no value is an instance of lets the check fall through to Float64Array; Node 22+
// (or any runtime with a real Float16Array) is left untouched.
const globals = globalThis as Record<string, unknown>;
if (!("Float16Array" in globals)) globals.Float16Array = class Float16ArrayUnavailable {};

/** Starts jax-js's wasm device (Node has no WebGPU or Web Workers, so it runs on one thread). */
export async function useJaxWasm(): Promise<string> {
  const devices = await initJax("wasm");
  if (!devices.includes("wasm"))
    throw new Error(`jax-js: the wasm device did not start; got ${devices.join(", ")}`);
  return "wasm device, 1 thread (no Web Workers in Node)";
}

type Params = { w: np.Array[]; b: np.Array[] };

const array = (values: Float64Array, shape: number[], dtype: FloatDType): np.Array =>
  np.array(inDType(values, dtype), { shape });
const features = (rows: Rows, dtype: FloatDType): np.Array => array(rows.x, [rows.n, SEED.sizes[0]], dtype);

/** Every argument is consumed once, as jax-js's ownership rules ask. */
function forward(params: Params, x: np.Array): np.Array {
  let h = x;
  params.w.forEach((w, i) => {
    h = nn.sigmoid(np.matmul(h, w.transpose()).add(params.b[i] as np.Array));
  });
  return h;
}

/**
 * The seed workload: one jit-compiled step `(params, x, y) → [loss, params − lr·∇loss]` that consumes the
 * old parameters, a jit-compiled loss, and a jit-compiled prediction for the test accuracy.
 */
export function jaxTrainer(data: SeedData, init: readonly LayerInit[], dtype: FloatDType): SeedTrainer {
  const classes = SEED.sizes[SEED.sizes.length - 1] as number;
  const n = data.train.n;
  const fresh = (): Params => ({
    w: init.map((l) => array(l.weight, [l.outFeatures, l.inFeatures], dtype)),
    b: init.map((l) => array(l.bias, [l.outFeatures], dtype)),
  });
  const lossOf = (params: Params, x: np.Array, y: np.Array): np.Array =>
    np.square(forward(params, x).sub(y)).sum().div(n).div(2);
  const lossAndGrad = valueAndGrad(lossOf);
  const step = jit((params: Params, x: np.Array, y: np.Array): [np.Array, Params] => {
    const [loss, grads] = lossAndGrad(tree.ref(params), x, y);
    const next = tree.map((p: np.Array, g: np.Array) => p.sub(g.mul(SEED.lr)), params, grads) as Params;
    return [loss, next];
  });
  const lossJit = jit(lossOf);
  const gradJit = jit((params: Params, x: np.Array, y: np.Array) => lossAndGrad(params, x, y));
  const predict = jit((params: Params, x: np.Array) => np.argmax(forward(params, x), 1));
  const x = features(data.train, dtype);
  const y = array(oneHotRows(data.train.labels, classes), [n, classes], dtype);
  const testX = features(data.test, dtype);
  let params = fresh();
  return {
    reset: () => {
      tree.dispose(params);
      params = fresh();
    },
    step: () => {
      const [loss, next] = step(params, x.ref, y.ref);
      params = next;
      return loss.item();
    },
    testAccuracy: () => {
      const predicted = predict(tree.ref(params), testX.ref).dataSync();
      let correct = 0;
      data.test.labels.forEach((label, i) => {
        if (predicted[i] === label) correct++;
      });
      return correct / data.test.n;
    },
    loss: () => lossJit(tree.ref(params), x.ref, y.ref).item(),
    lossAndGrad: () => {
      const [loss, grads] = gradJit(tree.ref(params), x.ref, y.ref);
      tree.dispose(grads);
      return loss.item();
    },
    dispose: () => {
      tree.dispose(params);
      x.dispose();
      y.dispose();
      testX.dispose();
      for (const f of [step, lossJit, gradJit, predict]) f.dispose();
    },
  };
}

/** One convolution and its bias (3×3, padding 1, NCHW with [out, in, kh, kw] weights as in tapegrad), ReLU. */
function convRelu(h: np.Array, w: np.Array, b: np.Array): np.Array {
  const y = lax.convGeneralDilated(
    h,
    w,
    [1, 1],
    [
      [1, 1],
      [1, 1],
    ],
  );
  return nn.relu(y.add(b.reshape([-1, 1, 1])));
}

/** 2×2 max pooling with stride 2 over the last two axes: the largest of each window. */
const maxPool = (h: np.Array): np.Array => lax.reduceWindow(h, (w) => np.max(w), [2, 2], [2, 2]);

function cnnForward(params: Params, x: np.Array): np.Array {
  const [w1, w2, w3, w4, w5] = params.w as [np.Array, np.Array, np.Array, np.Array, np.Array];
  const [b1, b2, b3, b4, b5] = params.b as [np.Array, np.Array, np.Array, np.Array, np.Array];
  const n = x.shape[0] as number;
  let h = x.reshape([n, 1, CNN.side, CNN.side]);
  h = maxPool(convRelu(convRelu(h, w1, b1), w2, b2));
  h = maxPool(convRelu(h, w3, b3)).reshape([n, -1]);
  h = nn.relu(np.matmul(h, w4.transpose()).add(b4));
  return np.matmul(h, w5.transpose()).add(b5);
}

/**
 * The CNN workload in float32: `lax.convGeneralDilated` (NCHW, the weights as given), max pooling by
 * `lax.reduceWindow` with `np.max`, the mean of `−Σ onehot · logSoftmax`, and one jit-compiled step per
 * batch shape that returns the loss and the updated parameters.
 */
export function jaxCnnTrainer(data: CnnData, init: CnnInit, lr: number = CNN.lr): CnnTrainer {
  const fresh = (): Params => ({
    w: CNN_LAYERS.map((name) => np.array(init[name].weight, { shape: [...init[name].weightShape] })),
    b: CNN_LAYERS.map((name) => np.array(init[name].bias)),
  });
  const lossOf = (params: Params, x: np.Array, y: np.Array): np.Array => {
    const n = x.shape[0] as number;
    return nn.logSoftmax(cnnForward(params, x)).mul(y).sum().div(-n);
  };
  const lossAndGrad = valueAndGrad(lossOf);
  const step = jit((params: Params, x: np.Array, y: np.Array): [np.Array, Params] => {
    const [loss, grads] = lossAndGrad(tree.ref(params), x, y);
    const next = tree.map((p: np.Array, g: np.Array) => p.sub(g.mul(lr)), params, grads) as Params;
    return [loss, next];
  });
  const width = CNN.side * CNN.side;
  const batches = data.batches.map(({ start, end }) => {
    const labels = np.array(data.labels.slice(start, end), { dtype: np.int32 });
    return {
      x: np.array(data.x.slice(start * width, end * width), { shape: [end - start, width] }),
      y: nn.oneHot(labels, CNN.classes).astype(np.float32),
    };
  });
  let params = fresh();
  return {
    reset: () => {
      tree.dispose(params);
      params = fresh();
    },
    step: (b) => {
      const { x, y } = batches[b] as { x: np.Array; y: np.Array };
      const [loss, next] = step(params, x.ref, y.ref);
      params = next;
      return loss.item();
    },
    dispose: () => {
      tree.dispose(params);
      tree.dispose(batches);
      step.dispose();
    },
  };
}

/** A function that multiplies two fixed random float32 `n × n` matrices and waits for the product. */
export function jaxMatmul(n: number): () => void {
  const a = np.array(randomMatrix(n, 1), { shape: [n, n] });
  const b = np.array(randomMatrix(n, 2), { shape: [n, n] });
  return () => {
    // NOTE: operations are lazy and fused, so the whole product is read back: reading one element could
    // let the compiler compute just that element. The copy costs well under 1% of the multiplication.
    np.matmul(a.ref, b.ref).dataSync();
  };
}

/** A function that adds two `[4]` float32 arrays `count` times, realising each sum (ops are lazy). */
export function jaxTinyAdd(count: number): () => void {
  const a = np.array(new Float32Array([1, 2, 3, 4]));
  const b = np.array(new Float32Array([5, 6, 7, 8]));
  return () => {
    for (let i = 0; i < count; i++) np.add(a.ref, b.ref).dataSync();
  };
}
