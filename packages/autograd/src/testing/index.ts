// Helpers for property tests of code built on tapegrad: fast-check arbitraries for shapes and tensors,
// closeness checks with readable failures, and the randomized vjp-versus-finite-differences check.

import fc from "fast-check";
import { fmtShape } from "../errors.js";
import {
  add,
  cast,
  type DType,
  Generator,
  mul,
  type NestedArray,
  noGrad,
  type Shape,
  Tensor,
  tensor,
  ValueError,
  vjp,
} from "../index.js";

/**
 * Bounds of {@link shapeArb} and {@link broadcastPairArb}.
 *
 * @example
 * ```ts
 * import { shapeArb, type ShapeArbOptions } from "@tapegrad/autograd/testing";
 * const opts: ShapeArbOptions = { minRank: 1, maxRank: 2, maxSize: 3 };
 * const arb = shapeArb(opts);
 * ```
 * @category Testing
 */
export interface ShapeArbOptions {
  /** Fewest axes. Default 0 (a scalar shape `[]` can come out). */
  minRank?: number;
  /** Most axes. Default 3. */
  maxRank?: number;
  /** Smallest length of an axis. Default 1; pass 0 to include empty tensors. */
  minSize?: number;
  /** Largest length of an axis. Default 4. */
  maxSize?: number;
}

function bounds(options: ShapeArbOptions): Required<ShapeArbOptions> {
  const b = {
    minRank: options.minRank ?? 0,
    maxRank: options.maxRank ?? 3,
    minSize: options.minSize ?? 1,
    maxSize: options.maxSize ?? 4,
  };
  const ints = Object.values(b).every((n) => Number.isInteger(n) && n >= 0);
  if (!ints || b.minRank > b.maxRank || b.minSize > b.maxSize) {
    throw new ValueError(
      `shapeArb: need non-negative integers with minRank <= maxRank and minSize <= maxSize; got ${JSON.stringify(b)}`,
    );
  }
  return b;
}

/**
 * An arbitrary of tensor shapes: `minRank..maxRank` axes, each of length `minSize..maxSize`. Shrinks toward
 * fewer and shorter axes.
 * @throws {ValueError} If the bounds are not non-negative integers in order.
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { zeros } from "@tapegrad/autograd";
 * import { shapeArb } from "@tapegrad/autograd/testing";
 * fc.assert(fc.property(shapeArb({ maxRank: 3, maxSize: 4 }), (shape) => zeros(shape).ndim === shape.length));
 * ```
 * @category Testing
 */
export function shapeArb(options: ShapeArbOptions = {}): fc.Arbitrary<number[]> {
  const b = bounds(options);
  return fc.array(fc.integer({ min: b.minSize, max: b.maxSize }), {
    minLength: b.minRank,
    maxLength: b.maxRank,
  });
}

/**
 * An arbitrary of pairs of shapes that broadcast together under NumPy's rule. Each shape is the common
 * broadcast shape (drawn by {@link shapeArb}) with some leading axes dropped and some axes set to 1, so
 * pairs like `[3, 1]`×`[1, 4]`, `[]`×`[2, 3]` and `[4]`×`[2, 3, 4]` all come out. The rank bounds apply
 * to the broadcast shape.
 * @throws {ValueError} If the bounds are not non-negative integers in order.
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { broadcastShapes } from "@tapegrad/autograd";
 * import { broadcastPairArb } from "@tapegrad/autograd/testing";
 * fc.assert(fc.property(broadcastPairArb(), ([a, b]) => broadcastShapes(a, b).length === Math.max(a.length, b.length)));
 * ```
 * @category Testing
 */
export function broadcastPairArb(options: ShapeArbOptions = {}): fc.Arbitrary<[number[], number[]]> {
  const b = bounds(options);
  const side = fc.record({
    drop: fc.nat({ max: b.maxRank }),
    ones: fc.array(fc.boolean(), { minLength: b.maxRank, maxLength: b.maxRank }),
  });
  const derive = (out: readonly number[], s: { drop: number; ones: boolean[] }): number[] => {
    const drop = Math.min(s.drop, out.length);
    return out.slice(drop).map((n, i) => (s.ones[i + drop] ? 1 : n));
  };
  return fc
    .tuple(shapeArb(options), side, side)
    .map(([out, sa, sb]) => [derive(out, sa), derive(out, sb)] as [number[], number[]]);
}

