// The error classes tapegrad throws, so callers can tell a shape mistake from a dtype mistake.

/**
 * Base class of every error tapegrad throws on purpose.
 *
 * @example
 * ```ts
 * import { TapegradError, tensor } from "@tapegrad/autograd";
 * try {
 *   tensor([1, 2, 3], { shape: [2, 2] });
 * } catch (e) {
 *   console.log(e instanceof TapegradError); // true
 * }
 * ```
 * @category Errors
 */
export class TapegradError extends Error {
  override name = "TapegradError";
}

/**
 * Thrown when shapes do not fit an op: broadcasting, axes, matmul dimensions, reshape sizes.
 *
 * @example
 * ```ts
 * import { ShapeError, ones, matmul } from "@tapegrad/autograd";
 * try {
 *   matmul(ones([2, 3]), ones([4, 5]));
 * } catch (e) {
 *   console.log(e instanceof ShapeError, (e as Error).message);
 *   // true "matmul: inner dimensions differ; got a [2, 3] and b [4, 5] (3 != 4)"
 * }
 * ```
 * @category Errors
 */
export class ShapeError extends TapegradError {
  override name = "ShapeError";
}

/**
 * Thrown when a dtype does not fit an op, for example asking for the gradient of an int32 tensor.
 *
 * @example
 * ```ts
 * import { DTypeError, tensor } from "@tapegrad/autograd";
 * try {
 *   tensor([1, 2], { dtype: "int32", requiresGrad: true });
 * } catch (e) {
 *   console.log(e instanceof DTypeError); // true
 * }
 * ```
 * @category Errors
 */
export class DTypeError extends TapegradError {
  override name = "DTypeError";
}

/**
 * Thrown when a value is not allowed: NaN given to a creation function, data of the wrong length,
 * an index out of range.
 *
 * @example
 * ```ts
 * import { ValueError, tensor } from "@tapegrad/autograd";
 * try {
 *   tensor([1, Number.NaN], { dtype: "int32" }); // int32 holds integers only
 * } catch (e) {
 *   console.log(e instanceof ValueError); // true
 * }
 * ```
 * @category Errors
 */
export class ValueError extends TapegradError {
  override name = "ValueError";
}

/**
 * Thrown by the tape and the transforms: backward on a non-scalar without a gradient, a second backward
 * through a freed graph, `grad` of a function whose output is not a scalar, an op that is not differentiable.
 *
 * @example
 * ```ts
 * import { AutogradError, tensor } from "@tapegrad/autograd";
 * const x = tensor([1, 2], { requiresGrad: true });
 * try {
 *   x.mul(2).backward();
 * } catch (e) {
 *   console.log(e instanceof AutogradError); // true: the output is not a scalar
 * }
 * ```
 * @category Errors
 */
export class AutogradError extends TapegradError {
  override name = "AutogradError";
}

/**
 * Thrown in anomaly mode (see {@link detectAnomaly}) when an op's forward or backward produced NaN or
 * Infinity from finite inputs. The message names the op and where it was recorded.
 *
 * @example
 * ```ts
 * import { AnomalyError, detectAnomaly, tensor, log } from "@tapegrad/autograd";
 * try {
 *   detectAnomaly(() => log(tensor([-1])));
 * } catch (e) {
 *   console.log(e instanceof AnomalyError); // true
 * }
 * ```
 * @category Errors
 */
export class AnomalyError extends TapegradError {
  override name = "AnomalyError";
}

/** Formats a shape the way every message in tapegrad writes it: `[2, 3]`. @internal */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
