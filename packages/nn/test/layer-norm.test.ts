import { Generator, randn, ShapeError, type Tensor, tensor, ValueError } from "@tapegrad/autograd";
import { LayerNorm } from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { checkModule } from "./gradcheck-helpers.js";

const f64 = { dtype: "float64" } as const;
const x64 = (shape: number[], seed = 1) => randn(shape, { ...f64, generator: new Generator(seed) });
const param = (t: Tensor): Tensor => {
  t.requiresGrad = true;
  return t;
};

describe("LayerNorm", () => {
  test("gradients match finite differences for the input, weight and bias", () => {
    const norm = new LayerNorm([2, 3], f64);
    // Non-trivial parameters, so their gradients are not those of the identity affine map.
    norm.weight = param(x64([2, 3], 5));
    norm.bias = param(x64([2, 3], 6));
    expect(checkModule(norm, [x64([4, 2, 3])])).toBeGreaterThan(0);
    expect(
      checkModule(new LayerNorm(3, { ...f64, elementwiseAffine: false }), [x64([2, 3])]),
    ).toBeGreaterThan(0);
  });

  test("each sample comes out with mean 0 and (biased) variance 1 over the normalized axes", () => {
    const x = x64([5, 2, 4], 2).mul(3).add(7);
    const y = new LayerNorm([2, 4], { ...f64, eps: 0 }).call(x);
    const means = y.mean({ axis: [1, 2] }).toArray() as number[];
    const vars = y.variance({ axis: [1, 2], correction: 0 }).toArray() as number[];
    for (const m of means) expect(Math.abs(m)).toBeLessThan(1e-12);
    for (const v of vars) expect(v).toBeCloseTo(1, 12);
  });

  test("matches the definition (x - mean) / sqrt(var + eps) * weight + bias, PyTorch's names and init", () => {
    const norm = new LayerNorm(3, { ...f64, eps: 0.5 });
    expect(Object.entries(norm.stateDict()).map(([k, t]) => [k, t.toArray()])).toEqual([
      ["weight", [1, 1, 1]],
      ["bias", [0, 0, 0]],
    ]);
    norm.weight = tensor([1, 2, 3], { ...f64, requiresGrad: true });
    norm.bias = tensor([0, 1, -1], { ...f64, requiresGrad: true });
    // mean 2, biased variance 2/3: (x - 2) / sqrt(2/3 + 1/2)
    const s = Math.sqrt(2 / 3 + 0.5);
    const y = norm.call(tensor([[1, 2, 3]], f64)).toArray() as number[][];
    for (const [i, want] of [-1 / s, 1, 3 / s - 1].entries()) expect(y[0]?.[i]).toBeCloseTo(want, 12);
    expect(norm.toString()).toContain("LayerNorm(normalizedShape=[3], eps=0.5, elementwiseAffine=true)");
  });

  test("without bias or affine parameters there are fewer of them", () => {
    expect(new LayerNorm(4, { bias: false }).parameters().length).toBe(1);
    expect(new LayerNorm(4, { elementwiseAffine: false }).parameters().length).toBe(0);
    expect(new LayerNorm(4).weight?.dtype).toBe("float32");
  });

  test("bad settings and inputs get errors that name the rule", () => {
    expect(() => new LayerNorm([])).toThrow(ValueError);
    expect(() => new LayerNorm(0)).toThrow(/normalizedShape must be a positive integer or a non-empty list/);
    expect(() => new LayerNorm(3, { eps: -1 })).toThrow(/eps must be non-negative; got -1/);
    const norm = new LayerNorm([2, 3]);
    expect(() => norm.call(randn([4, 3, 2]))).toThrow(ShapeError);
    expect(() => norm.call(randn([3]) as Tensor)).toThrow(
      /^LayerNorm: input \[3\] must end in the normalized shape \[2, 3\]/,
    );
  });
});
