// Reduction primitives: sum, max and min over axes (with keepDims), and argmax/argmin.

import { ShapeError } from "../errors.js";
import * as K from "../kernels/reduce.js";
import { apply, defineOp } from "../op.js";
import { normalizeAxes, normalizeAxis, reducedShape } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { div, eq, mul } from "./binary.js";
import { asTensor, cast, type TensorLike } from "./cast.js";
import { broadcastTo, reshape } from "./movement.js";

/**
 * Which axes a reduction runs over and whether they are kept as size 1.
 *
 * @example
 * ```ts
 * import { sum, tensor, type ReduceOptions } from "@tapegrad/autograd";
 * const opts: ReduceOptions = { axis: -1, keepDims: true };
 * console.log(sum(tensor([[1, 2], [3, 4]]), opts).toArray()); // [[3], [7]]
 * ```
 * @category Reductions
 */
export interface ReduceOptions {
  /** An axis or list of axes (negative counts from the end); all axes when omitted. */
  axis?: number | readonly number[];
  /** Keep reduced axes as size 1, so the result broadcasts against the input. Default false. */
  keepDims?: boolean;
}

/** @internal */
export interface ReduceAttrs {
  axes: number[];
  keepDims: boolean;
}

/** The cotangent of a reduction, reshaped with the reduced axes kept and broadcast back to the input. */
function expandBack(g: Tensor, x: Tensor, { axes }: ReduceAttrs): Tensor {
  return broadcastTo(reshape(g, reducedShape(x.shape, axes, true)), x.shape);
}

/** @internal */
export const sumOp = defineOp<ReduceAttrs>({
  name: "sum",
  inputs: ["x"],
  forward: ([x], { axes, keepDims }) => K.reduce("sum", x!, axes, keepDims),
  // d Σx = broadcast(g)
  vjp: ({ inputs: [x], g, attrs }) => [expandBack(g, x!, attrs)],
});

// NOTE: ties share the gradient evenly (as PyTorch's amax does), so the rule stays symmetric and
// finite differences at a tie agree with it on average.
function extremumVjp({
  inputs: [x],
  out,
  g,
  attrs,
}: {
  inputs: readonly Tensor[];
  out: Tensor;
  g: Tensor;
  attrs: ReduceAttrs;
}) {
  // The mask is cast to x's dtype so that 1/count is computed in that precision (int32 / int32 would
  // give float32, and a float64 gradient would then carry float32 rounding at ties).
  const mask = cast(eq(x!, expandBack(out, x!, attrs)), x!.dtype);
  const count = sum(mask, { axis: attrs.axes, keepDims: true });
  return [mul(expandBack(g, x!, attrs), div(mask, count))];
}

/** @internal */
export const maxOp = defineOp<ReduceAttrs>({
  name: "max",
  inputs: ["x"],
  forward: ([x], { axes, keepDims }) => K.reduce("max", x!, axes, keepDims),
  vjp: extremumVjp,
});

/** @internal */
export const minOp = defineOp<ReduceAttrs>({
  name: "min",
  inputs: ["x"],
  forward: ([x], { axes, keepDims }) => K.reduce("min", x!, axes, keepDims),
  vjp: extremumVjp,
});

/** @internal */
export const argmaxOp = defineOp<{ axis: number; keepDims: boolean }>({
  name: "argmax",
  inputs: ["x"],
  forward: ([x], { axis, keepDims }) => K.argReduce("max", x!, axis, keepDims),
});

/** @internal */
export const argminOp = defineOp<{ axis: number; keepDims: boolean }>({
  name: "argmin",
  inputs: ["x"],
  forward: ([x], { axis, keepDims }) => K.argReduce("min", x!, axis, keepDims),
});

function attrsOf(op: string, x: Tensor, options: ReduceOptions): ReduceAttrs {
  return { axes: normalizeAxes(op, options.axis, x.ndim), keepDims: options.keepDims ?? false };
}

