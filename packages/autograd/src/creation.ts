// Functions that make new leaf tensors: from data, constant, ranges, identity and seeded random draws.

import { allocate, checkDType, type DType, dtypeOf, type TypedArray } from "./dtype.js";
import { DTypeError, fmtShape, ValueError } from "./errors.js";
import { ndarray } from "./ndarray.js";
import { type Generator, getDefaultGenerator } from "./random.js";
import { checkShape, type Shape, sizeOf } from "./shape.js";
import { type NestedArray, Tensor } from "./tensor.js";

/**
 * Options shared by the creation functions.
 *
 * @example
 * ```ts
 * import { zeros, type CreateOptions } from "@tapegrad/autograd";
 * const opts: CreateOptions = { dtype: "float64", requiresGrad: true };
 * console.log(zeros([2], opts).requiresGrad); // true
 * ```
 * @category Creation
 */
export interface CreateOptions {
  /** Element type; `float32` unless the data says otherwise (a Float64Array or Int32Array). */
  dtype?: DType;
  /** Make the tensor a leaf that gradients flow to. Floating-point dtypes only. */
  requiresGrad?: boolean;
}

function make(data: TypedArray, shape: readonly number[], options: CreateOptions): Tensor {
  return new Tensor(ndarray(data, shape), null, options.requiresGrad ?? false);
}

function checkValues(op: string, data: ArrayLike<number>, dtype: DType): void {
  if (dtype !== "int32") return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new ValueError(
        `${op}: value ${v} at flat index ${i} is not a 32-bit integer; dtype int32 holds integers only`,
      );
    }
  }
}

function flattenNested(x: NestedArray, shape: number[], out: number[], depth: number, path: string): void {
  if (typeof x === "number") {
    if (depth !== shape.length)
      throw new ValueError(
        `tensor: ragged nested array; a number at ${path || "top"} where an array was expected`,
      );
    out.push(x);
    return;
  }
  if (!Array.isArray(x))
    throw new ValueError(`tensor: expected numbers or arrays; got ${typeof x} at ${path || "top"}`);
  if (depth === shape.length) {
    if (out.length > 0)
      throw new ValueError(`tensor: ragged nested array; an array at ${path} where a number was expected`);
    shape.push(x.length);
  } else if (shape[depth] !== x.length) {
    throw new ValueError(
      `tensor: ragged nested array; ${path || "top"} has length ${x.length}, expected ${shape[depth]} like its siblings`,
    );
  }
  x.forEach((v, i) => {
    flattenNested(v, shape, out, depth + 1, `${path}[${i}]`);
  });
}

/**
 * Makes a leaf tensor from nested arrays, a flat array or a typed array. With `shape`, the data is taken
 * flat in row-major order and must have exactly that many elements. The dtype is `float32` unless given
 * or implied by a Float64Array / Int32Array.
 *
 * @throws {ValueError} For ragged nested arrays, data whose length does not match `shape`, or non-integer
 * values for int32.
 * @throws {DTypeError} For an unknown dtype or `requiresGrad` on int32.
 * @example
 * ```ts
 * import { tensor } from "@tapegrad/autograd";
 * const a = tensor([[1, 2, 3], [4, 5, 6]]);
 * const b = tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] });
 * console.log(a.shape, b.dtype); // [2, 3] "float64"
 * ```
 * @category Creation
 */
export function tensor(
  data: NestedArray | TypedArray | readonly number[],
  options: CreateOptions & { shape?: Shape } = {},
): Tensor {
  let flat: ArrayLike<number>;
  let shape: number[];
  let inferred: DType = "float32";
  if (ArrayBuffer.isView(data)) {
    flat = data as TypedArray;
    shape = [flat.length];
    inferred = dtypeOf(data as TypedArray);
  } else {
    const out: number[] = [];
    shape = [];
    flattenNested(data as NestedArray, shape, out, 0, "");
    flat = out;
  }
  const dtype = checkDType("tensor", options.dtype ?? inferred);
  if (options.shape !== undefined) {
    const target = checkShape("tensor", options.shape);
    if (sizeOf(target) !== flat.length) {
      throw new ValueError(
        `tensor: data has ${flat.length} elements but shape ${fmtShape(target)} needs ${sizeOf(target)}`,
      );
    }
    shape = target;
  }
  checkValues("tensor", flat, dtype);
  const storage = allocate(dtype, flat.length);
  storage.set(flat);
  return make(storage, shape, options);
}

/**
 * A 0-dimensional tensor holding one number.
 * @example
 * ```ts
 * import { scalar } from "@tapegrad/autograd";
 * console.log(scalar(3).shape, scalar(3).item()); // [] 3
 * ```
 * @category Creation
 */
export function scalar(value: number, options: CreateOptions = {}): Tensor {
  return tensor([value], { ...options, shape: [] });
}

