// Forward kernels at sizes the op table's tiny samples never reach: blocked and WebAssembly matmul, the
// float32 WebAssembly exp and sigmoid (with extreme inputs), big broadcasts, reductions and where, each
// against a naive loop; on the WebAssembly path and with it switched off. Gradients at these sizes too.

import {
  add,
  argmax,
  div,
  exp,
  linear,
  matmul,
  max,
  maximum,
  min,
  mul,
  pow,
  type ReduceOptions,
  type Shape,
  sigmoid,
  softmax,
  sub,
  sum,
  type Tensor,
  tensor,
  where,
} from "@tapegrad/autograd";
import { checkVjp, expectAllClose } from "@tapegrad/autograd/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setWasmEnabled, wasm } from "../src/kernels/wasm/runtime.js";
import { hash, prng } from "./support.js";

const size = (s: Shape) => s.reduce((p, n) => p * n, 1);

function randomTensor(shape: Shape, dtype: "float32" | "float64", seed: string, lo = -1, hi = 1): Tensor {
  const rnd = prng(hash(seed));
  return tensor(
    Array.from({ length: size(shape) }, () => lo + (hi - lo) * rnd()),
    { shape, dtype },
  );
}

function strides(shape: Shape): number[] {
  const out = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) out[i] = (out[i + 1] as number) * (shape[i + 1] as number);
  return out;
}

/** Index into a tensor of `shape` for an index of the broadcast shape `out`. */
function broadcastIndex(index: number[], shape: Shape, out: Shape): number {
  const s = strides(shape);
  let flat = 0;
  for (let i = 0; i < shape.length; i++) {
    const j = out.length - shape.length + i;
    if ((shape[i] as number) !== 1) flat += (index[j] as number) * (s[i] as number);
  }
  return flat;
}

function unravel(i: number, shape: Shape): number[] {
  const s = strides(shape);
  return shape.map((n, d) => Math.floor(i / (s[d] as number)) % n);
}

/** C = op(A)·op(B) for 2-D or batched (broadcast) operands, in float64, with the error bound of each entry. */
function naiveMatmul(
  a: Tensor,
  b: Tensor,
  transA: boolean,
  transB: boolean,
): { value: number[]; scale: number[]; shape: number[] } {
  const ad = Array.from(a.data());
  const bd = Array.from(b.data());
  const [ra, rb] = [a.ndim, b.ndim];
  const M = a.shape[transA ? ra - 1 : ra - 2] as number;
  const K = a.shape[transA ? ra - 2 : ra - 1] as number;
  const N = b.shape[transB ? rb - 2 : rb - 1] as number;
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = batchA.length >= batchB.length ? [...batchA] : [...batchB];
  for (let i = 0; i < batch.length; i++) {
    const x = batchA[batchA.length - batch.length + i] ?? 1;
    const y = batchB[batchB.length - batch.length + i] ?? 1;
    batch[i] = Math.max(x, y);
  }
  const value: number[] = [];
  const scale: number[] = [];
  for (let t = 0; t < size(batch); t++) {
    const idx = unravel(t, batch);
    const offA = broadcastIndex(idx, batchA, batch) * M * K;
    const offB = broadcastIndex(idx, batchB, batch) * K * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        let m = 0;
        for (let k = 0; k < K; k++) {
          const x = ad[offA + (transA ? k * M + i : i * K + k)] as number;
          const y = bd[offB + (transB ? j * K + k : k * N + j)] as number;
          s += x * y;
          m += Math.abs(x * y);
        }
        value.push(s);
        scale.push(m);
      }
    }
  }
  return { value, scale, shape: [...batch, M, N] };
}

const WORK_FOR_WASM = 16 * 1024;

const MATMULS: [string, Shape, Shape, boolean, boolean][] = [
  ["[37, 65] x [65, 29]", [37, 65], [65, 29], false, false],
  ["[37, 65] x [29, 65]ᵀ", [37, 65], [29, 65], false, true],
  ["[65, 37]ᵀ x [65, 29]", [65, 37], [65, 29], true, false],
  ["[65, 37]ᵀ x [29, 65]ᵀ", [65, 37], [29, 65], true, true],
  ["one row [1, 300] x [300, 70]", [1, 300], [300, 70], false, false],
  ["one column [70, 300] x [300, 1]", [70, 300], [300, 1], false, false],
  ["inner size 1 [150, 1] x [1, 150]", [150, 1], [1, 150], false, false],
  ["batched, broadcast [3, 20, 30] x [1, 30, 40]", [3, 20, 30], [1, 30, 40], false, false],
  ["batched against 2-D, transposed [2, 3, 30, 20]ᵀ x [40, 30]ᵀ", [2, 3, 30, 20], [40, 30], true, true],
  ["below the WebAssembly threshold [5, 6] x [6, 7]", [5, 6], [6, 7], false, false],
];