/**
 * Sum over the given axes (all by default), accumulated in float64. Gradient: `g` broadcast back.
 * @throws {ShapeError} For an axis out of range or repeated.
 * @example
 * ```ts
 * import { sum, tensor } from "@tapegrad/autograd";
 * const x = tensor([[1, 2], [3, 4]]);
 * console.log(sum(x).item(), sum(x, { axis: 0 }).toArray()); // 10 [4, 6]
 * ```
 * @category Reductions
 */
export function sum(x: TensorLike, options: ReduceOptions = {}): Tensor {
  const t = asTensor(x);
  return apply(sumOp, [t], attrsOf("sum", t, options));
}

/**
 * Largest element over the given axes (all by default); NaN wins. Gradient: `g` to the position of the
 * maximum, split evenly among ties.
 * @throws {ShapeError} For an axis out of range, or reducing an empty axis.
 * @example
 * ```ts
 * import { max, tensor } from "@tapegrad/autograd";
 * console.log(max(tensor([[1, 5], [3, 2]]), { axis: 1 }).toArray()); // [5, 3]
 * ```
 * @category Reductions
 */
export function max(x: TensorLike, options: ReduceOptions = {}): Tensor {
  const t = asTensor(x);
  return apply(maxOp, [t], nonEmpty("max", t, attrsOf("max", t, options)));
}

/**
 * Smallest element over the given axes (all by default); NaN wins. Gradient as {@link max}.
 * @throws {ShapeError} For an axis out of range, or reducing an empty axis.
 * @example
 * ```ts
 * import { min, tensor } from "@tapegrad/autograd";
 * console.log(min(tensor([[1, 5], [3, 2]]), { axis: 1 }).toArray()); // [1, 2]
 * ```
 * @category Reductions
 */
export function min(x: TensorLike, options: ReduceOptions = {}): Tensor {
  const t = asTensor(x);
  return apply(minOp, [t], nonEmpty("min", t, attrsOf("min", t, options)));
}

function nonEmpty(op: string, x: Tensor, attrs: ReduceAttrs): ReduceAttrs {
  if (attrs.axes.some((a) => x.shape[a] === 0) || (attrs.axes.length === 0 && x.size === 0)) {
    throw new ShapeError(`${op}: cannot reduce an empty axis; got shape [${x.shape.join(", ")}]`);
  }
  return attrs;
}

function argAttrs(op: string, x: Tensor, options: { axis?: number; keepDims?: boolean }) {
  if (x.size === 0) throw new ShapeError(`${op}: the tensor is empty; got shape [${x.shape.join(", ")}]`);
  if (options.axis === undefined) return { t: reshape(x, [x.size]), axis: 0, keepDims: false };
  return { t: x, axis: normalizeAxis(op, options.axis, x.ndim), keepDims: options.keepDims ?? false };
}

/**
 * Index of the largest element along `axis` (of the flattened tensor when no axis), first one on ties,
 * as int32. Not differentiable.
 * @throws {ShapeError} For an axis out of range or an empty tensor.
 * @example
 * ```ts
 * import { argmax, tensor } from "@tapegrad/autograd";
 * console.log(argmax(tensor([[1, 5], [3, 2]]), { axis: 1 }).toArray()); // [1, 0]
 * ```
 * @category Reductions
 */
export function argmax(x: Tensor, options: { axis?: number; keepDims?: boolean } = {}): Tensor {
  const { t, axis, keepDims } = argAttrs("argmax", x, options);
  return apply(argmaxOp, [t], { axis, keepDims });
}

/**
 * Index of the smallest element along `axis` (of the flattened tensor when no axis), first one on ties,
 * as int32. Not differentiable.
 * @throws {ShapeError} For an axis out of range or an empty tensor.
 * @example
 * ```ts
 * import { argmin, tensor } from "@tapegrad/autograd";
 * console.log(argmin(tensor([[1, 5], [3, 2]]), { axis: 1 }).toArray()); // [0, 1]
 * ```
 * @category Reductions
 */
export function argmin(x: Tensor, options: { axis?: number; keepDims?: boolean } = {}): Tensor {
  const { t, axis, keepDims } = argAttrs("argmin", x, options);
  return apply(argminOp, [t], { axis, keepDims });
}
