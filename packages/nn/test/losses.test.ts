import {
  assertGradcheck,
  DTypeError,
  Generator,
  oneHot,
  rand,
  randint,
  randn,
  ShapeError,
  type Tensor,
  tensor,
  ValueError,
} from "@tapegrad/autograd";
import {
  BCELoss,
  BCEWithLogitsLoss,
  bceLoss,
  bceWithLogitsLoss,
  CrossEntropyLoss,
  crossEntropyLoss,
  functionalCall,
  Linear,
  MSELoss,
  mseLoss,
  QuadraticLoss,
  quadraticLoss,
  type Reduction,
} from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { TOL } from "./gradcheck-helpers.js";

const f64 = { dtype: "float64" } as const;
const gen = (seed: number) => new Generator(seed);
const scores = (n: number, c: number, seed = 0) => randn([n, c], { ...f64, generator: gen(seed) });
const labels = (n: number, c: number, seed = 0) => randint(0, c, [n], { generator: gen(seed + 50) });
const probs = (shape: number[], seed = 0) =>
  rand(shape, { ...f64, low: 0.05, high: 0.95, generator: gen(seed) });
const flat = (t: Tensor) => Array.from(t.data());

/** Plain-number reference: per-sample values of a loss from nested arrays. */
function rows(t: Tensor): number[][] {
  return t.toArray() as number[][];
}

