// The @tapegrad/autograd/testing subpath: its arbitraries stay within their bounds and cover the cases
// they promise, and its closeness checks accept and reject what they should, with readable messages.

import { broadcastShapes, customVjp, DTypeError, type Tensor, tensor, ValueError } from "@tapegrad/autograd";
import {
  allClose,
  broadcastPairArb,
  checkVjp,
  expectAllClose,
  shapeArb,
  tensorArb,
} from "@tapegrad/autograd/testing";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { fcParams } from "./support.js";

describe("shapeArb", () => {
  test("respects rank and size bounds", () => {
    fc.assert(
      fc.property(shapeArb({ minRank: 1, maxRank: 2, minSize: 2, maxSize: 3 }), (s) => {
        expect(s.length >= 1 && s.length <= 2).toBe(true);
        expect(s.every((n) => n >= 2 && n <= 3)).toBe(true);
      }),
      fcParams(100),
    );
  });

  test("defaults to 0..3 axes of 1..4 and can produce scalars", () => {
    const shapes = fc.sample(shapeArb(), { numRuns: 300, seed: 1 });
    expect(shapes.every((s) => s.length <= 3 && s.every((n) => n >= 1 && n <= 4))).toBe(true);
    expect(shapes.some((s) => s.length === 0)).toBe(true);
    expect(shapes.some((s) => s.length === 3)).toBe(true);
  });

  test("rejects bounds out of order", () => {
    expect(() => shapeArb({ minRank: 3, maxRank: 1 })).toThrow(ValueError);
    expect(() => shapeArb({ maxSize: -1 })).toThrow(/shapeArb: need non-negative integers/);
  });
});

describe("broadcastPairArb", () => {
  test("every pair broadcasts", () => {
    fc.assert(
      fc.property(broadcastPairArb({ maxRank: 4, maxSize: 3 }), ([a, b]) => {
        expect(() => broadcastShapes(a, b)).not.toThrow();
      }),
      fcParams(200),
    );
  });

  test("covers rank differences, size-1 axes against longer ones, and scalars", () => {
    const pairs = fc.sample(broadcastPairArb(), { numRuns: 500, seed: 2 });
    expect(pairs.some(([a, b]) => a.length !== b.length)).toBe(true);
    expect(
      pairs.some(([a, b]) => a.length === b.length && a.some((n, i) => n === 1 && (b[i] as number) > 1)),
    ).toBe(true);
    expect(pairs.some(([a, b]) => (a.length === 0) !== (b.length === 0))).toBe(true);
    // e.g. [3, 1] x [1, 4]: each side broadcasts along a different axis
    expect(
      pairs.some(
        ([a, b]) =>
          a.length === b.length &&
          a.some((n, i) => n === 1 && (b[i] as number) > 1) &&
          b.some((n, i) => n === 1 && (a[i] as number) > 1),
      ),
    ).toBe(true);
  });
});

describe("tensorArb", () => {
  test("fixed shape, dtype, range and requiresGrad", () => {
    fc.assert(
      fc.property(tensorArb([2, 3], { dtype: "float64", min: -0.5, max: 0.25, requiresGrad: true }), (t) => {
        expect(t.shape).toEqual([2, 3]);
        expect(t.dtype).toBe("float64");
        expect(t.requiresGrad).toBe(true);
        expect(Array.from(t.data()).every((v) => v >= -0.5 && v <= 0.25)).toBe(true);
      }),
      fcParams(100),
    );
  });

  test("float32 values stay inside bounds that float32 cannot represent exactly", () => {
    fc.assert(
      fc.property(tensorArb([8], { min: 0.1, max: 0.3 }), (t) => {
        expect(t.dtype).toBe("float32");
        expect(Array.from(t.data()).every((v) => v >= 0.1 && v <= 0.3)).toBe(true);
      }),
      fcParams(100),
    );
  });

  test("int32 values are integers in range; NaN never appears in floats", () => {
    fc.assert(
      fc.property(
        tensorArb(shapeArb(), { dtype: "int32", min: -3.5, max: 2 }),
        tensorArb([16], { dtype: "float64" }),
        (i, f) => {
          expect(Array.from(i.data()).every((v) => Number.isInteger(v) && v >= -3 && v <= 2)).toBe(true);
          expect(Array.from(f.data()).every((v) => !Number.isNaN(v) && v >= -10 && v <= 10)).toBe(true);
        },
      ),
      fcParams(100),
    );
  });

  test("shapes drawn from a shape arbitrary; custom element arbitraries", () => {
    fc.assert(
      fc.property(tensorArb(shapeArb({ minRank: 1, maxRank: 1 }), { elements: fc.constant(7) }), (t) => {
        expect(t.ndim).toBe(1);
        expect(Array.from(t.data()).every((v) => v === 7)).toBe(true);
      }),
      fcParams(50),
    );
  });

  test("each draw is a fresh leaf", () => {
    const [a, b] = fc.sample(tensorArb([1], { requiresGrad: true }), { numRuns: 2, seed: 3 }) as [
      Tensor,
      Tensor,
    ];
    expect(a).not.toBe(b);
    expect(a.isLeaf && b.isLeaf).toBe(true);
  });

  test("rejects ranges without a value of the dtype, and requiresGrad on int32", () => {
    expect(() => tensorArb([1], { dtype: "int32", min: 0.2, max: 0.8 })).toThrow(
      /tensorArb: no int32 value in \[0.2, 0.8\]/,
    );
    expect(() => fc.sample(tensorArb([1], { dtype: "int32", requiresGrad: true }), 1)).toThrow(DTypeError);
  });
});

