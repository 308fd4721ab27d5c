// tapegrad's implementations of the benchmark: the seed workload as a user writes it with @tapegrad/nn,
// the same workload on raw autograd ops, a square matmul and a tiny recorded add.

import {
  argmax,
  eq,
  matmul,
  noGrad,
  sigmoid,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
} from "@tapegrad/autograd";
import { accuracy, Linear, QuadraticLoss, Sequential, SGD, Sigmoid } from "@tapegrad/nn";
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

const features = (rows: Rows, dtype: FloatDType): Tensor =>
  tensor(inDType(rows.x, dtype), { dtype, shape: [rows.n, SEED.sizes[0]] });
const labels = (rows: Rows): Tensor => tensor(rows.labels, { dtype: "int32" });

/** The initial weights as a state dict for a `Sequential` of Linear/Sigmoid layers, in `dtype`. */
function stateDict(init: readonly LayerInit[], dtype: FloatDType): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  init.forEach((layer, i) => {
    out[`${2 * i}.weight`] = tensor(inDType(layer.weight, dtype), {
      dtype,
      shape: [layer.outFeatures, layer.inFeatures],
    });
    out[`${2 * i}.bias`] = tensor(inDType(layer.bias, dtype), { dtype });
  });
  return out;
}

/**
 * The seed workload as a user writes it: `Sequential(Linear, Sigmoid, …)`, `QuadraticLoss` on int32 labels,
 * `SGD`, `accuracy` under `noGrad`.
 */
export function tapegradNnTrainer(
  data: SeedData,
  init: readonly LayerInit[],
  dtype: FloatDType,
): SeedTrainer {
  const layers = init.flatMap((l) => [new Linear(l.inFeatures, l.outFeatures, { dtype }), new Sigmoid()]);
  const model = new Sequential(...layers);
  const start = stateDict(init, dtype);
  const x = features(data.train, dtype);
  const y = labels(data.train);
  const testX = features(data.test, dtype);
  const testY = labels(data.test);
  const lossFn = new QuadraticLoss();
  const optimizer = new SGD(model.parameters(), { lr: SEED.lr });
  const loss = (): Tensor => lossFn.call(model.call(x), y);
  return {
    reset: () => {
      model.loadStateDict(start, { strict: true });
      optimizer.zeroGrad();
    },
    step: () => {
      optimizer.zeroGrad();
      const l = loss();
      const value = l.item();
      l.backward();
      optimizer.step();
      return value;
    },
    testAccuracy: () => noGrad(() => accuracy(model.call(testX), testY)),
    loss: () => loss().item(),
    lossAndGrad: () => {
      optimizer.zeroGrad();
      const l = loss();
      l.backward();
      return l.item();
    },
    dispose: () => undefined,
  };
}

/**
 * The seed workload on raw autograd ops: `sigmoid(h @ Wᵀ + b)` per layer, the loss
 * `sum((y − onehot)²) / N / 2` against a one-hot tensor made once, and `p ← p − lr·∇p` under `noGrad`.
 */
export function tapegradRawTrainer(
  data: SeedData,
  init: readonly LayerInit[],
  dtype: FloatDType,
): SeedTrainer {
  const classes = SEED.sizes[SEED.sizes.length - 1] as number;
  const params = init.flatMap((l) => [
    tensor(inDType(l.weight, dtype), { dtype, shape: [l.outFeatures, l.inFeatures], requiresGrad: true }),
    tensor(inDType(l.bias, dtype), { dtype, requiresGrad: true }),
  ]);
  // Copies (data() copies), since the updates write into the parameters' storage.
  const start = params.map((p) => tensor(p.data(), { dtype, shape: p.shape }));
  const x = features(data.train, dtype);
  const target = tensor(inDType(oneHotRows(data.train.labels, classes), dtype), {
    dtype,
    shape: [data.train.n, classes],
  });
  const testX = features(data.test, dtype);
  const testY = labels(data.test);
  const forward = (input: Tensor): Tensor => {
    let h = input;
    for (let i = 0; i < params.length; i += 2) {
      h = sigmoid(matmul(h, params[i] as Tensor, { transB: true }).add(params[i + 1] as Tensor));
    }
    return h;
  };
  const loss = (): Tensor =>
    sum(square(sub(forward(x), target)))
      .div(data.train.n)
      .div(2);
  const zeroGrad = (): void => {
    for (const p of params) p.grad = null;
  };
  return {
    reset: () => {
      params.forEach((p, i) => {
        p.assign(start[i] as Tensor);
      });
      zeroGrad();
    },
    step: () => {
      zeroGrad();
      const l = loss();
      const value = l.item();
      l.backward();
      noGrad(() => {
        for (const p of params) p.assign(p.sub((p.grad as Tensor).mul(SEED.lr)));
      });
      return value;
    },
    testAccuracy: () =>
      noGrad(() => sum(eq(argmax(forward(testX), { axis: 1 }), testY)).item() / data.test.n),
    loss: () => loss().item(),
    lossAndGrad: () => {
      zeroGrad();
      const l = loss();
      l.backward();
      return l.item();
    },
    dispose: () => undefined,
  };
}

/** A function that multiplies two fixed random float32 `n × n` matrices. */
export function tapegradMatmul(n: number): () => void {
  const a = tensor(randomMatrix(n, 1), { shape: [n, n] });
  const b = tensor(randomMatrix(n, 2), { shape: [n, n] });
  return () => {
    matmul(a, b);
  };
}

/** A function that adds two `[4]` float32 tensors that require grad `count` times (the tape records each). */
export function tapegradTinyAdd(count: number): () => void {
  const a = tensor([1, 2, 3, 4], { requiresGrad: true });
  const b = tensor([5, 6, 7, 8], { requiresGrad: true });
  return () => {
    for (let i = 0; i < count; i++) a.add(b);
  };
}
