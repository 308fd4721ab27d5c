// Functions built from primitives, with no vjp of their own: their gradients come from the primitives.

import { allocate, checkDType, type DType, isFloat } from "./dtype.js";
import { DTypeError, fmtShape, ShapeError, ValueError } from "./errors.js";
import { ndarray } from "./ndarray.js";
import { add, div, eq, mul, sub, where } from "./ops/binary.js";
import { asTensor, cast, type TensorLike } from "./ops/cast.js";
import { concat, permute, reshape } from "./ops/movement.js";
import { max, type ReduceOptions, sum } from "./ops/reduce.js";
import { exp, log, sqrt } from "./ops/unary.js";
import { normalizeAxes, normalizeAxis, reducedShape, shapesEqual, sizeOf } from "./shape.js";
import { Tensor } from "./tensor.js";

/**
 * Arithmetic mean over the given axes (all by default). int32 input gives float32. Gradient: `g / n`
 * broadcast back, n the number of elements averaged.
 * @throws {ShapeError} For an axis out of range.
 * @example
 * ```ts
 * import { mean, tensor } from "@tapegrad/autograd";
 * console.log(mean(tensor([[1, 2], [3, 4]]), { axis: 0 }).toArray()); // [2, 3]
 * ```
 * @category Reductions
 */
export function mean(x: TensorLike, options: ReduceOptions = {}): Tensor {
  const t = floatOf(x);
  const axes = normalizeAxes("mean", options.axis, t.ndim);
  const n = sizeOf(axes.map((a) => t.shape[a] as number));
  return div(sum(t, options), n);
}

/**
 * Options of {@link variance} and {@link std}: the reduction axes plus the degrees-of-freedom correction.
 *
 * @example
 * ```ts
 * import { variance, tensor, type VarianceOptions } from "@tapegrad/autograd";
 * const opts: VarianceOptions = { axis: 0, correction: 0 };
 * console.log(variance(tensor([1, 3]), opts).item()); // 1
 * ```
 * @category Reductions
 */
export interface VarianceOptions extends ReduceOptions {
  /** Subtracted from the count in the denominator: 1 (default) for the unbiased estimate, 0 for the population variance. */
  correction?: number;
}

/**
 * Variance over the given axes, `Σ(x - mean)² / (n - correction)`; `correction` defaults to 1 (the
 * unbiased estimator, as PyTorch's `var`; pass 0 for NumPy's and JAX's default). Gradient:
 * `2(x - mean)·g / (n - correction)`.
 * @throws {ShapeError} For an axis out of range.
 * @example
 * ```ts
 * import { variance, tensor } from "@tapegrad/autograd";
 * console.log(variance(tensor([1, 2, 3, 4]), { correction: 0 }).item()); // 1.25
 * ```
 * @category Reductions
 */
export function variance(x: TensorLike, options: VarianceOptions = {}): Tensor {
  return varianceOf("variance", x, options);
}

function varianceOf(op: string, x: TensorLike, options: VarianceOptions): Tensor {
  const t = floatOf(x);
  const axes = normalizeAxes(op, options.axis, t.ndim);
  const n = sizeOf(axes.map((a) => t.shape[a] as number));
  const centered = sub(t, mean(t, { axis: axes, keepDims: true }));
  return div(
    sum(mul(centered, centered), { axis: axes, keepDims: options.keepDims ?? false }),
    // PyTorch's divisor max(0, n - correction): an empty reduction is 0/0 = NaN, not 0/-1.
    Math.max(0, n - (options.correction ?? 1)),
  );
}

/**
 * Standard deviation, the square root of {@link variance} (same options). Gradient:
 * `(x - mean)·g / ((n - correction)·std)`.
 * @example
 * ```ts
 * import { std, tensor } from "@tapegrad/autograd";
 * console.log(std(tensor([1, 3]), { correction: 0 }).item()); // 1
 * ```
 * @category Reductions
 */
export function std(x: TensorLike, options: VarianceOptions = {}): Tensor {
  return sqrt(varianceOf("std", x, options));
}

/**
 * `log Σ exp(x)` over the given axes (all by default), stable for any input: the maximum is subtracted
 * first, so inputs of ±1000 neither overflow nor underflow. Gradient: `g · softmax(x)`.
 * @throws {ShapeError} For an axis out of range.
 * @example
 * ```ts
 * import { logsumexp, tensor } from "@tapegrad/autograd";
 * console.log(logsumexp(tensor([1000, 1000], { dtype: "float64" })).item()); // 1000.6931471805599
 * ```
 * @category Reductions
 */
export function logsumexp(x: TensorLike, options: ReduceOptions = {}): Tensor {
  const t = floatOf(x);
  const axes = normalizeAxes("logsumexp", options.axis, t.ndim);
  const m = stableShift(t, axes);
  const lse = add(log(sum(exp(sub(t, m)), { axis: axes, keepDims: true })), m);
  return options.keepDims ? lse : reshape(lse, reducedShape(t.shape, axes, false));
}

/**
 * The per-slice maximum used to shift exponentials into range. NOTE: it is a constant for differentiation
 * (the shifted results do not depend on it mathematically), so it is detached; a slice that is all
 * -Infinity gets shift 0 so that it yields -Infinity rather than NaN.
 */
