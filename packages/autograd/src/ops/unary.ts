// Elementwise primitives of one input: forward kernel and vjp rule side by side.

import { ValueError } from "../errors.js";
import * as K from "../kernels/elementwise.js";
import { apply, defineOp, type OpDef } from "../op.js";
import { broadcastShapes } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { add, div, ge, gt, le, logicalAnd, mul, sub, where } from "./binary.js";
import { promote, type TensorLike, toFloat } from "./cast.js";

type Vjp = NonNullable<OpDef<undefined>["vjp"]>;

function unaryOp(name: K.UnaryKernel, vjp: Vjp | undefined): OpDef<undefined> {
  return defineOp({ name, inputs: ["x"], forward: ([x]) => K.unary(name, x!), ...(vjp ? { vjp } : {}) });
}

/** @internal */ export const negOp = unaryOp("neg", ({ g }) => [neg(g)]); // d(-x) = -dx
/** @internal */ export const expOp = unaryOp("exp", ({ out, g }) => [mul(g, out)]); // d eˣ = eˣ dx
/** @internal */ export const expm1Op = unaryOp("expm1", ({ out, g }) => [mul(g, add(out, 1))]); // d(eˣ-1) = eˣ dx
/** @internal */ export const logOp = unaryOp("log", ({ inputs: [x], g }) => [div(g, x!)]); // d log x = dx / x
/** @internal */ export const log1pOp = unaryOp("log1p", ({ inputs: [x], g }) => [div(g, add(x!, 1))]); // dx / (1 + x)
/** @internal */ export const sqrtOp = unaryOp("sqrt", ({ out, g }) => [div(g, mul(out, 2))]); // dx / (2√x)
/** @internal */ export const absOp = unaryOp("abs", ({ inputs: [x], g }) => [mul(g, sign(x!))]); // sign(x) dx
/** @internal */ export const sinOp = unaryOp("sin", ({ inputs: [x], g }) => [mul(g, cos(x!))]); // cos x dx
/** @internal */ export const cosOp = unaryOp("cos", ({ inputs: [x], g }) => [neg(mul(g, sin(x!)))]); // -sin x dx
// d tan x = (1 + tan² x) dx
/** @internal */ export const tanOp = unaryOp("tan", ({ out, g }) => [mul(g, add(mul(out, out), 1))]);
// d tanh x = (1 - tanh² x) dx, fused into one pass by tanhGrad
/** @internal */ export const tanhOp = unaryOp("tanh", ({ out, g }) => [tanhGrad(out, g)]);
// d σ(x) = σ(x)(1 - σ(x)) dx, fused into one pass by sigmoidGrad
/** @internal */ export const sigmoidOp = unaryOp("sigmoid", ({ out, g }) => [sigmoidGrad(out, g)]);

// NOTE: sigmoid's and tanh's backward are primitives of their own (as in TensorFlow) because they run on
// every activation of every training step: one pass instead of three. Their rules keep all orders working.
/** @internal */
export const sigmoidGradOp = defineOp({
  name: "sigmoidGrad",
  inputs: ["y", "g"],
  forward: ([y, g]) =>
    K.binary("sigmoidGrad", y!, g!, broadcastShapes(y!.shape, g!.shape, "sigmoidGrad"), y!.dtype),
  // f(y, g) = g·y(1 - y): ∂f/∂y = g(1 - 2y), ∂f/∂g = y(1 - y)
  vjp: ({ inputs: [y, g], g: h }) => [
    y!.requiresGrad ? mul(h, mul(g!, sub(1, mul(y!, 2)))) : null,
    g!.requiresGrad ? sigmoidGrad(y!, h) : null,
  ],
});

/** @internal */
export const tanhGradOp = defineOp({
  name: "tanhGrad",
  inputs: ["y", "g"],
  forward: ([y, g]) =>
    K.binary("tanhGrad", y!, g!, broadcastShapes(y!.shape, g!.shape, "tanhGrad"), y!.dtype),
  // f(y, g) = g(1 - y²): ∂f/∂y = -2gy, ∂f/∂g = 1 - y²
  vjp: ({ inputs: [y, g], g: h }) => [
    y!.requiresGrad ? mul(h, mul(g!, mul(y!, -2))) : null,
    g!.requiresGrad ? tanhGrad(y!, h) : null,
  ],
});

/** `g·y(1 - y)`: the vjp of sigmoid given its output `y`. @internal */
export function sigmoidGrad(y: Tensor, g: Tensor): Tensor {
  return apply(sigmoidGradOp, promote(y, g), undefined);
}

/** `g(1 - y²)`: the vjp of tanh given its output `y`. @internal */
export function tanhGrad(y: Tensor, g: Tensor): Tensor {
  return apply(tanhGradOp, promote(y, g), undefined);
}
// d relu(x) = [x > 0] dx (0 at the kink, as PyTorch and JAX choose)
/** @internal */ export const reluOp = unaryOp("relu", ({ inputs: [x], g }) => [where(gt(x!, 0), g, 0)]);
// d log(1 + eˣ) = σ(x) dx
/** @internal */ export const softplusOp = unaryOp("softplus", ({ inputs: [x], g }) => [mul(g, sigmoid(x!))]);
/** @internal */ export const signOp = unaryOp("sign", undefined);

