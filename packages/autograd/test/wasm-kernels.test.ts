// The WebAssembly kernels against the TypeScript reference kernels, on random shapes including odd sizes,
// transposes, batches and special values.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Generator, matmul, rand, randn, type Tensor, type TypedArray, tensor } from "../src/index.js";
import { setWasmEnabled, wasm } from "../src/kernels/wasm/runtime.js";
import { sigmoidGrad, tanhGrad } from "../src/ops/unary.js";

function both<T>(f: () => T): [T, T] {
  const prev = setWasmEnabled(true);
  try {
    const fast = f();
    setWasmEnabled(false);
    return [fast, f()];
  } finally {
    setWasmEnabled(prev);
  }
}

function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.data();
  const y = b.data();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs((x[i] as number) - (y[i] as number)));
  return m;
}

/** Exact on NaN, infinities and zeros; elsewhere at most `ulps` units in the last place apart. */
function expectWithinUlps(fast: TypedArray, ref: TypedArray, ulps: number): void {
  // the distance is taken on the integer bit patterns (as BigInt for float64, whose 64 bits exceed 2⁵³)
  const distance =
    ref instanceof Float64Array
      ? (f: number, r: number) => {
          const [x, y] = new BigInt64Array(new Float64Array([f, r]).buffer) as unknown as [bigint, bigint];
          return Number(x > y ? x - y : y - x);
        }
      : (f: number, r: number) => {
          const [x, y] = new Int32Array(new Float32Array([f, r]).buffer) as unknown as [number, number];
          return Math.abs(x - y);
        };
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i] as number;
    const f = fast[i] as number;
    if (Number.isNaN(r) || !Number.isFinite(r) || r === 0) expect(f).toBe(r);
    else expect(distance(f, r)).toBeLessThanOrEqual(ulps);
  }
}

describe("WebAssembly kernels", () => {
  test("load on this machine", () => {
    expect(wasm()).not.toBeNull();
  });

  test("matmul matches the TypeScript kernel on random shapes, transposes and batches", () => {
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 70 }),
          n: fc.integer({ min: 1, max: 70 }),
          k: fc.integer({ min: 1, max: 600 }),
          batch: fc.constantFrom([], [2], [3, 1]),
          transA: fc.boolean(),
          transB: fc.boolean(),
          dtype: fc.constantFrom("float32" as const, "float64" as const),
          seed: fc.integer({ min: 0, max: 1e6 }),
        }),
        ({ m, n, k, batch, transA, transB, dtype, seed }) => {
          const gen = new Generator(seed);
          const a = randn([...batch, ...(transA ? [k, m] : [m, k])], { generator: gen, dtype });
          const b = randn(transB ? [n, k] : [k, n], { generator: gen, dtype });
          const [fast, ref] = both(() => matmul(a, b, { transA, transB }));
          expect(fast.shape).toEqual(ref.shape);
          // float32 accumulates in float32 in the SIMD kernel and in float64 in the reference.
          const tol = dtype === "float32" ? 2e-6 * k : 1e-12 * k;
          expect(maxAbsDiff(fast, ref)).toBeLessThanOrEqual(tol);
        },
      ),
      { numRuns: 60 },
    );
  });

  test.each(["float32", "float64"] as const)(
    "large %s products (split across two threads) match the reference",
    (dtype) => {
      // 257·263·301 multiply-adds is above the threshold at which the second thread takes half the rows.
      const gen = new Generator(11);
      const a = randn([257, 301], { generator: gen, dtype });
      const b = randn([263, 301], { generator: gen, dtype });
      const [fast, ref] = both(() => matmul(a, b, { transB: true }));
      expect(maxAbsDiff(fast, ref)).toBeLessThanOrEqual(dtype === "float32" ? 2e-6 * 301 : 1e-12 * 301);
    },
  );

  test.each([
    ["sigmoidGrad", "float32"],
    ["sigmoidGrad", "float64"],
    ["tanhGrad", "float32"],
    ["tanhGrad", "float64"],
  ] as const)("%s in %s matches the reference", (op, dtype) => {
    const gen = new Generator(5);
    const low = op === "sigmoidGrad" ? 0 : -1;
    const y = rand([5003], { generator: gen, dtype, low, high: 1 });
    const g = randn([5003], { generator: gen, dtype });
    const f = op === "sigmoidGrad" ? sigmoidGrad : tanhGrad;
    const [fast, ref] = both(() => f(y, g).data());
    const rtol = dtype === "float32" ? 1e-6 : 1e-12;
    for (let i = 0; i < ref.length; i++) {
      const r = ref[i] as number;
      expect(Math.abs((fast[i] as number) - r)).toBeLessThanOrEqual(rtol * Math.max(Math.abs(r), 1e-6));
    }
  });

  test("matmul propagates NaN and Infinity like the reference", () => {
    const a = randn([40, 30], { generator: new Generator(1) });
    const data = a.data();
    data[5] = Number.NaN;
    data[100] = Number.POSITIVE_INFINITY;
    const bad = tensor(data, { shape: [40, 30] });
    const b = randn([30, 20], { generator: new Generator(2) });
    const [fast, ref] = both(() => matmul(bad, b).data());
    for (let i = 0; i < fast.length; i++) {
      expect(Number.isNaN(fast[i] as number)).toBe(Number.isNaN(ref[i] as number));
      if (!Number.isFinite(ref[i] as number)) expect(fast[i]).toBe(ref[i]);
    }
  });

  test.each(["exp", "sigmoid"] as const)(
    "float64 %s is within 2 ulp of the reference, special values exact",
    (op) => {
      const values = [
        Number.NaN,
        Infinity,
        -Infinity,
        0,
        -0,
        709.7,
        709.8,
        710,
        -708,
        -745,
        -745.2,
        -746,
        1e-12,
      ];
      const grid = Array.from({ length: 8001 }, (_, i) => -800 + (1600 * i) / 8000);
      const x = tensor([...values, ...grid], { dtype: "float64" });
      const [fast, ref] = both(() => x[op]().data());
      expectWithinUlps(fast, ref, 2);
    },
  );

  test.each(["exp", "sigmoid"] as const)(
    "float32 %s is within 2 ulp of the reference, special values exact",
    (op) => {
      const values = [
        Number.NaN,
        Infinity,
        -Infinity,
        0,
        -0,
        88.5,
        88.72,
        88.8,
        -87.5,
        -103.9,
        -104,
        1e-8,
        -1e-8,
      ];
      const grid = Array.from({ length: 4001 }, (_, i) => -120 + (240 * i) / 4000);
      const x = tensor([...values, ...grid]);
      const [fast, ref] = both(() => x[op]().data());
      expectWithinUlps(fast, ref, 2);
    },
  );
});