describe("allClose and expectAllClose", () => {
  test("tolerances follow NumPy's isclose: atol + rtol·|expected|", () => {
    expect(allClose(tensor([1 + 1e-6], { dtype: "float64" }), [1])).toBe(true);
    expect(allClose(tensor([1 + 1e-4], { dtype: "float64" }), [1])).toBe(false);
    expect(allClose(tensor([1e-9], { dtype: "float64" }), [0])).toBe(true);
    expect(allClose(tensor([1.1], { dtype: "float64" }), [1], { rtol: 0.2 })).toBe(true);
    expect(allClose(tensor([0.5], { dtype: "float64" }), [0], { atol: 0.6, rtol: 0 })).toBe(true);
  });

  test("NaN only with equalNaN; infinities must match in sign", () => {
    expect(allClose(tensor([Number.NaN]), [Number.NaN])).toBe(false);
    expect(allClose(tensor([Number.NaN]), [Number.NaN], { equalNaN: true })).toBe(true);
    expect(allClose(tensor([Number.POSITIVE_INFINITY]), [Number.POSITIVE_INFINITY])).toBe(true);
    expect(allClose(tensor([Number.POSITIVE_INFINITY]), [Number.NEGATIVE_INFINITY])).toBe(false);
    expect(allClose(tensor([1]), [Number.POSITIVE_INFINITY])).toBe(false);
  });

  test("shapes must match exactly; nested arrays, typed arrays and numbers compare", () => {
    expect(allClose(tensor([1, 2]), [[1, 2]])).toBe(false);
    expect(allClose(tensor([[1, 2]]), [[1, 2]])).toBe(true);
    expect(allClose(tensor(3), 3)).toBe(true);
    expect(allClose(tensor(3), [3])).toBe(false);
    expect(allClose(new Float64Array([1, 2]), tensor([1, 2]))).toBe(true);
    expect(allClose(tensor([]), [])).toBe(true);
  });

  test("expectAllClose passes silently or throws a message with the first mismatches", () => {
    expect(() => expectAllClose(tensor([1, 2]).mul(2), [2, 4])).not.toThrow();
    expect(() => expectAllClose(tensor([1, 2]), [1, 2.5], { message: "doubling" })).toThrow(
      "doubling: 1 of 2 elements not close (rtol 0.00001, atol 1e-8)\n  at [1]: actual 2, expected 2.5, |diff| 0.5 > tol 0.00002501",
    );
    expect(() => expectAllClose(tensor([[1, 2]]), [1, 2])).toThrow(
      "expectAllClose: shapes differ; got actual [1, 2] and expected [2]",
    );
    const many = () =>
      expectAllClose(
        tensor(new Float64Array(8)),
        Array.from({ length: 8 }, (_, i) => i + 1),
      );
    expect(many).toThrow(/8 of 8 elements not close[\s\S]*at \[4\][\s\S]*\.\.\. and 3 more$/);
    expect(() => expectAllClose(tensor([1]), [[1], 2] as never)).toThrow(/expected is a ragged nested array/);
  });
});

describe("checkVjp", () => {
  test("passes a correct vjp and fails a wrong one", () => {
    const x = tensor([0.3, -1.2, 2], { dtype: "float64" });
    expect(checkVjp((t: Tensor) => t.tanh().mul(t), [x]).ok).toBe(true);
    const wrong = customVjp(
      (t: Tensor) => t.square(),
      ({ g }) => [g],
    );
    const r = checkVjp((t: Tensor) => wrong(t), [x]);
    expect(r.ok).toBe(false);
    expect(r.toString()).toMatch(
      /^checkVjp FAILED: <vjp\(u\), v> = .*, <u, finite differences> = .*, \|diff\| .* vs tolerance/,
    );
  });

  test("uses the given u and v; int32 inputs pass through unperturbed", () => {
    const a = tensor([1, 2], { dtype: "float64" });
    const idx = tensor([1, 0, 1], { dtype: "int32" });
    const u = tensor([1, 0, 2], { dtype: "float64" });
    const v = [tensor([0.5, -1], { dtype: "float64" })];
    const r = checkVjp((t: Tensor, i: Tensor) => t.gather(i).mul(3), [a, idx], { u, v });
    // vjp(u) = 3·(u scattered back to the picked rows) = 3·[0, 1 + 2] = [0, 9]; ⟨[0, 9], v⟩ = -9
    expect(r.ok).toBe(true);
    expect(r.lhs).toBeCloseTo(-9, 12);
    expect(r.rhs).toBeCloseTo(-9, 8);
  });

  test("rejects u or v of the wrong shape", () => {
    const x = tensor([1, 2], { dtype: "float64" });
    expect(() => checkVjp((t: Tensor) => t.sum(), [x], { u: tensor([1, 2]) })).toThrow(
      /checkVjp: u has shape \[2\]; the output has \[\]/,
    );
    expect(() => checkVjp((t: Tensor) => t.sum(), [x], { v: [] })).toThrow(
      /need one tangent per floating-point input/,
    );
  });
});
