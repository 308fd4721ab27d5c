// TensorFlow.js (tfjs-core 4.22 with the cpu or the single-threaded wasm backend) implementations of the
// benchmark: the seed workload and the CNN workload with tf.variableGrads and manual SGD in tf.tidy, a
// matmul, a tiny add.

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
// NOTE: tfjs-core's Node build registers no gradients: only its per-file ES modules do, and those use
// extensionless imports that Node cannot load. The `@tensorflow/tfjs` bundle registers them (in the
// registry that tfjs-core keeps on globalThis) along with the cpu backend, as it does for its users.
import "@tensorflow/tfjs";
import { CNN, CNN_LAYERS, type CnnData, type CnnInit, type CnnTrainer } from "../cnn.js";
import { randomMatrix } from "../random-matrix.js";
import { type LayerInit, oneHotRows, type Rows, SEED, type SeedData, type SeedTrainer } from "../workload.js";

/** The TF.js backends the benchmark runs. */
export type TfBackend = "cpu" | "wasm";

/**
 * Registers and selects `backend`. The wasm backend loads its `.wasm` files from its package directory
 * and runs on one thread (Node has no Web Workers, and the count is set to 1 explicitly as well).
 * Returns what the backend reports about SIMD and threads.
 */
export async function useTfBackend(backend: TfBackend): Promise<string> {
  if (backend === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
    wasm.setWasmPaths(`${join(dir, "dist")}/`);
    wasm.setThreadsCount(1);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend '${backend}' failed to initialise`);
  await tf.ready();
  if (backend === "cpu") return "cpu (pure JavaScript kernels)";
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  return `wasm, SIMD ${simd ? "on" : "off"}, 1 thread`;
}

const features = (rows: Rows): tf.Tensor2D =>
  tf.tensor2d(Float32Array.from(rows.x), [rows.n, SEED.sizes[0]], "float32");

/** The seed workload in float32: `tf.variableGrads` for the gradients, `v.assign(v − lr·g)` in `tf.tidy`. */
export function tfjsTrainer(data: SeedData, init: readonly LayerInit[]): SeedTrainer {
  const classes = SEED.sizes[SEED.sizes.length - 1] as number;
  const start: tf.Tensor[] = init.flatMap((l) => [
    tf.tensor2d(Float32Array.from(l.weight), [l.outFeatures, l.inFeatures]),
    tf.tensor1d(Float32Array.from(l.bias)),
  ]);
  const params = start.map((t, i) => tf.variable(t, true, `p${i}`));
  const x = features(data.train);
  const target = tf.tensor2d(Float32Array.from(oneHotRows(data.train.labels, classes)), [
    data.train.n,
    classes,
  ]);
  const testX = features(data.test);
  const testY = tf.tensor1d(data.test.labels, "int32");
  const forward = (input: tf.Tensor2D): tf.Tensor2D => {
    let h: tf.Tensor2D = input;
    for (let i = 0; i < params.length; i += 2) {
      const z = tf.matMul(h, params[i] as tf.Variable<tf.Rank.R2>, false, true);
      h = tf.sigmoid(tf.add<tf.Tensor2D>(z, params[i + 1] as tf.Variable<tf.Rank.R1>));
    }
    return h;
  };
  const loss = (): tf.Scalar =>
    tf.div(tf.div(tf.sum(tf.square(tf.sub(forward(x), target))), data.train.n), 2);
  return {
    reset: () => {
      params.forEach((p, i) => {
        p.assign(start[i] as tf.Tensor<tf.Rank>);
      });
    },
    step: () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss, params);
        for (const p of params) p.assign(tf.sub(p, tf.mul(grads[p.name] as tf.Tensor, SEED.lr)));
        return value.dataSync()[0] as number;
      }),
    testAccuracy: () =>
      tf.tidy(() => {
        const correct = tf.sum(tf.cast(tf.equal(tf.argMax(forward(testX), 1), testY), "int32"));
        return (correct.dataSync()[0] as number) / data.test.n;
      }),
    loss: () => tf.tidy(() => loss().dataSync()[0] as number),
    lossAndGrad: () =>
      tf.tidy(() => {
        const { value } = tf.variableGrads(loss, params);
        return value.dataSync()[0] as number;
      }),
    dispose: () => {
      tf.dispose([...params, ...start, x, target, testX, testY]);
    },
  };
}

/**
 * The CNN workload in TF.js's own layout: NHWC images (an [n, 64] row is already [n, 8, 8, 1]) and
 * [kh, kw, in, out] filters transposed once from PyTorch's [out, in, kh, kw]. The pooled maps go back to
 * NCHW before the flatten, so the first linear layer sees tapegrad's feature order and takes its weight
 * unchanged. `tf.losses.softmaxCrossEntropy` on one-hot labels (its default reduction is the batch mean),
 * gradients by `tf.variableGrads`, `v.assign(v − lr·g)` in `tf.tidy`.
 */
export function tfjsCnnTrainer(data: CnnData, init: CnnInit, lr: number = CNN.lr): CnnTrainer {
  // Weight and bias of each layer in CNN_LAYERS order: layer k's weight is parameter 2k.
  const start: tf.Tensor[] = CNN_LAYERS.flatMap((name) => {
    const { weight, weightShape, bias } = init[name];
    const w = tf.tidy(() => {
      const pytorch = tf.tensor(weight, [...weightShape], "float32");
      return weightShape.length === 4 ? tf.transpose(pytorch, [2, 3, 1, 0]) : pytorch;
    });
    return [w, tf.tensor1d(bias)];
  });
  const params = start.map((t, i) => tf.variable(t, true, `cnn${i}`));
  const p = (i: number): tf.Variable => params[i] as tf.Variable;
  const width = CNN.side * CNN.side;
  const batches = data.batches.map(({ start: from, end }) => ({
    x: tf.tensor4d(data.x.slice(from * width, end * width), [end - from, CNN.side, CNN.side, 1]),
    y: tf.tidy(() =>
      tf.cast(tf.oneHot(tf.tensor1d(data.labels.slice(from, end), "int32"), CNN.classes), "float32"),
    ),
  }));
  const conv = (h: tf.Tensor4D, i: number): tf.Tensor4D =>
    tf.relu(tf.add<tf.Tensor4D>(tf.conv2d(h, p(i) as tf.Tensor4D, 1, 1), p(i + 1)));
  const pool = (h: tf.Tensor4D): tf.Tensor4D => tf.maxPool(h, 2, 2, "valid");
  const dense = (h: tf.Tensor2D, i: number): tf.Tensor2D =>
    tf.add<tf.Tensor2D>(tf.matMul(h, p(i) as tf.Tensor2D, false, true), p(i + 1));
  const forward = (x: tf.Tensor4D): tf.Tensor2D => {
    const h = pool(conv(pool(conv(conv(x, 0), 2)), 4));
    const flat = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [x.shape[0], -1]) as tf.Tensor2D;
    return dense(tf.relu(dense(flat, 6)), 8);
  };
  return {
    reset: () => {
      params.forEach((v, i) => {
        v.assign(start[i] as tf.Tensor);
      });
    },
    step: (b) =>
      tf.tidy(() => {
        const { x, y } = batches[b] as { x: tf.Tensor4D; y: tf.Tensor2D };
        const { value, grads } = tf.variableGrads(
          () => tf.losses.softmaxCrossEntropy(y, forward(x)) as tf.Scalar,
          params,
        );
        for (const v of params) v.assign(tf.sub(v, tf.mul(grads[v.name] as tf.Tensor, lr)));
        return value.dataSync()[0] as number;
      }),
    dispose: () => {
      tf.dispose([...params, ...start, ...batches.flatMap((t) => [t.x, t.y])]);
    },
  };
}

/** A function that multiplies two fixed random float32 `n × n` matrices (the kernel runs on the call). */
export function tfjsMatmul(n: number): () => void {
  const a = tf.tensor2d(randomMatrix(n, 1), [n, n]);
  const b = tf.tensor2d(randomMatrix(n, 2), [n, n]);
  return () => {
    tf.matMul(a, b).dispose();
  };
}

/** A function that adds two `[4]` float32 tensors `count` times, disposing each result. */
export function tfjsTinyAdd(count: number): () => void {
  const a = tf.tensor1d([1, 2, 3, 4]);
  const b = tf.tensor1d([5, 6, 7, 8]);
  return () => {
    for (let i = 0; i < count; i++) tf.add(a, b).dispose();
  };
}