/** @internal */
export const clampOp = defineOp<{ min: number; max: number }>({
  name: "clamp",
  inputs: ["x"],
  forward: ([x], { min, max }) => K.unary("clamp", x!, x!.dtype, min, max),
  // d clamp(x) = [min ≤ x ≤ max] dx
  vjp: ({ inputs: [x], g, attrs: { min, max } }) => [where(logicalAnd(ge(x!, min), le(x!, max)), g, 0)],
});

/** @internal */
export const leakyReluOp = defineOp<{ slope: number }>({
  name: "leakyRelu",
  inputs: ["x"],
  forward: ([x], { slope }) => K.unary("leakyRelu", x!, x!.dtype, slope),
  // d leakyRelu(x) = (x > 0 ? 1 : slope) dx
  vjp: ({ inputs: [x], g, attrs: { slope } }) => [where(gt(x!, 0), g, mul(g, slope))],
});

/**
 * Negation, `-x`. Gradient: `-g`.
 * @example
 * ```ts
 * import { neg, tensor } from "@tapegrad/autograd";
 * console.log(neg(tensor([1, -2])).toArray()); // [-1, 2]
 * ```
 * @category Elementwise
 */
export function neg(x: TensorLike): Tensor {
  return apply(negOp, [toFloatOrInt(x)], undefined);
}

function toFloatOrInt(x: TensorLike): Tensor {
  return typeof x === "number" ? toFloat(x) : x;
}

/**
 * Exponential, `eˣ`, elementwise. int32 input is promoted to float32. Gradient: `g · eˣ`.
 * @example
 * ```ts
 * import { exp, tensor } from "@tapegrad/autograd";
 * console.log(exp(tensor([0, 1])).toArray()); // [1, 2.7182817459106445]
 * ```
 * @category Elementwise
 */
export function exp(x: TensorLike): Tensor {
  return apply(expOp, [toFloat(x)], undefined);
}

/**
 * `eˣ - 1`, accurate for small x. int32 input is promoted to float32. Gradient: `g · eˣ`.
 * @example
 * ```ts
 * import { expm1, tensor } from "@tapegrad/autograd";
 * console.log(expm1(tensor([0], { dtype: "float64" })).toArray()); // [0]
 * ```
 * @category Elementwise
 */
export function expm1(x: TensorLike): Tensor {
  return apply(expm1Op, [toFloat(x)], undefined);
}

/**
 * Natural logarithm, elementwise; `log(0) = -Infinity`, negative inputs give NaN (anomaly mode reports it).
 * int32 input is promoted to float32. Gradient: `g / x`.
 * @example
 * ```ts
 * import { log, tensor } from "@tapegrad/autograd";
 * console.log(log(tensor([1, Math.E], { dtype: "float64" })).toArray()); // [0, 1]
 * ```
 * @category Elementwise
 */
export function log(x: TensorLike): Tensor {
  return apply(logOp, [toFloat(x)], undefined);
}

/**
 * `log(1 + x)`, accurate for small x. Gradient: `g / (1 + x)`.
 * @example
 * ```ts
 * import { log1p, tensor } from "@tapegrad/autograd";
 * console.log(log1p(tensor([0])).toArray()); // [0]
 * ```
 * @category Elementwise
 */
export function log1p(x: TensorLike): Tensor {
  return apply(log1pOp, [toFloat(x)], undefined);
}

/**
 * Square root, elementwise. Gradient: `g / (2√x)` (Infinity at 0).
 * @example
 * ```ts
 * import { sqrt, tensor } from "@tapegrad/autograd";
 * console.log(sqrt(tensor([4, 9])).toArray()); // [2, 3]
 * ```
 * @category Elementwise
 */
export function sqrt(x: TensorLike): Tensor {
  return apply(sqrtOp, [toFloat(x)], undefined);
}

/**
 * Absolute value, elementwise; keeps int32. Gradient: `g · sign(x)` (0 at 0).
 * @example
 * ```ts
 * import { abs, tensor } from "@tapegrad/autograd";
 * console.log(abs(tensor([-1, 2])).toArray()); // [1, 2]
 * ```
 * @category Elementwise
 */
export function abs(x: TensorLike): Tensor {
  return apply(absOp, [toFloatOrInt(x)], undefined);
}

/**
 * Sign, elementwise: -1, 0 or 1 (NaN stays NaN); keeps the dtype. Not differentiable (its derivative is 0).
 * @example
 * ```ts
 * import { sign, tensor } from "@tapegrad/autograd";
 * console.log(sign(tensor([-3, 0, 2])).toArray()); // [-1, 0, 1]
 * ```
 * @category Elementwise
 */
export function sign(x: TensorLike): Tensor {
  return apply(signOp, [toFloatOrInt(x)], undefined);
}

