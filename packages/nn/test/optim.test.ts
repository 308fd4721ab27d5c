import { AutogradError, Generator, randn, type Tensor, tensor, ValueError } from "@tapegrad/autograd";
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  clipGradNorm,
  ExponentialLR,
  Linear,
  type Optimizer,
  SGD,
  StepLR,
} from "@tapegrad/nn";
import { describe, expect, test } from "vitest";

const STEPS = 6;

/** Random starting values and per-step gradients, as plain float64 arrays. */
function problem(seed: number, size = 5): { start: number[]; grads: number[][] } {
  const g = new Generator(seed);
  const draw = () => Array.from(randn([size], { dtype: "float64", generator: g }).data());
  return { start: draw(), grads: Array.from({ length: STEPS }, draw) };
}

/** Runs an optimizer on one float64 parameter, feeding the given gradients; returns the values per step. */
function run(make: (p: Tensor) => Optimizer, start: number[], grads: number[][]): number[][] {
  const p = tensor(start, { dtype: "float64", requiresGrad: true });
  const opt = make(p);
  return grads.map((g) => {
    p.grad = tensor(g, { dtype: "float64" });
    opt.step();
    return Array.from(p.data());
  });
}

// Reference implementations written from PyTorch's documented update rules, on plain numbers.

function sgdReference(
  o: { lr: number; momentum?: number; dampening?: number; nesterov?: boolean; weightDecay?: number },
  start: number[],
  grads: number[][],
): number[][] {
  const p = [...start];
  let buf: number[] | null = null;
  const mu = o.momentum ?? 0;
  const tau = o.dampening ?? 0;
  const wd = o.weightDecay ?? 0;
  return grads.map((grad) => {
    let g = grad.map((v, i) => (wd === 0 ? v : v + p[i]! * wd));
    if (mu !== 0) {
      const prev: number[] | null = buf;
      buf = prev === null ? [...g] : prev.map((b, i) => b * mu + g[i]! * (1 - tau));
      const b = buf;
      g = o.nesterov ? g.map((v, i) => v + b[i]! * mu) : [...b];
    }
    for (let i = 0; i < p.length; i++) p[i] = p[i]! - g[i]! * o.lr;
    return [...p];
  });
}

function adamReference(
  o: {
    lr: number;
    betas?: [number, number];
    eps?: number;
    weightDecay?: number;
    amsgrad?: boolean;
    decoupled: boolean;
  },
  start: number[],
  grads: number[][],
): number[][] {
  const [b1, b2] = o.betas ?? [0.9, 0.999];
  const eps = o.eps ?? 1e-8;
  const wd = o.weightDecay ?? 0;
  let p = [...start];
  let m = p.map(() => 0);
  let v = p.map(() => 0);
  let vmax = p.map(() => 0);
  const lerp = (a: number, b: number, w: number) =>
    Math.abs(w) < 0.5 ? a + (b - a) * w : b - (b - a) * (1 - w);
  return grads.map((grad, k) => {
    const t = k + 1;
    let g = grad;
    if (wd !== 0 && o.decoupled) p = p.map((x) => x * (1 - o.lr * wd));
    if (wd !== 0 && !o.decoupled) g = g.map((x, i) => x + p[i]! * wd);
    m = m.map((mi, i) => lerp(mi, g[i]!, 1 - b1));
    v = v.map((vi, i) => vi * b2 + g[i]! * (1 - b2) * g[i]!);
    vmax = vmax.map((x, i) => Math.max(x, v[i]!));
    const second = o.amsgrad ? vmax : v;
    const stepSize = o.lr / (1 - b1 ** t);
    const bc2 = Math.sqrt(1 - b2 ** t);
    p = p.map((x, i) => x - (m[i]! / (Math.sqrt(second[i]!) / bc2 + eps)) * stepSize);
    return [...p];
  });
}

describe("SGD follows PyTorch's formulas exactly in float64", () => {
  const cases = [
    { lr: 0.1 },
    { lr: 0.05, weightDecay: 0.01 },
    { lr: 0.1, momentum: 0.9 },
    { lr: 0.1, momentum: 0.9, dampening: 0.3 },
    { lr: 0.1, momentum: 0.8, nesterov: true },
    { lr: 0.01, momentum: 0.5, nesterov: true, weightDecay: 0.1 },
  ];
  test.each(cases)("%o", (o) => {
    const { start, grads } = problem(1);
    expect(run((p) => new SGD([p], o), start, grads)).toEqual(sgdReference(o, start, grads));
  });
});

