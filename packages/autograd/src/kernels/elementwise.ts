// Forward math of the elementwise ops: one compiled loop per op, shared by every dtype.

import { allocate, type DType, dtypeOf, type TypedArray } from "../dtype.js";
import type { NDArray } from "../ndarray.js";
import { sizeOf } from "../shape.js";
import { type BinaryLoop, binaryLoop, type UnaryLoop, unaryLoop } from "./compile.js";
import { broadcastStrides, broadcastTo } from "./strided.js";
import { mapPairWasm, mapWasm, WASM_MAP_MIN_SIZE } from "./wasm/map.js";

// NOTE: sigmoid and softplus branch on the sign of x so that exp never overflows: both stay exact
// for |x| in the thousands instead of returning NaN or Infinity.
const UNARY_EXPR = {
  neg: "-x",
  exp: "Math.exp(x)",
  expm1: "Math.expm1(x)",
  log: "Math.log(x)",
  log1p: "Math.log1p(x)",
  sqrt: "Math.sqrt(x)",
  abs: "Math.abs(x)",
  sign: "x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN",
  sin: "Math.sin(x)",
  cos: "Math.cos(x)",
  tan: "Math.tan(x)",
  tanh: "Math.tanh(x)",
  sigmoid: "x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))",
  // Branch-free: a data-dependent ternary mispredicts on mixed signs and costs several times more. The
  // test keeps -∞ at 0 (not -∞·0 = NaN); "+ 0" turns the -0 of a negative x into 0.
  relu: "x === -Infinity ? 0 : x * +(x > 0) + 0",
  softplus: "x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))",
  square: "x * x",
  reciprocal: "1 / x",
  clamp: "x < p ? p : x > q ? q : x",
  leakyRelu: "x > 0 ? x : p * x",
  isfinite: "Number.isFinite(x) ? 1 : 0",
} as const;

/** Names of the compiled unary loops. @internal */
export type UnaryKernel = keyof typeof UNARY_EXPR;

// NOTE: one compiled loop per op and dtype pair, so each loop only ever sees one kind of typed array and
// V8 keeps its element accesses monomorphic.
const loops = new Map<string, unknown>();
function compiled<T>(key: string, make: () => T): T {
  let f = loops.get(key) as T | undefined;
  if (f === undefined) {
    f = make();
    loops.set(key, f);
  }
  return f;
}

function unaryFor(kernel: UnaryKernel, from: DType, to: DType): UnaryLoop {
  return compiled(`unary:${kernel}:${from}:${to}`, () => unaryLoop(UNARY_EXPR[kernel], `${kernel}_${from}`));
}

/** Overwrites `data` with `kernel` applied to it (the epilogue of fused ops). @internal */
export function unaryInPlace(kernel: UnaryKernel, data: TypedArray): void {
  const dtype = dtypeOf(data);
  unaryFor(kernel, dtype, dtype)(data, data, 0, 0);
}

/** Applies a unary loop, writing `outDtype` (defaults to the input's). @internal */
export function unary(kernel: UnaryKernel, x: NDArray, outDtype: DType = x.dtype, p = 0, q = 0): NDArray {
  const out = allocate(outDtype, x.data.length);
  if (
    (kernel === "sigmoid" || kernel === "exp") &&
    x.dtype === outDtype &&
    x.dtype !== "int32" &&
    x.data.length >= WASM_MAP_MIN_SIZE &&
    mapWasm(kernel, x.data as Float32Array | Float64Array, out as Float32Array | Float64Array)
  ) {
    return { data: out, shape: x.shape, dtype: outDtype };
  }
  unaryFor(kernel, x.dtype, outDtype)(x.data, out, p, q);
  return { data: out, shape: x.shape, dtype: outDtype };
}

const BINARY_EXPR = {
  add: "x + y",
  sub: "x - y",
  mul: "x * y",
  div: "x / y",
  pow: "Math.pow(x, y)",
  maximum: "x > y || x !== x ? x : y",
  minimum: "x < y || x !== x ? x : y",
  // Comparisons as +(boolean): branch-free, unlike "? 1 : 0".
  eq: "+(x === y)",
  ne: "+(x !== y)",
  gt: "+(x > y)",
  ge: "+(x >= y)",
  lt: "+(x < y)",
  le: "+(x <= y)",
  atan2: "Math.atan2(x, y)",
  squaredDifference: "(x - y) * (x - y)",
  // vjps of sigmoid and tanh in one pass: x is the op's output, y its cotangent
  sigmoidGrad: "y * x * (1 - x)",
  tanhGrad: "y * (1 - x * x)",
} as const;

