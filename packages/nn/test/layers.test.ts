import {
  add,
  assertGradcheck,
  DTypeError,
  Generator,
  matmul,
  noGrad,
  ones,
  rand,
  randn,
  ShapeError,
  type Tensor,
  tensor,
  transpose,
  ValueError,
  zeros,
} from "@tapegrad/autograd";
import {
  Dropout,
  Flatten,
  FullyConnect,
  init,
  LeakyReLU,
  Linear,
  type Module,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
} from "@tapegrad/nn";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkModule, TOL } from "./gradcheck-helpers.js";
import { fcRuns } from "./helpers.js";

const f64 = { dtype: "float64" } as const;
const gen = (seed: number) => new Generator(seed);
const x64 = (shape: number[], seed = 1) => randn(shape, { ...f64, generator: gen(seed) });
/** Values at least 0.1 away from the kink of relu-like functions. */
const awayFromZero = (shape: number[], seed = 1) => {
  const u = rand(shape, { ...f64, low: 0.1, high: 2, generator: gen(seed) });
  const s = rand(shape, { ...f64, generator: gen(seed + 100) })
    .gt(0.5)
    .cast("float64")
    .mul(2)
    .sub(1);
  return u.mul(s);
};

describe("gradients match finite differences (float64, inputs and parameters)", () => {
  const cases: [string, () => Module, () => Tensor[]][] = [
    ["Linear", () => new Linear(3, 4, { ...f64, generator: gen(0) }), () => [x64([5, 3])]],
    [
      "Linear without bias",
      () => new Linear(3, 2, { ...f64, bias: false, generator: gen(0) }),
      () => [x64([2, 3])],
    ],
    ["Linear on a vector", () => new Linear(3, 2, { ...f64, generator: gen(0) }), () => [x64([3])]],
    [
      "Linear on a batch of sequences",
      () => new Linear(2, 3, { ...f64, generator: gen(0) }),
      () => [x64([2, 3, 2])],
    ],
    [
      "FullyConnect (notebook init)",
      () => new FullyConnect(4, 3, { ...f64, init: "notebook", generator: gen(0) }),
      () => [x64([2, 4])],
    ],
    ["Sigmoid", () => new Sigmoid(), () => [x64([3, 4])]],
    ["Tanh", () => new Tanh(), () => [x64([3, 4])]],
    ["ReLU", () => new ReLU(), () => [awayFromZero([3, 4])]],
    ["LeakyReLU", () => new LeakyReLU({ slope: 0.2 }), () => [awayFromZero([3, 4])]],
    ["Softmax (last axis)", () => new Softmax(), () => [x64([3, 4])]],
    ["Softmax (axis 0)", () => new Softmax({ axis: 0 }), () => [x64([3, 4])]],
    ["Flatten", () => new Flatten(), () => [x64([2, 3, 2])]],
    ["Dropout in eval mode", () => new Dropout(0.5).eval(), () => [x64([3, 3])]],
    [
      "Sequential MLP",
      () =>
        new Sequential(
          new Flatten(),
          new Linear(4, 5, { ...f64, generator: gen(1) }),
          new Tanh(),
          new Linear(5, 3, { ...f64, generator: gen(2) }),
          new Sigmoid(),
          new Linear(3, 2, { ...f64, generator: gen(3) }),
          new Softmax(),
        ),
      () => [x64([3, 2, 2])],
    ],
  ];
  test.each(cases)("%s", (_, make, inputs) => {
    expect(checkModule(make(), inputs())).toBeGreaterThan(0);
  });

  test("Dropout in training mode, with the mask fixed by a seeded generator", () => {
    const x = x64([4, 5]);
    // A fresh generator per call draws the same mask, so finite differences see one function.
    const f = (t: Tensor) =>
      new Dropout(0.4, { generator: gen(7) })
        .call(t)
        .mul(x64([4, 5], 3))
        .sum();
    const y = noGrad(() => new Dropout(0.4, { generator: gen(7) }).call(ones([4, 5], f64)));
    expect(new Set(y.data())).toEqual(new Set([0, 1 / 0.6]));
    const u = x64([4, 5], 3);
    expect(f(x).item()).toBeCloseTo(y.mul(x).mul(u).sum().item(), 12);
    expect(assertGradcheck(f, [x], TOL).checked).toBe(20);
  });
});