describe("Adam and AdamW follow PyTorch's formulas exactly in float64", () => {
  const cases = [
    { lr: 1e-3 },
    { lr: 0.1, betas: [0.8, 0.99] as [number, number], eps: 1e-6 },
    { lr: 0.05, weightDecay: 0.1 },
    { lr: 0.05, amsgrad: true },
    { lr: 0.1, betas: [0.3, 0.9] as [number, number] }, // lerp weight ≥ 0.5 takes PyTorch's other branch
  ];
  test.each(cases)("Adam %o", (o) => {
    const { start, grads } = problem(2);
    expect(run((p) => new Adam([p], o), start, grads)).toEqual(
      adamReference({ ...o, decoupled: false }, start, grads),
    );
  });
  test.each(cases)("AdamW %o", (o) => {
    const { start, grads } = problem(3);
    const want = adamReference({ weightDecay: 1e-2, ...o, decoupled: true }, start, grads);
    expect(run((p) => new AdamW([p], o), start, grads)).toEqual(want);
  });

  test("AdamW's default weight decay is 1e-2; Adam's is 0", () => {
    const p = tensor([1], { requiresGrad: true });
    expect(new AdamW([p]).weightDecay).toBe(1e-2);
    expect(new Adam([p]).weightDecay).toBe(0);
  });

  test("float32 parameters track the float64 reference closely", () => {
    const { start, grads } = problem(4);
    const p = tensor(start, { requiresGrad: true });
    const opt = new Adam([p], { lr: 0.01 });
    for (const g of grads) {
      p.grad = tensor(g);
      opt.step();
    }
    const want = adamReference({ lr: 0.01, decoupled: false }, start, grads).at(-1) as number[];
    Array.from(p.data()).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i]!, 5);
    });
    expect(p.dtype).toBe("float32");
  });
});

describe("optimizer behaviour", () => {
  test("updates parameters in place, so the module sees them", () => {
    const layer = new Linear(3, 2, { generator: new Generator(0) });
    const weight = layer.weight;
    const before = weight.toArray();
    const opt = new SGD(layer.parameters(), { lr: 0.5 });
    layer
      .call(randn([4, 3], { generator: new Generator(1) }))
      .sum()
      .backward();
    opt.step();
    expect(layer.weight).toBe(weight);
    expect(layer.weight.toArray()).not.toEqual(before);
    expect(layer.weight.isLeaf && layer.weight.requiresGrad).toBe(true);
  });

  test("a graph recorded before a step cannot be backpropagated after it (the write is versioned)", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const y = w.mul(w).sum();
    const opt = new SGD([w], { lr: 0.1 });
    w.grad = tensor([1, 1]);
    opt.step();
    expect(() => y.backward()).toThrow(AutogradError);
  });

  test("skips parameters without a gradient; zeroGrad clears them", () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const opt = new SGD([a, b], { lr: 1 });
    a.grad = tensor([2]);
    opt.step();
    expect([a.item(), b.item()]).toEqual([-1, 1]);
    opt.zeroGrad();
    expect([a.grad, b.grad]).toEqual([null, null]);
  });

  test("uses the current lr at each step", () => {
    const p = tensor([0], { dtype: "float64", requiresGrad: true });
    const opt = new SGD([p], { lr: 1 });
    p.grad = tensor([1], { dtype: "float64" });
    opt.step();
    opt.lr = 0.5;
    opt.step();
    expect(p.item()).toBe(-1.5);
  });

  test("lists each parameter once", () => {
    const p = tensor([1], { requiresGrad: true });
    expect(new Adam([p, p]).params).toHaveLength(1);
  });

  test("rejects bad parameters and settings", () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new SGD([])).toThrow(/empty parameter list/);
    expect(() => new SGD([tensor([1])])).toThrow(/must be a float tensor that requires grad/);
    expect(() => new SGD([p], { lr: -1 })).toThrow(ValueError);
    expect(() => new SGD([p], { nesterov: true })).toThrow(/nesterov needs momentum/);
    expect(() => new SGD([p], { momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow(ValueError);
    expect(() => new Adam([p], { betas: [1, 0.9] })).toThrow(/betas\[0\] must be in \[0, 1\)/);
    expect(() => new AdamW([p], { eps: -1 })).toThrow(ValueError);
    const opt = new SGD([p]);
    opt.lr = Number.NaN;
    expect(() => opt.step()).toThrow(ValueError);
  });
});