/**
 * A tensor of `shape` filled with `value`. NaN and Infinity are allowed for floating dtypes.
 * @throws {ValueError} If `value` does not fit int32 when that is the dtype.
 * @throws {ShapeError} For a shape with negative or fractional sizes.
 * @example
 * ```ts
 * import { full } from "@tapegrad/autograd";
 * console.log(full([2], 7).toArray()); // [7, 7]
 * ```
 * @category Creation
 */
export function full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
  const s = checkShape("full", shape);
  const dtype = checkDType("full", options.dtype ?? "float32");
  checkValues("full", [value], dtype);
  const data = allocate(dtype, sizeOf(s));
  if (value !== 0) data.fill(value);
  return make(data, s, options);
}

/**
 * A tensor of zeros.
 * @throws {ShapeError} For a shape with negative or fractional sizes.
 * @example
 * ```ts
 * import { zeros } from "@tapegrad/autograd";
 * console.log(zeros([2, 2]).toArray()); // [[0, 0], [0, 0]]
 * ```
 * @category Creation
 */
export function zeros(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

/**
 * A tensor of ones.
 * @throws {ShapeError} For a shape with negative or fractional sizes.
 * @example
 * ```ts
 * import { ones } from "@tapegrad/autograd";
 * console.log(ones([3]).toArray()); // [1, 1, 1]
 * ```
 * @category Creation
 */
export function ones(shape: Shape, options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

/**
 * Zeros of the shape and dtype of `x` (dtype overridable).
 * @example
 * ```ts
 * import { tensor, zerosLike } from "@tapegrad/autograd";
 * console.log(zerosLike(tensor([1, 2])).toArray()); // [0, 0]
 * ```
 * @category Creation
 */
export function zerosLike(x: Tensor, options: CreateOptions = {}): Tensor {
  return full(x.shape, 0, { dtype: x.dtype, ...options });
}

/**
 * Ones of the shape and dtype of `x` (dtype overridable).
 * @example
 * ```ts
 * import { onesLike, tensor } from "@tapegrad/autograd";
 * console.log(onesLike(tensor([5, 6])).toArray()); // [1, 1]
 * ```
 * @category Creation
 */
export function onesLike(x: Tensor, options: CreateOptions = {}): Tensor {
  return full(x.shape, 1, { dtype: x.dtype, ...options });
}

function finite(op: string, name: string, v: number): number {
  if (!Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a finite number; got ${v}`);
  return v;
}

/**
 * Evenly spaced values in `[start, stop)` with `step` (NumPy's arange). `arange(n)` gives `0..n-1`.
 * @throws {ValueError} If an argument is NaN or infinite, or `step` is 0.
 * @example
 * ```ts
 * import { arange } from "@tapegrad/autograd";
 * console.log(arange(4).toArray(), arange(1, 2, { step: 0.25 }).toArray()); // [0, 1, 2, 3] [1, 1.25, 1.5, 1.75]
 * ```
 * @category Creation
 */
export function arange(
  startOrStop: number,
  stop?: number,
  options: CreateOptions & { step?: number } = {},
): Tensor {
  const start = stop === undefined ? 0 : startOrStop;
  const end = stop === undefined ? startOrStop : stop;
  const step = options.step ?? 1;
  finite("arange", "start", start);
  finite("arange", "stop", end);
  finite("arange", "step", step);
  if (step === 0) throw new ValueError("arange: step must not be 0");
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = options.dtype ?? "float32";
  const values = Array.from({ length: n }, (_, i) => start + i * step);
  checkValues("arange", values, dtype);
  const data = allocate(dtype, n);
  data.set(values);
  return make(data, [n], options);
}

/**
 * `num` evenly spaced values from `start` to `stop`, both included (NumPy's linspace).
 * @throws {ValueError} If a bound is NaN or infinite, or `num` is not a non-negative integer.
 * @example
 * ```ts
 * import { linspace } from "@tapegrad/autograd";
 * console.log(linspace(0, 1, 5).toArray()); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 * @category Creation
 */
export function linspace(start: number, stop: number, num: number, options: CreateOptions = {}): Tensor {
  finite("linspace", "start", start);
  finite("linspace", "stop", stop);
  if (!Number.isInteger(num) || num < 0)
    throw new ValueError(`linspace: num must be a non-negative integer; got ${num}`);
  const dtype = options.dtype ?? "float32";
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  const values = Array.from({ length: num }, (_, i) => (i === num - 1 && num > 1 ? stop : start + i * step));
  checkValues("linspace", values, dtype);
  const data = allocate(dtype, num);
  data.set(values);
  return make(data, [num], options);
}

/**
 * The `n`×`m` identity matrix (m defaults to n).
 * @throws {ValueError} If a size is not a non-negative integer.
 * @example
 * ```ts
 * import { eye } from "@tapegrad/autograd";
 * console.log(eye(2).toArray()); // [[1, 0], [0, 1]]
 * ```
 * @category Creation
 */
export function eye(n: number, m: number = n, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 0 || m < 0) {
    throw new ValueError(`eye: sizes must be non-negative integers; got ${n} x ${m}`);
  }
  const data = allocate(options.dtype ?? "float32", n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return make(data, [n, m], options);
}

/**
 * Options of the random creation functions.
 *
 * @example
 * ```ts
 * import { Generator, rand, type RandomOptions } from "@tapegrad/autograd";
 * const opts: RandomOptions = { generator: new Generator(1), dtype: "float64" };
 * console.log(rand([2], opts).dtype); // "float64"
 * ```
 * @category Random
 */
export interface RandomOptions extends CreateOptions {
  /** Where the random bits come from; the global generator (see {@link manualSeed}) by default. */
  generator?: Generator;
}

function floatDType(op: string, dtype: DType | undefined): DType {
  const dt = checkDType(op, dtype ?? "float32");
  if (dt === "int32")
    throw new DTypeError(`${op}: dtype must be float32 or float64; got int32 (use randint)`);
  return dt;
}

/**
 * Uniform random values in `[low, high)` (default `[0, 1)`), seeded.
 * @throws {ValueError} If a bound is NaN or infinite, or `low > high`.
 * @example
 * ```ts
 * import { Generator, rand } from "@tapegrad/autograd";
 * const x = rand([1000], { generator: new Generator(0), low: -1, high: 1 });
 * console.log(x.min().item() >= -1 && x.max().item() < 1); // true
 * ```
 * @category Random
 */
export function rand(shape: Shape, options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const s = checkShape("rand", shape);
  const low = finite("rand", "low", options.low ?? 0);
  const high = finite("rand", "high", options.high ?? 1);
  if (low > high) throw new ValueError(`rand: low ${low} is above high ${high}`);
  const gen = options.generator ?? getDefaultGenerator();
  const data = allocate(floatDType("rand", options.dtype), sizeOf(s));
  // NOTE: low + (high - low)·u can round up to exactly `high` (for float32 once in about 2²⁵ draws), so
  // such a draw is redrawn: the values stay in [low, high) and uniform on it.
  for (let i = 0; i < data.length; i++) {
    do data[i] = low + (high - low) * gen.uniform();
    while ((data[i] as number) >= high && low < high);
  }
  return make(data, s, options);
}

/**
 * Normal random values with `mean` (default 0) and `std` (default 1), seeded.
 * @throws {ValueError} If `mean` or `std` is NaN or infinite, or `std < 0`.
 * @example
 * ```ts
 * import { Generator, randn } from "@tapegrad/autograd";
 * console.log(randn([2, 3], { generator: new Generator(0) }).shape); // [2, 3]
 * ```
 * @category Random
 */
export function randn(shape: Shape, options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const s = checkShape("randn", shape);
  const mean = finite("randn", "mean", options.mean ?? 0);
  const std = finite("randn", "std", options.std ?? 1);
  if (std < 0) throw new ValueError(`randn: std must be non-negative; got ${std}`);
  const gen = options.generator ?? getDefaultGenerator();
  const data = allocate(floatDType("randn", options.dtype), sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = mean + std * gen.normal();
  return make(data, s, options);
}

/**
 * Uniform random int32 values in `[low, high)`, seeded and without modulo bias.
 * @throws {ValueError} If the bounds are not integers or `low >= high`.
 * @example
 * ```ts
 * import { Generator, randint } from "@tapegrad/autograd";
 * const x = randint(0, 10, [5], { generator: new Generator(3) });
 * console.log(x.dtype, x.max().item() < 10); // "int32" true
 * ```
 * @category Random
 */
export function randint(
  low: number,
  high: number,
  shape: Shape,
  options: { generator?: Generator } = {},
): Tensor {
  const s = checkShape("randint", shape);
  if (
    !Number.isInteger(low) ||
    !Number.isInteger(high) ||
    low >= high ||
    low < -(2 ** 31) ||
    high > 2 ** 31
  ) {
    throw new ValueError(`randint: need int32 bounds with low < high; got [${low}, ${high})`);
  }
  const gen = options.generator ?? getDefaultGenerator();
  const data = new Int32Array(sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = gen.integer(low, high);
  return new Tensor(ndarray(data, s));
}

/**
 * A random permutation of `0..n-1` as int32 (Fisher–Yates), seeded. Useful for shuffling rows with
 * {@link gather}.
 * @throws {ValueError} If `n` is not a non-negative integer.
 * @example
 * ```ts
 * import { Generator, randperm } from "@tapegrad/autograd";
 * const p = randperm(5, { generator: new Generator(0) }).toArray() as number[];
 * console.log([...p].sort()); // [0, 1, 2, 3, 4]
 * ```
 * @category Random
 */
export function randperm(n: number, options: { generator?: Generator } = {}): Tensor {
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError(`randperm: n must be a non-negative integer; got ${n}`);
  const gen = options.generator ?? getDefaultGenerator();
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) data[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = gen.integer(0, i + 1);
    const t = data[i] as number;
    data[i] = data[j] as number;
    data[j] = t;
  }
  return new Tensor(ndarray(data, [n]));
}