/** Names of the compiled binary loops. @internal */
export type BinaryKernel = keyof typeof BINARY_EXPR;

function binaryFor(kernel: BinaryKernel, from: DType, to: DType): BinaryLoop {
  return compiled(`binary:${kernel}:${from}:${to}`, () =>
    binaryLoop(BINARY_EXPR[kernel], `${kernel}_${from}`),
  );
}

/** Applies a binary loop with broadcasting to `shape` (already validated by the op). @internal */
export function binary(
  kernel: BinaryKernel,
  a: NDArray,
  b: NDArray,
  shape: readonly number[],
  outDtype: DType,
): NDArray {
  const out = allocate(outDtype, sizeOf(shape));
  if (
    (kernel === "sigmoidGrad" || kernel === "tanhGrad") &&
    a.dtype !== "int32" &&
    a.dtype === outDtype &&
    b.dtype === outDtype &&
    a.data.length === out.length &&
    b.data.length === out.length &&
    out.length >= WASM_MAP_MIN_SIZE &&
    mapPairWasm(
      kernel,
      a.data as Float32Array | Float64Array,
      b.data as Float32Array | Float64Array,
      out as Float32Array | Float64Array,
    )
  ) {
    return { data: out, shape, dtype: outDtype };
  }
  binaryFor(kernel, a.dtype, outDtype)(
    a.data,
    b.data,
    out,
    shape,
    broadcastStrides(a.shape, shape),
    broadcastStrides(b.shape, shape),
  );
  return { data: out, shape, dtype: outDtype };
}

/** A flat operand and its step: 1 when it has every element, 0 when it is a single value read in place. */
type Operand = [TypedArray, number];

/** The three operands of a ternary loop over `shape`; operands that are neither full nor single are broadcast. */
function ternaryOperands(
  shape: readonly number[],
  a: NDArray,
  b: NDArray,
  c: NDArray,
): [Operand, Operand, Operand] {
  const n = sizeOf(shape);
  const flat = (x: NDArray): Operand => {
    const data = x.data.length === n || x.data.length === 1 ? x.data : broadcastTo(x, shape).data;
    return [data, data.length === n ? 1 : 0];
  };
  return [flat(a), flat(b), flat(c)];
}

/** `cond ? a : b` elementwise, all three broadcast to `shape`. @internal */
export function where(
  cond: NDArray,
  a: NDArray,
  b: NDArray,
  shape: readonly number[],
  dtype: DType,
): NDArray {
  const [[c, sc], [x, sx], [y, sy]] = ternaryOperands(shape, cond, a, b);
  const n = sizeOf(shape);
  const out = allocate(dtype, n);
  // Both candidates go into a two-slot array and the mask picks the slot: no data-dependent branch, which
  // on a mixed mask (relu's backward) mispredicts half the time. Float64 slots hold every value exactly.
  const pick = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    pick[0] = y[i * sy] as number;
    pick[1] = x[i * sx] as number;
    out[i] = pick[+((c[i * sc] as number) !== 0)] as number;
  }
  return { data: out, shape, dtype };
}

/** `2·g·(a - b)` elementwise, the three broadcast to `shape`: the vjp of squaredDifference in one pass. @internal */
export function squaredDifferenceGrad(
  a: NDArray,
  b: NDArray,
  g: NDArray,
  shape: readonly number[],
  dtype: DType,
): NDArray {
  const [[x, sx], [y, sy], [z, sz]] = ternaryOperands(shape, a, b, g);
  const n = sizeOf(shape);
  const out = allocate(dtype, n);
  for (let i = 0; i < n; i++)
    out[i] = 2 * (z[i * sz] as number) * ((x[i * sx] as number) - (y[i * sy] as number));
  return { data: out, shape, dtype };
}