describe.each([
  ["WebAssembly", true],
  ["TypeScript", false],
] as const)("%s kernels", (_, on) => {
  let previous = true;
  beforeAll(() => {
    previous = setWasmEnabled(on);
  });
  afterAll(() => {
    setWasmEnabled(previous);
  });

  test("the path under test is the one in use", () => {
    expect(wasm() !== null).toBe(on);
  });

  describe.each(["float32", "float64"] as const)("%s", (dtype) => {
    const ulp = dtype === "float32" ? 2 ** -23 : 2 ** -52;

    test.each(MATMULS)("matmul %s agrees with a naive loop", (label, sa, sb, transA, transB) => {
      const a = randomTensor(sa, dtype, `${label}/a`);
      const b = randomTensor(sb, dtype, `${label}/b`);
      const c = matmul(a, b, { transA, transB });
      const ref = naiveMatmul(a, b, transA, transB);
      expect(c.shape).toEqual(ref.shape);
      expect(c.dtype).toBe(dtype);
      const K = a.shape[transA ? a.ndim - 2 : a.ndim - 1] as number;
      const got = c.data();
      ref.value.forEach((v, i) => {
        const tol = 2 * (K + 2) * ulp * (ref.scale[i] as number) + 1e-30;
        if (Math.abs((got[i] as number) - v) > tol) {
          throw new Error(`${label} at ${i}: got ${got[i]}, expected ${v} (tolerance ${tol})`);
        }
      });
    });

    test("linear with bias agrees with matmul + bias, above and below the threshold", () => {
      for (const [n, inF, outF] of [
        [64, 40, 30],
        [3, 4, 5],
      ] as const) {
        const x = randomTensor([n, inF], dtype, `linear/x${n}`);
        const w = randomTensor([outF, inF], dtype, `linear/w${n}`);
        const b = randomTensor([outF], dtype, `linear/b${n}`);
        expect(n * inF * outF >= WORK_FOR_WASM).toBe(n === 64);
        expectAllClose(linear(x, w, b), add(matmul(x, w, { transB: true }), b), {
          rtol: 50 * ulp,
          atol: 50 * ulp,
        });
      }
    });
  });

  const extremes = [
    0,
    -0,
    1e-8,
    -1e-8,
    1,
    -1,
    10,
    -10,
    50,
    -50,
    80,
    -80,
    88,
    88.5,
    89,
    100,
    1000,
    -87,
    -88,
    -90,
    -100,
    -103,
    -104,
    -105,
    -150,
    -1000,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
  ];
  const many = [...extremes, ...Array.from({ length: 2000 }, (_, i) => -95 + (190 * i) / 1999)];
  const f32 = (v: number) => Math.fround(v);

  test.each([
    ["exp", exp, (v: number) => Math.exp(v)],
    ["sigmoid", sigmoid, (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)))],
  ] as const)(
    "float32 %s of 2000+ values, extremes included, is within 4 ulp (absolute 2⁻¹⁴⁸ below normals)",
    (_, op, ref) => {
      const x = tensor(many);
      const y = op(x).data();
      x.data().forEach((v, i) => {
        const expected = f32(ref(v));
        const got = y[i] as number;
        const ok =
          Object.is(got, expected) ||
          (Number.isNaN(expected) && Number.isNaN(got)) ||
          Math.abs(got - expected) <= 4 * 2 ** -23 * Math.abs(expected) + 2 ** -148;
        if (!ok) throw new Error(`${op.name}(${v}) = ${got}, expected ${expected}`);
      });
    },
  );

  test("softmax over long float32 rows sums to 1 and matches float64", () => {
    const x = randomTensor([4, 1500], "float32", "softmax", -30, 30);
    const s32 = softmax(x);
    const s64 = softmax(x.cast("float64"));
    expectAllClose(s32, s64, { rtol: 1e-5, atol: 1e-9 });
    expectAllClose(sum(s32, { axis: -1 }), [1, 1, 1, 1], { rtol: 1e-5 });
  });

  test.each([
    ["matmul [24, 40] x [40, 30]", (a: Tensor, b: Tensor) => matmul(a, b), [24, 40], [40, 30]],
    [
      "matmul transposed [40, 24]ᵀ x [30, 40]ᵀ",
      (a: Tensor, b: Tensor) => matmul(a, b, { transA: true, transB: true }),
      [40, 24],
      [30, 40],
    ],
    ["batched matmul [2, 20, 30] x [30, 40]", (a: Tensor, b: Tensor) => matmul(a, b), [2, 20, 30], [30, 40]],
    [
      "linear [50, 40], weight [30, 40]",
      (a: Tensor, b: Tensor) => linear(a, b, tensor(new Float64Array(30).fill(0.5))),
      [50, 40],
      [30, 40],
    ],
  ] as const)("gradients of %s match finite differences", (label, f, sa, sb) => {
    const a = randomTensor(sa, "float64", `${label}/a`);
    const b = randomTensor(sb, "float64", `${label}/b`);
    const r = checkVjp(f, [a, b], { seed: hash(label) });
    expect(r.ok, r.toString()).toBe(true);
  });
});