function stableShift(t: Tensor, axes: number[]): Tensor {
  // Reducing an empty axis: there is nothing to shift (Σ over nothing is 0, its log -Infinity).
  if (axes.some((a) => t.shape[a] === 0)) return asTensor(0, t.dtype);
  const raw = max(t, { axis: axes, keepDims: true }).detach();
  return where(isFiniteMask(raw), raw, 0);
}

function isFiniteMask(x: Tensor): Tensor {
  return eq(sub(x, x), 0);
}

/**
 * `log softmax(x)` along `axis` (default -1), computed as `x - logsumexp(x)`: stable for inputs of ±1000.
 * Gradient: `g - softmax(x)·Σg`.
 * @throws {ShapeError} For an axis out of range.
 * @example
 * ```ts
 * import { logSoftmax, tensor } from "@tapegrad/autograd";
 * console.log(logSoftmax(tensor([0, 0], { dtype: "float64" })).toArray()); // [-0.6931471805599453, -0.6931471805599453]
 * ```
 * @category Activations
 */
export function logSoftmax(x: TensorLike, options: { axis?: number } = {}): Tensor {
  const t = floatOf(x);
  const axis = normalizeAxis("logSoftmax", options.axis ?? -1, t.ndim);
  // NOTE: shift first and subtract the log-sum of the shifted values, rather than x - logsumexp(x): adding
  // the maximum back and subtracting it again would round at the scale of |x| (1e-13 off at ±1000).
  const shifted = sub(t, stableShift(t, [axis]));
  return sub(shifted, log(sum(exp(shifted), { axis, keepDims: true })));
}

/**
 * Softmax along `axis` (default -1): `exp(x) / Σ exp(x)`, stable for inputs of ±1000.
 * Gradient: `s·(g - Σ(g·s))` with s the softmax.
 * @throws {ShapeError} For an axis out of range.
 * @example
 * ```ts
 * import { softmax, tensor } from "@tapegrad/autograd";
 * console.log(softmax(tensor([1000, 1000])).toArray()); // [0.5, 0.5]
 * ```
 * @category Activations
 */
export function softmax(x: TensorLike, options: { axis?: number } = {}): Tensor {
  const t = floatOf(x);
  return exp(logSoftmax(t, { axis: normalizeAxis("softmax", options.axis ?? -1, t.ndim) }));
}

/**
 * Elementwise square, `x²`. Gradient: `2x·g`.
 * @example
 * ```ts
 * import { square, tensor } from "@tapegrad/autograd";
 * console.log(square(tensor([-2, 3])).toArray()); // [4, 9]
 * ```
 * @category Elementwise
 */
export function square(x: TensorLike): Tensor {
  const t = asTensor(x);
  return mul(t, t);
}

/**
 * Elementwise `1 / x` (float). Gradient: `-g / x²`.
 * @example
 * ```ts
 * import { reciprocal, tensor } from "@tapegrad/autograd";
 * console.log(reciprocal(tensor([2, 4])).toArray()); // [0.5, 0.25]
 * ```
 * @category Elementwise
 */
export function reciprocal(x: TensorLike): Tensor {
  return div(1, x);
}

/**
 * Swaps two axes, by default the last two (a matrix transpose, batched); tensors of rank < 2 are
 * returned as they are. Gradient: `g` swapped back.
 * @throws {ShapeError} For an axis out of range.
 * @example
 * ```ts
 * import { transpose, tensor } from "@tapegrad/autograd";
 * console.log(transpose(tensor([[1, 2, 3]])).toArray()); // [[1], [2], [3]]
 * ```
 * @category Shape
 */
export function transpose(x: TensorLike, options: { axes?: readonly [number, number] } = {}): Tensor {
  const t = asTensor(x);
  if (t.ndim < 2 && options.axes === undefined) return t;
  const [i, j] = (options.axes ?? [-2, -1]).map((a) => normalizeAxis("transpose", a, t.ndim)) as [
    number,
    number,
  ];
  const perm = Array.from({ length: t.ndim }, (_, k) => (k === i ? j : k === j ? i : k));
  return permute(t, perm);
}

/**
 * Merges axes `startAxis..endAxis` (default all) into one. Gradient: `g` reshaped back.
 * @throws {ShapeError} For an axis out of range or `startAxis > endAxis`.
 * @example
 * ```ts
 * import { flatten, zeros } from "@tapegrad/autograd";
 * console.log(flatten(zeros([2, 3, 4]), { startAxis: 1 }).shape); // [2, 12]
 * ```
 * @category Shape
 */
export function flatten(x: TensorLike, options: { startAxis?: number; endAxis?: number } = {}): Tensor {
  const t = asTensor(x);
  if (t.ndim === 0) return reshape(t, [1]);
  const s = normalizeAxis("flatten", options.startAxis ?? 0, t.ndim);
  const e = normalizeAxis("flatten", options.endAxis ?? -1, t.ndim);
  if (s > e) throw new ShapeError(`flatten: startAxis ${s} is after endAxis ${e}`);
  const merged = sizeOf(t.shape.slice(s, e + 1));
  return reshape(t, [...t.shape.slice(0, s), merged, ...t.shape.slice(e + 1)]);
}