describe("Linear", () => {
  test("computes x·Wᵀ + b for any batch shape", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
        fc.integer({ min: 0, max: 1000 }),
        (nIn, nOut, batch, seed) => {
          const layer = new Linear(nIn, nOut, { ...f64, generator: gen(seed) });
          const x = x64([...batch, nIn], seed + 1);
          const want = add(matmul(x, transpose(layer.weight)), layer.bias as Tensor);
          const got = layer.call(x);
          expect(got.shape).toEqual([...batch, nOut]);
          const g = got.data();
          want.data().forEach((v, i) => {
            expect(g[i]).toBeCloseTo(v, 12);
          });
        },
      ),
      fcRuns(40),
    );
  });

  test("PyTorch's default init: weight and bias in U(±1/√inFeatures), seeded", () => {
    const a = new Linear(16, 200, { generator: gen(3) });
    const b = new Linear(16, 200, { generator: gen(3) });
    expect(a.weight.toArray()).toEqual(b.weight.toArray());
    expect(a.bias?.toArray()).toEqual(b.bias?.toArray());
    for (const t of [a.weight, a.bias as Tensor]) {
      expect(t.abs().max().item()).toBeLessThanOrEqual(0.25);
      expect(t.abs().max().item()).toBeGreaterThan(0.2); // the draws fill the interval
    }
    expect(a.weight.dtype).toBe("float32");
    expect(a.weight.requiresGrad && a.bias?.requiresGrad).toBe(true);
  });

  test("the notebook's init: weight randn/√in, bias randn", () => {
    const layer = new Linear(100, 100, { ...f64, init: "notebook", generator: gen(0) });
    const w = layer.weight;
    expect(w.std().item()).toBeGreaterThan(0.09);
    expect(w.std().item()).toBeLessThan(0.11);
    expect(layer.bias?.std().item()).toBeGreaterThan(0.8);
  });

  test("custom initialisers and bias: false", () => {
    const layer = new Linear(3, 2, {
      init: { weight: (s, o) => init.constant(s, 0.5, o), bias: init.zeros },
    });
    expect(layer.weight.toArray()).toEqual([
      [0.5, 0.5, 0.5],
      [0.5, 0.5, 0.5],
    ]);
    expect(layer.bias?.toArray()).toEqual([0, 0]);
    const nobias = new Linear(3, 2, { bias: false });
    expect(nobias.bias).toBeNull();
    expect(nobias.namedParameters().map(([n]) => n)).toEqual(["weight"]);
  });

  test("initialisers must return the requested shape and dtype; the layer keeps its own copy", () => {
    expect(() => new Linear(3, 2, { init: { weight: () => zeros([3, 2]) } })).toThrow(
      /the weight initialiser must return a float32 tensor of shape \[2, 3\]; got float32 \[3, 2\]/,
    );
    expect(() => new Linear(3, 2, { ...f64, init: { bias: () => zeros([2]) } })).toThrow(/float64/);
    const shared = zeros([2]);
    const layer = new Linear(3, 2, { init: { bias: () => shared } });
    expect(layer.bias).not.toBe(shared);
    expect(layer.bias?.requiresGrad && !shared.requiresGrad).toBe(true);
  });

  test("errors name the layer and the shapes", () => {
    expect(() => new Linear(3, 2).call(zeros([4, 2]))).toThrow(ShapeError);
    expect(() => new Linear(3, 2).call(zeros([4, 2]))).toThrow(
      /Linear: input has shape \[4, 2\]; expected \[\.\.\., 3\]/,
    );
    expect(() => new Linear(3, 2).call(zeros([]))).toThrow(ShapeError);
    expect(() => new Linear(-1, 2)).toThrow(/inFeatures must be a non-negative integer/);
    expect(() => new Linear(2, 2, { dtype: "int32" })).toThrow(DTypeError);
  });
});

describe("activations and shape layers", () => {
  test("match their definitions", () => {
    const x = tensor([-2, -0.5, 0, 0.5, 2], f64);
    const close = (got: Tensor, want: (v: number) => number) =>
      (x.toArray() as number[]).forEach((v, i) => {
        expect(got.data()[i]).toBeCloseTo(want(v), 15);
      });
    close(new Sigmoid().call(x), (v) => 1 / (1 + Math.exp(-v)));
    close(new Tanh().call(x), Math.tanh);
    expect(new ReLU().call(x).toArray()).toEqual([0, 0, 0, 0.5, 2]);
    expect(new LeakyReLU().call(x).toArray()).toEqual([-0.02, -0.005, 0, 0.5, 2]);
    const s = new Softmax().call(tensor([[1, 2, 3]], f64)).data();
    expect(Array.from(s).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    expect(new Flatten().call(zeros([2, 3, 4])).shape).toEqual([2, 12]);
    expect(new Flatten({ startAxis: 0 }).call(zeros([2, 3, 4])).shape).toEqual([24]);
  });
});

describe("Dropout", () => {
  test("is the identity in eval mode and with p = 0", () => {
    const x = x64([3, 3]);
    expect(new Dropout(0.9).eval().call(x)).toBe(x);
    expect(new Dropout(0).call(x)).toBe(x);
  });

  test("zeroes about p of the elements and scales the rest by 1/(1-p)", () => {
    const y = new Dropout(0.25, { generator: gen(1) }).call(ones([10000], f64)).data();
    const zeros_ = y.filter((v) => v === 0).length;
    expect(zeros_ / y.length).toBeGreaterThan(0.23);
    expect(zeros_ / y.length).toBeLessThan(0.27);
    expect(y.every((v) => v === 0 || v === 1 / 0.75)).toBe(true);
  });

  test("the same seed gives the same masks; successive calls differ", () => {
    const a = new Dropout(0.5, { generator: gen(3) });
    const b = new Dropout(0.5, { generator: gen(3) });
    const first = a.call(ones([50])).toArray();
    expect(b.call(ones([50])).toArray()).toEqual(first);
    expect(a.call(ones([50])).toArray()).not.toEqual(first);
  });

  test("p = 1 drops everything; p outside [0, 1] is an error", () => {
    expect(new Dropout(1).call(ones([3])).toArray()).toEqual([0, 0, 0]);
    expect(() => new Dropout(1.5)).toThrow(ValueError);
    expect(() => new Dropout(Number.NaN)).toThrow(ValueError);
  });
});

describe("Sequential", () => {
  test("names children 0, 1, ... like PyTorch", () => {
    const net = new Sequential(
      new Linear(64, 32),
      new Sigmoid(),
      new Linear(32, 16),
      new Sigmoid(),
      new Linear(16, 10),
    );
    expect(Object.keys(net.stateDict())).toEqual([
      "0.weight",
      "0.bias",
      "2.weight",
      "2.bias",
      "4.weight",
      "4.bias",
    ]);
    expect(net.length).toBe(5);
    expect(net.at(-1)).toBeInstanceOf(Linear);
    expect([...net]).toHaveLength(5);
    expect(() => net.at(5)).toThrow(ValueError);
  });

  test("rejects non-modules", () => {
    expect(() => new Sequential(new ReLU(), {} as Module)).toThrow(/argument 1 is not a Module/);
  });
});
