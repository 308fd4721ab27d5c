// tapegrad's implementations of the benchmark: the seed workload as a user writes it with @tapegrad/nn,
// the same workload on raw autograd ops, the CNN workload with @tapegrad/nn layers, a square matmul and a
// tiny recorded add.

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
import {
  accuracy,
  Conv2d,
  CrossEntropyLoss,
  Flatten,
  Linear,
  MaxPool2d,
  QuadraticLoss,
  ReLU,
  Sequential,
  SGD,
  Sigmoid,
  Unflatten,
} from "@tapegrad/nn";
import { CNN, CNN_LAYERS, type CnnData, type CnnInit, type CnnLayer, type CnnTrainer } from "../cnn.js";
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

/**
 * The CNN workload as a user writes it: a `Sequential` of `Unflatten`, `Conv2d`, `ReLU`, `MaxPool2d`,
 * `Flatten` and `Linear` layers, `CrossEntropyLoss` on int32 labels and `SGD`, in float32.
 */
export function tapegradCnnTrainer(data: CnnData, init: CnnInit, lr: number = CNN.lr): CnnTrainer {
  const conv = (inC: number, outC: number): Conv2d => new Conv2d(inC, outC, 3, { padding: 1 });
  const model = new Sequential(
    new Unflatten(1, [1, CNN.side, CNN.side]),
    conv(1, 32),
    new ReLU(),
    conv(32, 32),
    new ReLU(),
    new MaxPool2d(2),
    conv(32, 64),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(256, 128),
    new ReLU(),
    new Linear(128, CNN.classes),
  );
  // The modern model's indices, less its dropout (12), which this Sequential leaves out.
  const index: Record<CnnLayer, number> = { conv1: 1, conv2: 3, conv3: 6, fc1: 10, fc2: 12 };
  const start: Record<string, Tensor> = {};
  for (const name of CNN_LAYERS) {
    start[`${index[name]}.weight`] = tensor(init[name].weight, { shape: init[name].weightShape });
    start[`${index[name]}.bias`] = tensor(init[name].bias);
  }
  const width = CNN.side * CNN.side;
  const batches = data.batches.map(({ start: from, end }) => ({
    x: tensor(data.x.slice(from * width, end * width), { shape: [end - from, width] }),
    y: tensor(data.labels.slice(from, end), { dtype: "int32" }),
  }));
  const lossFn = new CrossEntropyLoss();
  const optimizer = new SGD(model.parameters(), { lr });
  return {
    reset: () => {
      model.loadStateDict(start, { strict: true });
      optimizer.zeroGrad();
    },
    step: (b) => {
      const { x, y } = batches[b] as { x: Tensor; y: Tensor };
      optimizer.zeroGrad();
      const loss = lossFn.call(model.call(x), y);
      const value = loss.item();
      loss.backward();
      optimizer.step();
      return value;
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