describe("learning-rate schedules", () => {
  const lrs = (make: (o: Optimizer) => { step(): void }, epochs: number, lr = 1): number[] => {
    const opt = new SGD([tensor([1], { requiresGrad: true })], { lr });
    const sched = make(opt);
    return Array.from({ length: epochs }, () => {
      const v = opt.lr;
      sched.step();
      return v;
    });
  };

  test("StepLR decays by gamma every stepSize epochs", () => {
    expect(lrs((o) => new StepLR(o, { stepSize: 3 }), 7, 2)).toEqual([
      2,
      2,
      2,
      2 * 0.1,
      2 * 0.1,
      2 * 0.1,
      2 * 0.1 ** 2,
    ]);
  });

  test("ExponentialLR decays by gamma every epoch", () => {
    expect(lrs((o) => new ExponentialLR(o, { gamma: 0.5 }), 4)).toEqual([1, 0.5, 0.25, 0.125]);
  });

  test("CosineAnnealingLR follows the half cosine from the base rate to etaMin", () => {
    const got = lrs((o) => new CosineAnnealingLR(o, { tMax: 10, etaMin: 0.1 }), 21);
    got.forEach((v, e) => {
      expect(v).toBeCloseTo(0.1 + (0.9 * (1 + Math.cos((Math.PI * e) / 10))) / 2, 15);
    });
    expect(got[10]).toBeCloseTo(0.1, 15);
    expect(got[20]).toBeCloseTo(1, 15);
  });

  test("schedules track epochs and reject bad settings", () => {
    const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
    const sched = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    sched.step();
    expect([sched.lastEpoch, sched.getLastLr(), sched.baseLr]).toEqual([1, 0.5, 1]);
    expect(() => new StepLR(opt, { stepSize: 0 })).toThrow(ValueError);
    expect(() => new ExponentialLR(opt, { gamma: -1 })).toThrow(ValueError);
    expect(() => new CosineAnnealingLR(opt, { tMax: 1.5 })).toThrow(ValueError);
  });
});

describe("clipGradNorm", () => {
  const withGrads = (...grads: number[][]): Tensor[] =>
    grads.map((g) => {
      const p = tensor(
        g.map(() => 0),
        { dtype: "float64", requiresGrad: true },
      );
      p.grad = tensor(g, { dtype: "float64" });
      return p;
    });

  test("returns the global 2-norm and scales every gradient to maxNorm", () => {
    const ps = withGrads([3, 0], [0, 4], [12]);
    const old = ps[0]?.grad;
    expect(clipGradNorm(ps, 6.5)).toBe(13);
    const norm = Math.hypot(...ps.flatMap((p) => Array.from((p.grad as Tensor).data())));
    expect(norm).toBeCloseTo(6.5, 6);
    expect(old?.toArray()).toEqual([3, 0]); // a new gradient tensor; the old one is untouched
  });

  test("leaves gradients alone below maxNorm and skips parameters without one", () => {
    const ps = [...withGrads([0.3, 0.4]), tensor([1], { requiresGrad: true })];
    const g = ps[0]?.grad;
    expect(clipGradNorm(ps, 1)).toBeCloseTo(0.5, 15);
    expect(ps[0]?.grad).toBe(g);
  });

  test("supports the infinity norm and other p-norms", () => {
    expect(clipGradNorm(withGrads([1, -7], [3]), 100, { normType: Infinity })).toBe(7);
    expect(clipGradNorm(withGrads([1, -1], [2]), 100, { normType: 1 })).toBe(4);
  });

  test("errors", () => {
    expect(() => clipGradNorm(withGrads([1]), -1)).toThrow(ValueError);
    expect(() => clipGradNorm(withGrads([Number.NaN]), 1, { errorIfNonfinite: true })).toThrow(/NaN/);
  });
});