/**
 * Options of {@link tensorArb}.
 *
 * @example
 * ```ts
 * import { tensorArb, type TensorArbOptions } from "@tapegrad/autograd/testing";
 * const opts: TensorArbOptions = { dtype: "float64", min: 0.1, max: 2, requiresGrad: true };
 * const positive = tensorArb([2, 3], opts);
 * ```
 * @category Testing
 */
export interface TensorArbOptions {
  /** Element type. Default `float32`, the library's default. */
  dtype?: DType;
  /** Smallest value (inclusive). Default -10. */
  min?: number;
  /** Largest value (inclusive). Default 10. */
  max?: number;
  /** Make each tensor a leaf that requires grad (floating dtypes only). Default false. */
  requiresGrad?: boolean;
  /** Draw elements from this arbitrary instead of the range (values are stored in `dtype`). */
  elements?: fc.Arbitrary<number>;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The float32 nearest to `x` on the inside of a bound: rounding toward +∞ for a minimum, −∞ for a maximum. */
function float32Inward(x: number, up: boolean): number {
  const r = Math.fround(x);
  if (r === x || (up ? r > x : r < x)) return r;
  // Step one unit in the last place toward the inside.
  if (r === 0) return up ? 2 ** -149 : -(2 ** -149);
  F32[0] = r;
  U32[0] = (U32[0] as number) + (r > 0 === up ? 1 : -1);
  return F32[0] as number;
}

function elementArb(dtype: DType, min: number, max: number): fc.Arbitrary<number> {
  if (dtype === "int32") {
    const lo = Math.max(Math.ceil(min), -(2 ** 31));
    const hi = Math.min(Math.floor(max), 2 ** 31 - 1);
    if (lo > hi) throw new ValueError(`tensorArb: no int32 value in [${min}, ${max}]`);
    return fc.integer({ min: lo, max: hi });
  }
  if (dtype === "float64") return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  const lo = float32Inward(min, true);
  const hi = float32Inward(max, false);
  if (lo > hi) throw new ValueError(`tensorArb: no float32 value in [${min}, ${max}]`);
  return fc.float({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
}

/**
 * An arbitrary of tensors of a fixed shape, or of shapes drawn from a shape arbitrary, with values in
 * `[min, max]` (never NaN; finite unless you pass infinite bounds). Every draw is a fresh leaf, so
 * `.grad` from one run does not leak into the next. Values shrink toward 0 (or the bound nearest it).
 * @throws {ValueError} If the range holds no value of the dtype.
 * @throws {DTypeError} If `requiresGrad` is asked for int32.
 * @example
 * ```ts
 * import fc from "fast-check";
 * import { tanh } from "@tapegrad/autograd";
 * import { shapeArb, tensorArb } from "@tapegrad/autograd/testing";
 * const xs = tensorArb(shapeArb({ maxRank: 2 }), { dtype: "float64", min: -3, max: 3 });
 * fc.assert(fc.property(xs, (x) => tanh(x).abs().max().item() <= 1));
 * ```
 * @category Testing
 */
export function tensorArb(
  shape: Shape | fc.Arbitrary<Shape>,
  options: TensorArbOptions = {},
): fc.Arbitrary<Tensor> {
  const dtype = options.dtype ?? "float32";
  const elements = options.elements ?? elementArb(dtype, options.min ?? -10, options.max ?? 10);
  const ofShape = (s: Shape): fc.Arbitrary<Tensor> => {
    const n = s.reduce((p, d) => p * d, 1);
    return fc
      .array(elements, { minLength: n, maxLength: n })
      .map((data) => tensor(data, { shape: s, dtype, requiresGrad: options.requiresGrad ?? false }));
  };
  return shape instanceof fc.Arbitrary ? shape.chain(ofShape) : ofShape(shape);
}

/**
 * Tolerances of {@link allClose} and {@link expectAllClose}: `actual` is close to `expected` where
 * `|actual - expected| <= atol + rtol·|expected|` (NumPy's `isclose`).
 *
 * @example
 * ```ts
 * import { allClose, type AllCloseOptions } from "@tapegrad/autograd/testing";
 * const opts: AllCloseOptions = { rtol: 1e-3, atol: 1e-6 };
 * console.log(allClose([1.0001], [1], opts)); // true
 * ```
 * @category Testing
 */
export interface AllCloseOptions {
  /** Relative tolerance. Default 1e-5. */
  rtol?: number;
  /** Absolute tolerance. Default 1e-8. */
  atol?: number;
  /** Whether NaN matches NaN. Default false. */
  equalNaN?: boolean;
}

/**
 * Something to compare: a tensor, nested arrays of numbers, a typed array (taken as 1-D) or a number
 * (a scalar of shape `[]`).
 *
 * @example
 * ```ts
 * import { tensor } from "@tapegrad/autograd";
 * import { allClose, type Comparable } from "@tapegrad/autograd/testing";
 * const expected: Comparable = [[1, 2]];
 * console.log(allClose(tensor([[1, 2]]), expected)); // true
 * ```
 * @category Testing
 */
export type Comparable = Tensor | NestedArray | Float32Array | Float64Array | Int32Array;

interface Flat {
  shape: number[];
  data: ArrayLike<number>;
}

function flat(x: Comparable, what: string): Flat {
  if (x instanceof Tensor) return { shape: [...x.shape], data: x.data() };
  if (ArrayBuffer.isView(x)) return { shape: [x.length], data: x };
  if (typeof x === "number") return { shape: [], data: [x] };
  const shape: number[] = [];
  const data: number[] = [];
  const walk = (v: NestedArray, depth: number): void => {
    if (typeof v === "number") {
      if (depth !== shape.length) throw new ValueError(`expectAllClose: ${what} is a ragged nested array`);
      data.push(v);
      return;
    }
    if (depth === shape.length && data.length === 0) shape.push(v.length);
    else if (shape[depth] !== v.length) {
      throw new ValueError(`expectAllClose: ${what} is a ragged nested array`);
    }
    for (const w of v) walk(w, depth + 1);
  };
  walk(x, 0);
  return { shape, data };
}

function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  let r = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number;
    idx[d] = r % n;
    r = Math.floor(r / n);
  }
  return idx;
}

interface Mismatch {
  index: number[];
  actual: number;
  expected: number;
  diff: number;
  tol: number;
}

interface Comparison {
  shapeError: string | null;
  mismatches: Mismatch[];
  count: number;
  size: number;
}

function compare(
  actual: Comparable,
  expected: Comparable,
  options: AllCloseOptions,
  keep: number,
): Comparison {
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-8;
  const a = flat(actual, "actual");
  const e = flat(expected, "expected");
  if (a.shape.length !== e.shape.length || a.shape.some((n, i) => n !== e.shape[i])) {
    return {
      shapeError: `shapes differ; got actual ${fmtShape(a.shape)} and expected ${fmtShape(e.shape)}`,
      mismatches: [],
      count: 0,
      size: 0,
    };
  }
  const mismatches: Mismatch[] = [];
  let count = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i] as number;
    const y = e.data[i] as number;
    const tol = atol + rtol * Math.abs(y);
    const diff = Math.abs(x - y);
    const bothNaN = Number.isNaN(x) && Number.isNaN(y);
    // Infinities match only themselves (inf - inf is NaN, and inf <= atol + rtol·inf would pass anything).
    const finite = Number.isFinite(x) && Number.isFinite(y);
    const ok = x === y || (bothNaN && (options.equalNaN ?? false)) || (finite && diff <= tol);
    if (ok) continue;
    count++;
    if (mismatches.length < keep)
      mismatches.push({ index: unravel(i, a.shape), actual: x, expected: y, diff, tol });
  }
  return { shapeError: null, mismatches, count, size: a.data.length };
}