/**
 * Sine, elementwise, in radians. Gradient: `g · cos x`.
 * @example
 * ```ts
 * import { sin, tensor } from "@tapegrad/autograd";
 * console.log(sin(tensor([0])).toArray()); // [0]
 * ```
 * @category Elementwise
 */
export function sin(x: TensorLike): Tensor {
  return apply(sinOp, [toFloat(x)], undefined);
}

/**
 * Cosine, elementwise, in radians. Gradient: `-g · sin x`.
 * @example
 * ```ts
 * import { cos, tensor } from "@tapegrad/autograd";
 * console.log(cos(tensor([0])).toArray()); // [1]
 * ```
 * @category Elementwise
 */
export function cos(x: TensorLike): Tensor {
  return apply(cosOp, [toFloat(x)], undefined);
}

/**
 * Tangent, elementwise, in radians. Gradient: `g · (1 + tan² x)`.
 * @example
 * ```ts
 * import { tan, tensor } from "@tapegrad/autograd";
 * console.log(tan(tensor([0])).toArray()); // [0]
 * ```
 * @category Elementwise
 */
export function tan(x: TensorLike): Tensor {
  return apply(tanOp, [toFloat(x)], undefined);
}

/**
 * Hyperbolic tangent, elementwise. Gradient: `g · (1 - tanh² x)`.
 * @example
 * ```ts
 * import { tanh, tensor } from "@tapegrad/autograd";
 * console.log(tanh(tensor([0])).toArray()); // [0]
 * ```
 * @category Activations
 */
export function tanh(x: TensorLike): Tensor {
  return apply(tanhOp, [toFloat(x)], undefined);
}

/**
 * Logistic sigmoid, `1 / (1 + e⁻ˣ)`, computed without overflow for any |x|. Gradient: `g · σ(x)(1 - σ(x))`.
 * @example
 * ```ts
 * import { sigmoid, tensor } from "@tapegrad/autograd";
 * console.log(sigmoid(tensor([0, -1000, 1000])).toArray()); // [0.5, 0, 1]
 * ```
 * @category Activations
 */
export function sigmoid(x: TensorLike): Tensor {
  return apply(sigmoidOp, [toFloat(x)], undefined);
}

/**
 * Rectified linear unit, `max(x, 0)`. Gradient: `g` where x > 0, else 0 (0 at the kink).
 * @example
 * ```ts
 * import { relu, tensor } from "@tapegrad/autograd";
 * console.log(relu(tensor([-1, 2])).toArray()); // [0, 2]
 * ```
 * @category Activations
 */
export function relu(x: TensorLike): Tensor {
  return apply(reluOp, [toFloat(x)], undefined);
}

/**
 * Leaky ReLU, `x > 0 ? x : slope · x` (slope 0.01 by default, as in PyTorch). Gradient: `g` or `slope · g`.
 * @example
 * ```ts
 * import { leakyRelu, tensor } from "@tapegrad/autograd";
 * console.log(leakyRelu(tensor([-1, 2]), { slope: 0.5 }).toArray()); // [-0.5, 2]
 * ```
 * @category Activations
 */
export function leakyRelu(x: TensorLike, options: { slope?: number } = {}): Tensor {
  return apply(leakyReluOp, [toFloat(x)], { slope: options.slope ?? 0.01 });
}

/**
 * Softplus, `log(1 + eˣ)`, computed without overflow. Gradient: `g · σ(x)`.
 * @example
 * ```ts
 * import { softplus, tensor } from "@tapegrad/autograd";
 * console.log(softplus(tensor([0], { dtype: "float64" })).toArray()); // [0.6931471805599453]
 * ```
 * @category Activations
 */
export function softplus(x: TensorLike): Tensor {
  return apply(softplusOp, [toFloat(x)], undefined);
}

/**
 * Limits values to `[min, max]` (either bound may be omitted); int32 stays int32 unless a bound is
 * fractional, which gives float32. Gradient: `g` inside the bounds (bounds included), 0 outside.
 * @throws {ValueError} If `min > max` or a bound is NaN.
 * @example
 * ```ts
 * import { clamp, tensor } from "@tapegrad/autograd";
 * console.log(clamp(tensor([-2, 0.5, 3]), { min: 0, max: 1 }).toArray()); // [0, 0.5, 1]
 * ```
 * @category Elementwise
 */
export function clamp(x: TensorLike, options: { min?: number; max?: number }): Tensor {
  const min = options.min ?? -Infinity;
  const max = options.max ?? Infinity;
  if (Number.isNaN(min) || Number.isNaN(max) || min > max) {
    throw new ValueError(`clamp: bounds must satisfy min <= max and not be NaN; got min ${min}, max ${max}`);
  }
  // A fractional bound promotes int32 to float32, as a fractional number does in add (weak scalars).
  const fractional = (v: number): boolean => Number.isFinite(v) && !Number.isInteger(v);
  const t = toFloatOrInt(x);
  return apply(clampOp, [fractional(min) || fractional(max) ? toFloat(t) : t], { min, max });
}