/**
 * Removes size-1 axes: the given ones, or all of them. Gradient: `g` reshaped back.
 * @throws {ShapeError} If a given axis does not have size 1.
 * @example
 * ```ts
 * import { squeeze, zeros } from "@tapegrad/autograd";
 * console.log(squeeze(zeros([1, 3, 1])).shape); // [3]
 * ```
 * @category Shape
 */
export function squeeze(x: TensorLike, options: { axis?: number | readonly number[] } = {}): Tensor {
  const t = asTensor(x);
  const axes =
    options.axis === undefined
      ? t.shape.flatMap((n, d) => (n === 1 ? [d] : []))
      : normalizeAxes("squeeze", options.axis, t.ndim);
  for (const a of axes) {
    if (t.shape[a] !== 1) {
      throw new ShapeError(`squeeze: axis ${a} has size ${t.shape[a]}, not 1, in shape ${fmtShape(t.shape)}`);
    }
  }
  return reshape(t, reducedShape(t.shape, axes, false));
}

/**
 * Inserts a size-1 axis at `axis` (negative counts from the end of the result). Gradient: `g` reshaped back.
 * @throws {ShapeError} For an axis out of range.
 * @example
 * ```ts
 * import { unsqueeze, zeros } from "@tapegrad/autograd";
 * console.log(unsqueeze(zeros([3]), 0).shape); // [1, 3]
 * ```
 * @category Shape
 */
export function unsqueeze(x: TensorLike, axis: number): Tensor {
  const t = asTensor(x);
  const a = newAxis("unsqueeze", axis, t.ndim);
  return reshape(t, [...t.shape.slice(0, a), 1, ...t.shape.slice(a)]);
}

/**
 * Stacks tensors of one shape along a new axis (default 0). Gradient: each input gets its slice of `g`.
 * @throws {ShapeError} If the list is empty or shapes differ.
 * @example
 * ```ts
 * import { stack, tensor } from "@tapegrad/autograd";
 * console.log(stack([tensor([1, 2]), tensor([3, 4])], { axis: 1 }).toArray()); // [[1, 3], [2, 4]]
 * ```
 * @category Shape
 */
export function stack(xs: readonly Tensor[], options: { axis?: number } = {}): Tensor {
  const first = xs[0];
  if (first === undefined) throw new ShapeError("stack: needs at least one tensor; got an empty list");
  for (const [i, x] of xs.entries()) {
    if (!shapesEqual(x.shape, first.shape)) {
      throw new ShapeError(
        `stack: tensor ${i} has shape ${fmtShape(x.shape)}, expected ${fmtShape(first.shape)}`,
      );
    }
  }
  const axis = newAxis("stack", options.axis ?? 0, first.ndim);
  return concat(
    xs.map((x) => unsqueeze(x, axis)),
    { axis },
  );
}

/**
 * One-hot encoding of int32 class labels: a tensor of shape `[...labels.shape, numClasses]` with 1 at
 * each label (float32 unless `dtype` says otherwise). Not differentiable.
 * @throws {DTypeError} If `labels` are not int32.
 * @throws {ValueError} If a label is outside `[0, numClasses)`.
 * @example
 * ```ts
 * import { oneHot, tensor } from "@tapegrad/autograd";
 * console.log(oneHot(tensor([0, 2], { dtype: "int32" }), 3).toArray()); // [[1, 0, 0], [0, 0, 1]]
 * ```
 * @category Indexing
 */
export function oneHot(labels: Tensor, numClasses: number, options: { dtype?: DType } = {}): Tensor {
  if (labels.dtype !== "int32") {
    throw new DTypeError(`oneHot: labels must be int32; got ${labels.dtype}`);
  }
  if (!Number.isInteger(numClasses) || numClasses <= 0) {
    throw new ValueError(`oneHot: numClasses must be a positive integer; got ${numClasses}`);
  }
  const d = labels.nd.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (v < 0 || v >= numClasses) throw new ValueError(`oneHot: label ${v} is outside [0, ${numClasses})`);
  }
  // Not differentiable, so it is a plain fill rather than a composition of ops.
  const out = allocate(checkDType("oneHot", options.dtype ?? "float32"), d.length * numClasses);
  for (let i = 0; i < d.length; i++) out[i * numClasses + (d[i] as number)] = 1;
  return new Tensor(ndarray(out, [...labels.shape, numClasses]));
}

/** Normalises where a new axis goes in a tensor of rank `ndim`: one of `-ndim - 1 .. ndim`. */
function newAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim - 1 || axis > ndim) {
    throw new ShapeError(
      `${op}: axis ${axis} is out of range for a new axis of a tensor of rank ${ndim}; valid axes: [${-ndim - 1}, ${ndim}]`,
    );
  }
  return axis < 0 ? axis + ndim + 1 : axis;
}

function floatOf(x: TensorLike): Tensor {
  const t = asTensor(x);
  return isFloat(t.dtype) ? t : cast(t, "float32");
}