/**
 * Whether two tensors (or arrays) have the same shape and all elements within tolerance
 * (`|actual - expected| <= atol + rtol·|expected|`; infinities must match exactly, NaN only with `equalNaN`).
 * @example
 * ```ts
 * import { tensor } from "@tapegrad/autograd";
 * import { allClose } from "@tapegrad/autograd/testing";
 * console.log(allClose(tensor([0.1 + 0.2]), [0.3])); // true
 * console.log(allClose(tensor([1, 2]), [[1, 2]])); // false: shapes [2] and [1, 2] differ
 * ```
 * @category Testing
 */
export function allClose(actual: Comparable, expected: Comparable, options: AllCloseOptions = {}): boolean {
  const c = compare(actual, expected, options, 0);
  return c.shapeError === null && c.count === 0;
}

/**
 * Throws an `Error` with a readable message unless {@link allClose} holds: the shapes when they differ,
 * otherwise how many elements are off and the first few with their index, both values and the tolerance.
 * Needs no test framework, so it works under vitest, jest, node:test or a plain script.
 * @throws {Error} If the shapes differ or an element is out of tolerance.
 * @example
 * ```ts
 * import { tensor } from "@tapegrad/autograd";
 * import { expectAllClose } from "@tapegrad/autograd/testing";
 * expectAllClose(tensor([1, 2]).mul(2), [2, 4]);
 * try {
 *   expectAllClose(tensor([1, 2]), [1, 2.5], { message: "doubling" });
 * } catch (e) {
 *   console.log((e as Error).message);
 *   // doubling: 1 of 2 elements not close (rtol 0.00001, atol 1e-8)
 *   //   at [1]: actual 2, expected 2.5, |diff| 0.5 > tol 0.00002501
 * }
 * ```
 * @category Testing
 */
