// matmul: one primitive with transpose flags, so its vjp multiplies by transposes without making them.

import { fmtShape, ShapeError, ValueError } from "../errors.js";
import * as K from "../kernels/matmul.js";
import { fillND } from "../ndarray.js";
import { apply, defineOp } from "../op.js";
import { broadcastShapes } from "../shape.js";
import { Tensor } from "../tensor.js";
import { gt, where } from "./binary.js";
import { asTensor, cast, promote, type TensorLike } from "./cast.js";
import { reshape } from "./movement.js";
import { sigmoidGrad, tanhGrad } from "./unary.js";

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

/** @internal */
export const linearOp = defineOp<{ activation: Activation }>({
  name: "linear",
  inputs: ["x", "weight", "bias"],
  forward: ([x, w, b], { activation }) =>
    K.matmul(x!, w!, false, true, [], b!, activation === "none" ? null : activation),
  // y = act(z), z = x·Wᵀ + b: gz from the activation's derivative at its output, then dx = gz·W,
  // dW = gzᵀ·x, db = gz summed over rows (the tape does the sum)
  vjp: ({ inputs: [x, w, b], out, g, attrs: { activation } }) => {
    const gz = activationVjp(activation, out, g);
    return [
      x!.requiresGrad ? matmulT(gz, w!, false, false) : null,
      w!.requiresGrad ? matmulT(gz, x!, true, false) : null,
      b!.requiresGrad ? gz : null,
    ];
  },
});

/**
 * Activations {@link linear} can apply in the same call as the product: the result goes through the
 * activation before it leaves the kernel, and the backward pass needs only the output.
 *
 * @example
 * ```ts
 * import { linear, tensor, type Activation } from "@tapegrad/autograd";
 * const act: Activation = "relu";
 * console.log(linear(tensor([[1, -1]]), tensor([[1, 1], [1, -1]]), null, { activation: act }).toArray()); // [[0, 2]]
 * ```
 * @category Linear algebra
 */
export type Activation = "none" | "sigmoid" | "tanh" | "relu";

/** The cotangent of an activation's input from its output `y` and the output's cotangent `g`. */
function activationVjp(activation: Activation, y: Tensor, g: Tensor): Tensor {
  switch (activation) {
    case "none":
      return g;
    case "sigmoid":
      return sigmoidGrad(y, g);
    case "tanh":
      return tanhGrad(y, g);
    case "relu":
      return where(gt(y, 0), g, 0);
  }
}

/**
 * The affine map of a fully connected layer, `x @ weightᵀ + bias` (PyTorch's `F.linear`), with `weight`
 * [out, in], `bias` [out] (optional) and `x` [..., in]; the result is [..., out]. The bias is added in the
 * same pass as the product. Mixed dtypes promote. Gradient: `g @ weight` for x, `gᵀ @ x` for the weight
 * (summed over leading axes), `g` summed over rows for the bias.
 * With `activation` ("sigmoid", "tanh" or "relu"), returns `activation(x @ weightᵀ + bias)` from the same
 * call: no separate pass over the result, and the same values and gradients as applying it after.
 * @throws {ShapeError} If `weight` is not 2-D, `x`'s last axis differs from `in`, or `bias` is not [out].
 * @throws {ValueError} For an unknown activation.
 * @example
 * ```ts
 * import { linear, tensor } from "@tapegrad/autograd";
 * const w = tensor([[1, 0], [0, 2], [1, 1]]);
 * console.log(linear(tensor([[3, 4]]), w, tensor([0, 0, 1])).toArray()); // [[3, 8, 8]]
 * ```
 * @category Linear algebra
 */
export function linear(
  x: TensorLike,
  weight: Tensor,
  bias: Tensor | null = null,
  options: { activation?: Activation } = {},
): Tensor {
  const t = asTensor(x);
  const activation = options.activation ?? "none";
  if (!["none", "sigmoid", "tanh", "relu"].includes(activation)) {
    throw new ValueError(
      `linear: unknown activation ${JSON.stringify(activation)}; expected none, sigmoid, tanh or relu`,
    );
  }
  if (weight.ndim !== 2) {
    throw new ShapeError(`linear: weight must be 2-D [out, in]; got ${fmtShape(weight.shape)}`);
  }
  const [outF, inF] = weight.shape as [number, number];
  if (t.ndim === 0 || t.shape[t.ndim - 1] !== inF) {
    throw new ShapeError(
      `linear: input's last axis must equal the weight's in-features; got x ${fmtShape(t.shape)} and weight ${fmtShape(weight.shape)} (expected [..., ${inF}])`,
    );
  }
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outF)) {
    throw new ShapeError(
      `linear: bias must be [${outF}] for weight ${fmtShape(weight.shape)}; got ${fmtShape(bias.shape)}`,
    );
  }
  const lead = t.shape.slice(0, -1);
  const x2 = t.ndim === 2 ? t : reshape(t, [-1, inF]);
  const [xp, wp] = promote(x2, weight);
  const [xb, bp] = promote(xp, bias ?? asTensor(0, xp.dtype));
  const float: "float32" | "float64" = xb.dtype === "float64" ? "float64" : "float32";
  // Without a bias, a zero one keeps a single op; its gradient is never computed (it requires none).
  const b = bias === null ? zerosND(float, outF) : cast(bp, float);
  const y = apply(linearOp, [cast(xb, float), cast(wp, float), b], { activation });
  return t.ndim === 2 ? y : reshape(y, [...lead, outF]);
}

function zerosND(dtype: "float32" | "float64", n: number): Tensor {
  return new Tensor(fillND(dtype, [n], 0));
}