describe("values match their definitions", () => {
  test("quadraticLoss is Σ(y − onehot)² / N / 2, and a one-hot float target gives the same", () => {
    const y = scores(4, 3);
    const t = labels(4, 3);
    const hot = oneHot(t, 3, f64);
    let total = 0;
    const perSample = rows(y).map((r, i) => r.reduce((s, v, c) => s + (v - rows(hot)[i]![c]!) ** 2, 0) / 2);
    for (const v of perSample) total += v;
    expect(quadraticLoss(y, t).item()).toBeCloseTo(total / 4, 14);
    expect(quadraticLoss(y, hot).item()).toBe(quadraticLoss(y, t).item());
    expect(quadraticLoss(y, t, { reduction: "sum" }).item()).toBeCloseTo(total, 14);
    flat(quadraticLoss(y, t, { reduction: "none" })).forEach((v, i) => {
      expect(v).toBeCloseTo(perSample[i]!, 14);
    });
    expect(new QuadraticLoss().call(y, t).item()).toBe(quadraticLoss(y, t).item());
  });

  test("mseLoss is the mean of squared differences over all elements", () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      f64,
    );
    const b = tensor(
      [
        [1, 0],
        [0, 4],
      ],
      f64,
    );
    expect(mseLoss(a, b).item()).toBe((4 + 9) / 4);
    expect(mseLoss(a, b, { reduction: "sum" }).item()).toBe(13);
    expect(mseLoss(a, b, { reduction: "none" }).toArray()).toEqual([
      [0, 4],
      [9, 0],
    ]);
    expect(new MSELoss().call(a, b).item()).toBe(3.25);
  });

  test("crossEntropyLoss is −log softmax at the label, averaged over samples", () => {
    const x = scores(5, 4);
    const t = labels(5, 4);
    const want = rows(x).map((r, i) => {
      const m = Math.max(...r);
      const lse = m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0));
      return lse - r[(t.toArray() as number[])[i]!]!;
    });
    flat(crossEntropyLoss(x, t, { reduction: "none" })).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 14);
    });
    expect(crossEntropyLoss(x, t).item()).toBeCloseTo(want.reduce((a, b) => a + b) / 5, 14);
    expect(new CrossEntropyLoss().call(x, t).item()).toBe(crossEntropyLoss(x, t).item());
  });

  test("label smoothing mixes in the uniform distribution: (1−ε)·nll + ε·mean(−log p)", () => {
    const x = scores(3, 4, 1);
    const t = labels(3, 4, 1);
    const eps = 0.2;
    const nll = crossEntropyLoss(x, t, { reduction: "none" });
    const uniform = crossEntropyLoss(x, tensor(Array(12).fill(0.25), { ...f64, shape: [3, 4] }), {
      reduction: "none",
    });
    const want = nll.mul(1 - eps).add(uniform.mul(eps));
    flat(crossEntropyLoss(x, t, { labelSmoothing: eps, reduction: "none" })).forEach((v, i) => {
      expect(v).toBeCloseTo(flat(want)[i]!, 14);
    });
  });

  test("crossEntropyLoss with class probabilities equals the int-label form on one-hot rows", () => {
    const x = scores(3, 5, 2);
    const t = labels(3, 5, 2);
    expect(crossEntropyLoss(x, oneHot(t, 5, f64)).item()).toBe(crossEntropyLoss(x, t).item());
  });

  test("crossEntropyLoss is stable for logits of ±1000", () => {
    const x = tensor(
      [
        [1000, -1000, 0],
        [-1000, 1000, 1000],
      ],
      f64,
    );
    const loss = crossEntropyLoss(x, tensor([0, 1], { dtype: "int32" }), { reduction: "none" });
    // NOTE: autograd's logSoftmax is x − logsumexp(x); at |x| = 1000 that loses ~1e-13 absolute to rounding.
    expect(flat(loss)[0]).toBeCloseTo(0, 12);
    expect(flat(loss)[1]).toBeCloseTo(Math.LN2, 12);
  });

  test("bceLoss is −(t log p + (1 − t) log(1 − p)), floored at −100 per log", () => {
    const p = tensor([0.2, 0.7, 0, 1], f64);
    const t = tensor([0, 1, 1, 0], f64);
    const got = flat(bceLoss(p, t, { reduction: "none" }));
    expect(got[0]).toBeCloseTo(-Math.log(0.8), 15);
    expect(got[1]).toBeCloseTo(-Math.log(0.7), 15);
    expect(got.slice(2)).toEqual([100, 100]);
    expect(new BCELoss({ weight: tensor([1, 2, 0, 0], f64) }).call(p, t).item()).toBeCloseTo(
      (-Math.log(0.8) - 2 * Math.log(0.7)) / 4,
      15,
    );
  });

  test("bceLoss at exactly 0 and 1 has finite gradients", () => {
    const p = tensor([0, 1, 0.5], { ...f64, requiresGrad: true });
    bceLoss(p, tensor([0, 1, 1], f64)).backward();
    expect(flat(p.grad as Tensor).every(Number.isFinite)).toBe(true);
  });

  test("bceWithLogitsLoss equals bceLoss of sigmoid, and is exact at ±1000", () => {
    const x = randn([6], { ...f64, generator: gen(4) });
    const t = probs([6], 4);
    expect(bceWithLogitsLoss(x, t).item()).toBeCloseTo(bceLoss(x.sigmoid(), t).item(), 13);
    const big = tensor([1000, -1000, 1000, -1000], f64);
    const tt = tensor([1, 0, 0, 1], f64);
    expect(bceWithLogitsLoss(big, tt, { reduction: "none" }).toArray()).toEqual([0, 0, 1000, 1000]);
    const xg = tensor([1000, -1000], { ...f64, requiresGrad: true });
    bceWithLogitsLoss(xg, tensor([0, 1], f64), { reduction: "sum" }).backward();
    expect(xg.grad?.toArray()).toEqual([1, -1]);
  });

  test("posWeight scales the positive term", () => {
    const x = randn([4], { ...f64, generator: gen(5) });
    const t = tensor([1, 0, 1, 1], f64);
    const pw = tensor([3], f64);
    const want = flat(x).map((v, i) => {
      const ti = flat(t)[i]!;
      return -(3 * ti * Math.log(1 / (1 + Math.exp(-v))) + (1 - ti) * Math.log(1 - 1 / (1 + Math.exp(-v))));
    });
    flat(new BCEWithLogitsLoss({ posWeight: pw, reduction: "none" }).call(x, t)).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 13);
    });
  });

  test("reductions agree with each other", () => {
    const x = scores(4, 3, 6);
    const t = labels(4, 3, 6);
    for (const loss of [quadraticLoss, crossEntropyLoss]) {
      const none = loss(x, t, { reduction: "none" });
      expect(none.shape).toEqual([4]);
      expect(loss(x, t, { reduction: "sum" }).item()).toBeCloseTo(none.sum().item(), 14);
      expect(loss(x, t, { reduction: "mean" }).item()).toBeCloseTo(none.mean().item(), 14);
    }
  });
});