export function expectAllClose(
  actual: Comparable,
  expected: Comparable,
  options: AllCloseOptions & { message?: string } = {},
): void {
  const shown = 5;
  const c = compare(actual, expected, options, shown);
  const head = options.message ?? "expectAllClose";
  if (c.shapeError !== null) throw new Error(`${head}: ${c.shapeError}`);
  if (c.count === 0) return;
  const lines = c.mismatches.map(
    (m) =>
      `  at ${fmtShape(m.index)}: actual ${m.actual}, expected ${m.expected}, ` +
      `|diff| ${fmt(m.diff)} > tol ${fmt(m.tol)}`,
  );
  if (c.count > shown) lines.push(`  ... and ${c.count - shown} more`);
  throw new Error(
    `${head}: ${c.count} of ${c.size} elements not close (rtol ${fmt(options.rtol ?? 1e-5)}, ` +
      `atol ${fmt(options.atol ?? 1e-8)})\n${lines.join("\n")}`,
  );
}

function fmt(x: number): string {
  return Number.isNaN(x) ? "NaN" : String(Number(x.toPrecision(4)));
}

/**
 * Options of {@link checkVjp}.
 *
 * @example
 * ```ts
 * import { type VjpCheckOptions } from "@tapegrad/autograd/testing";
 * const opts: VjpCheckOptions = { seed: 7, eps: 1e-6 };
 * ```
 * @category Testing
 */
export interface VjpCheckOptions {
  /** Finite-difference step. Default 1e-5. */
  eps?: number;
  /** Relative tolerance, against the magnitude of the inner products. Default 1e-5. */
  rtol?: number;
  /** Absolute tolerance. Default 1e-7. */
  atol?: number;
  /** Seed of the random `u` and `v` drawn when they are not given. Default 0. */
  seed?: number;
  /** Cotangent of the output (the output's shape); uniform in [-1, 1) by default, never all ones. */
  u?: Tensor;
  /** One tangent per floating-point input (the input's shape); uniform in [-1, 1) by default. */
  v?: readonly Tensor[];
}

/**
 * The result of {@link checkVjp}.
 *
 * @example
 * ```ts
 * import { tensor } from "@tapegrad/autograd";
 * import { checkVjp, type VjpCheckReport } from "@tapegrad/autograd/testing";
 * const r: VjpCheckReport = checkVjp((x) => x.exp(), [tensor([0.5, 1])]);
 * console.log(r.ok); // true
 * ```
 * @category Testing
 */
export interface VjpCheckReport {
  /** Whether `|lhs - rhs| <= tolerance`. */
  readonly ok: boolean;
  /** `Σ ⟨vjp(u)ₖ, vₖ⟩` from reverse mode. */
  readonly lhs: number;
  /** `⟨u, (f(x + εv) - f(x - εv)) / 2ε⟩` from two forward passes. */
  readonly rhs: number;
  readonly absError: number;
  /** `atol + rtol·scale`, where scale sums the magnitudes of the terms of both inner products. */
  readonly tolerance: number;
  /** The report as one readable line. */
  toString(): string;
}

function uniformLike(shape: Shape, gen: Generator): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = 2 * gen.uniform() - 1;
  return tensor(data, { shape });
}

