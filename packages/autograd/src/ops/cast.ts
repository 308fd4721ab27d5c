// The dtype conversion op and the promotion of mixed operands, shared by every op family.

import { checkDType, type DType, isFloat, promoteTypes } from "../dtype.js";
import { castND, ndarray } from "../ndarray.js";
import { apply, defineOp } from "../op.js";
import { Tensor } from "../tensor.js";

/**
 * A tensor, or a plain number that the op turns into a scalar tensor of the other operand's dtype.
 *
 * @example
 * ```ts
 * import { add, tensor, type TensorLike } from "@tapegrad/autograd";
 * const two: TensorLike = 2;
 * console.log(add(tensor([1, 2]), two).toArray()); // [3, 4]
 * ```
 * @category Tensors
 */
export type TensorLike = Tensor | number;

/** @internal */
export const castOp = defineOp<{ dtype: DType }>({
  name: "cast",
  inputs: ["x"],
  forward: ([x], { dtype }) => castND(x!, dtype),
  // d cast(x) = cast back: the gradient lives in the input's dtype.
  vjp: ({ inputs: [x], g }) => [cast(g, x!.dtype)],
});

/**
 * Converts to another dtype. Between float32 and float64 it is differentiable (the gradient is cast back);
 * to int32 it truncates toward zero and cuts the gradient.
 *
 * @throws {DTypeError} For an unknown dtype name.
 * @example
 * ```ts
 * import { cast, tensor } from "@tapegrad/autograd";
 * console.log(cast(tensor([1.7, -1.7]), "int32").toArray()); // [1, -1]
 * ```
 * @category Elementwise
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = asTensor(x);
  checkDType("cast", dtype);
  if (t.dtype === dtype) return t;
  // Casting to int32 is a step function: apply() records no int32 result, so it leaves the tape.
  return apply(castOp, [t], { dtype });
}

/** Turns a number into a scalar tensor of `dtype` (float32 by default). @internal */
export function asTensor(x: TensorLike, dtype: DType = "float32"): Tensor {
  if (x instanceof Tensor) return x;
  const data =
    dtype === "float64"
      ? new Float64Array([x])
      : dtype === "int32"
        ? new Int32Array([x])
        : new Float32Array([x]);
  return new Tensor(ndarray(data, []));
}

/** The dtype a bare number takes next to a tensor of `dtype`: its own, unless a fraction meets int32. @internal */
function weakDType(x: number, dtype: DType): DType {
  return dtype === "int32" && !Number.isInteger(x) ? "float32" : dtype;
}

/** Brings two operands to one dtype by the promotion rule, numbers taking the tensor's dtype. @internal */
export function promote(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (typeof a === "number" && typeof b === "number") return [asTensor(a), asTensor(b)];
  if (typeof a === "number") {
    const t = b as Tensor;
    const dt = weakDType(a, t.dtype);
    return [asTensor(a, dt), cast(t, dt)];
  }
  if (typeof b === "number") {
    const dt = weakDType(b, a.dtype);
    return [cast(a, dt), asTensor(b, dt)];
  }
  const dt = promoteTypes(a.dtype, b.dtype);
  return [cast(a, dt), cast(b, dt)];
}

/** Makes `x` floating point for ops that are only defined on reals (exp, log, ...): int32 becomes float32. @internal */
export function toFloat(x: TensorLike): Tensor {
  const t = asTensor(x);
  return isFloat(t.dtype) ? t : cast(t, "float32");
}
