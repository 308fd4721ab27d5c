// matmul: one primitive with transpose flags, so its vjp multiplies by transposes without making them.

import { fmtShape, ShapeError } from "../errors.js";
import * as K from "../kernels/matmul.js";
import { apply, defineOp } from "../op.js";
import { broadcastShapes } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { promote, type TensorLike } from "./cast.js";
import { reshape } from "./movement.js";

/** @internal */
export interface MatmulAttrs {
  transA: boolean;
  transB: boolean;
}

/** @internal */
export const matmulOp = defineOp<MatmulAttrs>({
  name: "matmul",
  inputs: ["a", "b"],
  forward: ([a, b], { transA, transB }) => K.matmul(a!, b!, transA, transB, batchShape(a!.shape, b!.shape)),
  // C = op(A)·op(B): dA = g·op(B)ᵀ (transposed back if A was), dB = op(A)ᵀ·g (likewise); batch axes
  // that were broadcast come back summed by the tape.
  vjp: ({ inputs: [a, b], g, attrs: { transA, transB } }) => [
    !a!.requiresGrad ? null : transA ? matmulT(b!, g, transB, true) : matmulT(g, b!, false, !transB),
    !b!.requiresGrad ? null : transB ? matmulT(g, a!, true, transA) : matmulT(a!, g, !transA, false),
  ],
});

function batchShape(a: readonly number[], b: readonly number[]): number[] {
  return broadcastShapes(a.slice(0, -2), b.slice(0, -2), "matmul");
}

/**
 * `op(a) @ op(b)` on tensors of rank ≥ 2 where op transposes the last two axes when its flag is set.
 * @internal
 */
export function matmulT(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const ra = a.ndim;
  const rb = b.ndim;
  const k1 = a.shape[transA ? ra - 2 : ra - 1];
  const k2 = b.shape[transB ? rb - 1 : rb - 2];
  if (k1 !== k2) {
    throw new ShapeError(
      `matmul: inner dimensions differ; got a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)} (${k1} != ${k2})`,
    );
  }
  try {
    batchShape(a.shape, b.shape);
  } catch {
    throw new ShapeError(
      `matmul: batch dimensions do not broadcast; got a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}`,
    );
  }
  return apply(matmulOp, [a, b], { transA, transB });
}

/**
 * Matrix product with NumPy's semantics: 1-D operands are vectors (a leading or trailing 1 is added and
 * removed), 2-D are matrices, and higher ranks are stacks of matrices whose batch axes broadcast.
 * Mixed dtypes promote. Gradient: `g @ bᵀ` and `aᵀ @ g`, summed over broadcast batch axes; no transpose
 * is ever materialised (the kernel takes transpose flags).
 * @throws {ShapeError} If an operand is a scalar, the inner dimensions differ, or batch axes do not broadcast.
 * @example
 * ```ts
 * import { matmul, tensor } from "@tapegrad/autograd";
 * const a = tensor([[1, 2], [3, 4]]);
 * console.log(matmul(a, tensor([1, 1])).toArray()); // [3, 7]
 * ```
 * @category Linear algebra
 */
export function matmul(
  a: TensorLike,
  b: TensorLike,
  options: { transA?: boolean; transB?: boolean } = {},
): Tensor {
  const [x, y] = promote(a, b);
  if (x.ndim === 0 || y.ndim === 0) {
    throw new ShapeError(
      `matmul: operands must have at least one axis; got a ${fmtShape(x.shape)} and b ${fmtShape(y.shape)} (use mul for scalars)`,
    );
  }
  const vecA = x.ndim === 1;
  const vecB = y.ndim === 1;
  const a2 = vecA ? reshape(x, [1, x.shape[0] as number]) : x;
  const b2 = vecB ? reshape(y, [y.shape[0] as number, 1]) : y;
  let out: Tensor;
  try {
    out = matmulT(a2, b2, !vecA && (options.transA ?? false), !vecB && (options.transB ?? false));
  } catch (e) {
    if (e instanceof ShapeError && (vecA || vecB)) {
      throw new ShapeError(
        e.message.replace(
          /got a \[[^\]]*\] and b \[[^\]]*\]/,
          `got a ${fmtShape(x.shape)} and b ${fmtShape(y.shape)}`,
        ),
      );
    }
    throw e;
  }
  if (vecA && vecB) return reshape(out, []);
  if (vecA) return reshape(out, [...out.shape.slice(0, -2), out.shape[out.ndim - 1] as number]);
  if (vecB) return reshape(out, out.shape.slice(0, -1));
  return out;
}