function dotAbs(a: Tensor, b: Tensor): [number, number] {
  const x = a.data();
  const y = b.data();
  let s = 0;
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const t = (x[i] as number) * (y[i] as number);
    s += t;
    m += Math.abs(t);
  }
  return [s, m];
}

/**
 * Checks reverse mode against finite differences along one random direction, the check of JAX's
 * `check_vjp`: with a cotangent `u` of the output and a tangent `vₖ` per floating-point input, compares
 * `Σ ⟨vjp(u)ₖ, vₖ⟩` with `⟨u, (f(x + εv) - f(x - εv)) / 2ε⟩`. Inputs are converted to float64 (int32
 * inputs pass through unperturbed). It costs one backward and two forward passes at any size, so it
 * suits property tests on random shapes; `gradcheck` compares the full Jacobian instead.
 * @throws {ValueError} If `u` or a tangent does not have the shape of the output or its input.
 * @example
 * ```ts
 * import { matmul, tensor } from "@tapegrad/autograd";
 * import { checkVjp } from "@tapegrad/autograd/testing";
 * const report = checkVjp((a, b) => matmul(a, b).tanh(), [tensor([[1, 2]]), tensor([[0.5], [-0.25]])]);
 * if (!report.ok) throw new Error(report.toString());
 * ```
 * @category Testing
 */
export function checkVjp(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: VjpCheckOptions = {},
): VjpCheckReport {
  const eps = options.eps ?? 1e-5;
  const rtol = options.rtol ?? 1e-5;
  const atol = options.atol ?? 1e-7;
  const xs = inputs.map((x) => (x.dtype === "int32" ? x : cast(x.detach(), "float64").detach()));
  const diff = xs.flatMap((x, i) => (x.dtype === "int32" ? [] : [i]));
  const call = (...ys: Tensor[]): Tensor => {
    const args = [...xs];
    diff.forEach((i, k) => {
      args[i] = ys[k] as Tensor;
    });
    return f(...args);
  };
  const primals = diff.map((i) => xs[i] as Tensor);
  const [y, pullback] = vjp(call, ...primals);
  const gen = new Generator(options.seed ?? 0);
  const u = options.u ?? uniformLike(y.shape, gen);
  const v = options.v ?? primals.map((p) => uniformLike(p.shape, gen));
  const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((n, i) => n === b[i]);
  if (!sameShape(u.shape, y.shape)) {
    throw new ValueError(`checkVjp: u has shape ${fmtShape(u.shape)}; the output has ${fmtShape(y.shape)}`);
  }
  if (v.length !== primals.length || v.some((t, k) => !sameShape(t.shape, (primals[k] as Tensor).shape))) {
    throw new ValueError(
      `checkVjp: need one tangent per floating-point input, shaped like it; got ${v.length} for ${primals.length}`,
    );
  }
  let lhs = 0;
  let scaleL = 0;
  pullback(u).forEach((g, k) => {
    const [s, m] = dotAbs(g, cast(v[k] as Tensor, g.dtype));
    lhs += s;
    scaleL += m;
  });
  const shifted = (step: number): Tensor =>
    noGrad(() =>
      cast(call(...primals.map((p, k) => add(p, mul(cast(v[k] as Tensor, "float64"), step)))), "float64"),
    );
  const plus = shifted(eps).data();
  const minus = shifted(-eps).data();
  const fd = new Float64Array(plus.length);
  for (let i = 0; i < fd.length; i++) fd[i] = ((plus[i] as number) - (minus[i] as number)) / (2 * eps);
  const [rhs, scaleR] = dotAbs(cast(u, "float64"), tensor(fd, { shape: y.shape }));
  const absError = Math.abs(lhs - rhs);
  const tolerance = atol + rtol * Math.max(scaleL, scaleR);
  const ok = absError <= tolerance;
  return {
    ok,
    lhs,
    rhs,
    absError,
    tolerance,
    toString: () =>
      `checkVjp ${ok ? "passed" : "FAILED"}: <vjp(u), v> = ${lhs}, <u, finite differences> = ${rhs}, ` +
      `|diff| ${fmt(absError)} vs tolerance ${fmt(tolerance)} (eps ${eps}, rtol ${rtol}, atol ${atol})`,
  };
}