describe("big broadcasts, reductions and where against naive loops", () => {
  const binaryRefs = [
    ["add", add, (x: number, y: number) => x + y],
    ["sub", sub, (x: number, y: number) => x - y],
    ["mul", mul, (x: number, y: number) => x * y],
    ["div", div, (x: number, y: number) => x / y],
    ["maximum", maximum, (x: number, y: number) => Math.max(x, y)],
    ["pow", (a: Tensor, b: Tensor) => pow(a.abs(), b), (x: number, y: number) => Math.abs(x) ** y],
  ] as const;
  const shapes: [string, Shape, Shape][] = [
    ["same shape", [40, 50], [40, 50]],
    ["scalar on the right", [40, 50], []],
    ["scalar on the left", [], [40, 50]],
    ["both sides broadcast", [64, 1, 33], [1, 17, 33]],
    ["rank difference, inner size 1", [33, 1], [5, 33, 17]],
  ];
  describe.each(binaryRefs)("%s", (name, op, ref) => {
    test.each(shapes)("%s", (label, sa, sb) => {
      const a = randomTensor(sa, "float64", `${name}/${label}/a`, 0.5, 2);
      const b = randomTensor(sb, "float64", `${name}/${label}/b`, -2, 2);
      const c = op(a, b);
      const ad = a.data();
      const bd = b.data();
      const expected = Array.from({ length: c.size }, (_, i) => {
        const idx = unravel(i, c.shape);
        return ref(
          ad[broadcastIndex(idx, sa, c.shape)] as number,
          bd[broadcastIndex(idx, sb, c.shape)] as number,
        );
      });
      expectAllClose(c.data(), Float64Array.from(expected), { rtol: 1e-15, atol: 0 });
    });
  });

  test("where with three different broadcasts", () => {
    const cond = tensor(
      Array.from({ length: 64 }, (_, i) => (i % 3 === 0 ? 1 : 0)),
      { shape: [64, 1, 1], dtype: "int32" },
    );
    const a = randomTensor([1, 17, 33], "float64", "where/a");
    const b = randomTensor([64, 17, 1], "float64", "where/b");
    const c = where(cond, a, b);
    expect(c.shape).toEqual([64, 17, 33]);
    const [cd, ad, bd] = [cond.data(), a.data(), b.data()];
    const expected = Array.from({ length: c.size }, (_, i) => {
      const idx = unravel(i, c.shape);
      return (cd[broadcastIndex(idx, cond.shape, c.shape)] as number) !== 0
        ? (ad[broadcastIndex(idx, a.shape, c.shape)] as number)
        : (bd[broadcastIndex(idx, b.shape, c.shape)] as number);
    });
    expect(Array.from(c.data())).toEqual(expected);
  });

  const x = randomTensor([37, 41, 5], "float64", "reduce");
  const reductions: [string, ReduceOptions][] = [
    ["all", {}],
    ["axis 0", { axis: 0 }],
    ["axis 1", { axis: 1 }],
    ["axis -1, keepDims", { axis: -1, keepDims: true }],
    ["axes [0, 2]", { axis: [0, 2] }],
    ["axes [0, 1]", { axis: [0, 1] }],
    ["axes [1, 2], keepDims", { axis: [1, 2], keepDims: true }],
  ];
  function naiveReduce(
    t: Tensor,
    o: ReduceOptions,
    init: number,
    f: (acc: number, v: number) => number,
  ): number[] {
    const axes =
      o.axis === undefined
        ? [0, 1, 2]
        : (typeof o.axis === "number" ? [o.axis] : o.axis).map((a) => (a + 3) % 3);
    const kept = t.shape.map((n, d) => (axes.includes(d) ? 1 : n));
    const out = new Array<number>(size(kept)).fill(init);
    const data = t.data();
    for (let i = 0; i < t.size; i++) {
      const idx = unravel(i, t.shape).map((v, d) => (axes.includes(d) ? 0 : v));
      const j = idx.reduce((acc, v, d) => acc * (kept[d] as number) + v, 0);
      out[j] = f(out[j] as number, data[i] as number);
    }
    return out;
  }
  test.each(reductions)("sum, max and min over %s", (_, o) => {
    expectAllClose(sum(x, o).data(), Float64Array.from(naiveReduce(x, o, 0, (p, v) => p + v)), {
      rtol: 1e-12,
      atol: 1e-12,
    });
    expect(Array.from(max(x, o).data())).toEqual(naiveReduce(x, o, -Infinity, Math.max));
    expect(Array.from(min(x, o).data())).toEqual(naiveReduce(x, o, Infinity, Math.min));
  });

  test.each([0, 1, 2])("argmax along axis %i", (axis) => {
    const got = argmax(x, { axis }).data();
    const best = naiveReduce(x, { axis }, -Infinity, Math.max);
    const data = x.data();
    // The index found holds the maximum of its line.
    Array.from(got).forEach((k, j) => {
      const kept = x.shape.map((n, d) => (d === axis ? 1 : n));
      const idx = unravel(j, kept);
      idx[axis] = k;
      const flat = idx.reduce((acc, v, d) => acc * (x.shape[d] as number) + v, 0);
      expect(data[flat]).toBe(best[j]);
    });
  });
});
