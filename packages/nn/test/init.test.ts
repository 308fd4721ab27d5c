import { Generator, ShapeError, type Tensor, tensor, ValueError, zeros } from "@tapegrad/autograd";
import {
  calculateGain,
  init,
  kaimingNormal,
  kaimingUniform,
  lecunNormal,
  xavierNormal,
  xavierUniform,
} from "@tapegrad/nn";
import { describe, expect, test } from "vitest";

const gen = (seed: number) => new Generator(seed);
const f64 = { dtype: "float64" } as const;
const stats = (t: Tensor) => ({
  mean: t.mean().item(),
  std: t.std({ correction: 0 }).item(),
  max: t.abs().max().item(),
});

describe("initialisers draw the documented distributions", () => {
  const shape = [200, 300]; // fanOut 200, fanIn 300
  test("xavier uniform and normal", () => {
    const a = Math.sqrt(6 / 500);
    const u = stats(xavierUniform(shape, { ...f64, generator: gen(0) }));
    expect(u.max).toBeLessThanOrEqual(a);
    expect(u.max).toBeGreaterThan(0.99 * a);
    expect(u.std).toBeCloseTo(a / Math.sqrt(3), 3);
    const n = stats(xavierNormal(shape, { ...f64, gain: 2, generator: gen(0) }));
    expect(n.std).toBeCloseTo(2 * Math.sqrt(2 / 500), 3);
    expect(Math.abs(n.mean)).toBeLessThan(0.002);
  });

  test("kaiming uniform and normal, fanIn and fanOut modes", () => {
    const u = stats(kaimingUniform(shape, { ...f64, generator: gen(1) }));
    expect(u.max).toBeLessThanOrEqual(Math.sqrt(6 / 300));
    expect(u.std).toBeCloseTo(Math.sqrt(2 / 300), 3);
    const n = stats(
      kaimingNormal(shape, { ...f64, mode: "fanOut", nonlinearity: "relu", generator: gen(1) }),
    );
    expect(n.std).toBeCloseTo(Math.sqrt(2 / 200), 3);
    const pytorchLinear = stats(kaimingUniform(shape, { ...f64, a: Math.sqrt(5), generator: gen(1) }));
    expect(pytorchLinear.max).toBeLessThanOrEqual(1 / Math.sqrt(300));
    expect(pytorchLinear.max).toBeGreaterThan(0.99 / Math.sqrt(300));
  });

  test("lecun normal (the notebook's weights), normal, uniform, constant, zeros", () => {
    expect(stats(lecunNormal(shape, { ...f64, generator: gen(2) })).std).toBeCloseTo(1 / Math.sqrt(300), 3);
    expect(stats(init.normal([100000], { ...f64, mean: 0, std: 3, generator: gen(2) })).std).toBeCloseTo(
      3,
      1,
    );
    const u = init.uniform([1000], { low: 2, high: 3, generator: gen(2) });
    expect(u.min().item()).toBeGreaterThanOrEqual(2);
    expect(u.max().item()).toBeLessThan(3);
    expect(init.constant([2], 1.5, f64).toArray()).toEqual([1.5, 1.5]);
    expect(init.zeros([2, 1]).toArray()).toEqual([[0], [0]]);
    expect(init.zeros([1]).dtype).toBe("float32");
  });
});

describe("initialiser mechanics", () => {
  test("the same generator seed gives the same values", () => {
    for (const f of [xavierUniform, xavierNormal, kaimingUniform, kaimingNormal, lecunNormal]) {
      expect(f([3, 4], { generator: gen(5) }).toArray()).toEqual(f([3, 4], { generator: gen(5) }).toArray());
    }
  });

  test("filling a tensor writes in place and returns it", () => {
    const w = zeros([4, 4], { ...f64, requiresGrad: true });
    expect(xavierUniform(w, { generator: gen(0) })).toBe(w);
    expect(w.abs().max().item()).toBeGreaterThan(0);
    expect(w.dtype).toBe("float64");
    expect(init.constant(w, 2)).toBe(w);
    expect(w.sum().item()).toBe(32);
  });

  test("fans come from [out, in, ...kernel]; a 1-D shape needs them given", () => {
    expect(init.fans([8, 3, 2, 2])).toEqual({ fanIn: 12, fanOut: 32 });
    expect(() => xavierUniform([5])).toThrow(ShapeError);
    expect(() => xavierUniform([5])).toThrow(/pass \{ fanIn, fanOut \}/);
    const b = kaimingUniform([5], { fanIn: 4, fanOut: 5, a: Math.sqrt(5), generator: gen(0) });
    expect(b.abs().max().item()).toBeLessThanOrEqual(0.5);
  });

  test("calculateGain", () => {
    expect(calculateGain("linear")).toBe(1);
    expect(calculateGain("sigmoid")).toBe(1);
    expect(calculateGain("tanh")).toBe(5 / 3);
    expect(calculateGain("relu")).toBe(Math.SQRT2);
    expect(calculateGain("leakyRelu", 0)).toBe(Math.SQRT2);
    expect(calculateGain("leakyRelu", Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(calculateGain("selu")).toBe(0.75);
    expect(() => calculateGain("swish" as "relu")).toThrow(ValueError);
  });

  test("bad arguments", () => {
    expect(() => init.constant([2], Number.NaN)).toThrow(ValueError);
    expect(() => init.normal([2], { dtype: "int32" })).toThrow(/float32 or float64/);
    expect(() => init.normal(tensor([1, 2], { dtype: "int32" }))).toThrow(/float32 or float64/);
    expect(() => xavierUniform([2, 2], { fanIn: -1 })).toThrow(ValueError);
  });
});