describe("gradients match finite differences (float64)", () => {
  const withTarget: [string, (x: Tensor, t: Tensor) => Tensor, () => [Tensor, Tensor]][] = [
    ["quadraticLoss with a float target", quadraticLoss, () => [scores(3, 4), probs([3, 4])]],
    ["mseLoss", mseLoss, () => [scores(2, 3), scores(2, 3, 9)]],
    ["crossEntropyLoss with probabilities", crossEntropyLoss, () => [scores(3, 4), probs([3, 4]).softmax()]],
    [
      "crossEntropyLoss with label smoothing",
      (x, t) => crossEntropyLoss(x, t, { labelSmoothing: 0.1 }),
      () => [scores(3, 4), probs([3, 4])],
    ],
    ["bceLoss", bceLoss, () => [probs([2, 3]), probs([2, 3], 3)]],
    ["bceWithLogitsLoss", bceWithLogitsLoss, () => [scores(2, 3), probs([2, 3], 3)]],
    [
      "bceWithLogitsLoss with weights",
      (x, t) => bceWithLogitsLoss(x, t, { weight: probs([3], 8), posWeight: probs([3], 9) }),
      () => [scores(2, 3), probs([2, 3], 3)],
    ],
  ];
  test.each(withTarget)("%s, with respect to input and target", (_, loss, make) => {
    for (const reduction of ["mean", "sum"] as Reduction[]) {
      assertGradcheck((x, t) => loss(x, t), make(), TOL);
      assertGradcheck(
        (x, t) => (loss as (a: Tensor, b: Tensor, o: object) => Tensor)(x, t, { reduction }),
        make(),
        TOL,
      );
    }
  });

  const withLabels: [string, (x: Tensor, t: Tensor) => Tensor][] = [
    ["quadraticLoss", quadraticLoss],
    ["crossEntropyLoss", crossEntropyLoss],
    ["crossEntropyLoss with label smoothing", (x, t) => crossEntropyLoss(x, t, { labelSmoothing: 0.3 })],
  ];
  test.each(withLabels)("%s with int32 labels, through a Linear's parameters", (_, loss) => {
    const layer = new Linear(3, 4, { ...f64, generator: gen(1) });
    const x = randn([5, 3], { ...f64, generator: gen(2) });
    const t = labels(5, 4);
    const f = (xi: Tensor, w: Tensor, b: Tensor) =>
      loss(functionalCall(layer, { weight: w, bias: b }, xi), t);
    assertGradcheck(f, [x, layer.weight, layer.bias as Tensor], TOL);
  });
});

describe("errors name the loss and the shapes", () => {
  const x = scores(4, 3);
  test("shape mismatches", () => {
    expect(() => mseLoss(x, scores(3, 4))).toThrow(ShapeError);
    expect(() => mseLoss(x, scores(3, 4))).toThrow(/mseLoss: input \[4, 3\] and target \[3, 4\]/);
    expect(() => crossEntropyLoss(x, labels(5, 3))).toThrow(
      /crossEntropyLoss: labels \[5\] do not fit input \[4, 3\]/,
    );
    expect(() => quadraticLoss(randn([2, 2, 2]), labels(2, 2))).toThrow(
      /quadraticLoss: input must be \[N, C\]/,
    );
    expect(() => bceLoss(probs([3]), probs([4]))).toThrow(/bceLoss: input \[3\] and target \[4\]/);
  });

  test("dtype mismatches", () => {
    expect(() => crossEntropyLoss(tensor([[1, 2]], { dtype: "int32" }), labels(1, 2))).toThrow(DTypeError);
    expect(() => mseLoss(x, x.cast("float32"))).toThrow(
      /mseLoss: target dtype float32 differs from input dtype float64/,
    );
    expect(() => bceWithLogitsLoss(x, x.cast("int32"))).toThrow(DTypeError);
  });

  test("bad values", () => {
    expect(() => crossEntropyLoss(x, tensor([0, 1, 3, 0], { dtype: "int32" }))).toThrow(
      /crossEntropyLoss: label 3 at index 2 is outside \[0, 3\)/,
    );
    expect(() => quadraticLoss(x, tensor([0, -1, 0, 0], { dtype: "int32" }))).toThrow(ValueError);
    expect(() => bceLoss(tensor([1.5], f64), tensor([1], f64))).toThrow(/probabilities in \[0, 1\]/);
    expect(() => crossEntropyLoss(x, labels(4, 3), { labelSmoothing: 2 })).toThrow(ValueError);
    expect(() => new CrossEntropyLoss({ labelSmoothing: -1 })).toThrow(ValueError);
    expect(() => new MSELoss({ reduction: "avg" as Reduction })).toThrow(/reduction must be/);
  });
});
