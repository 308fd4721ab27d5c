// Elementwise primitives of two inputs (with NumPy broadcasting), comparisons and where.

import * as K from "../kernels/elementwise.js";
import { apply, defineOp, type OpDef } from "../op.js";
import { broadcastShapes } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { asTensor, cast, promote, type TensorLike, toFloat } from "./cast.js";
import { log, neg } from "./unary.js";

type Vjp = NonNullable<OpDef<undefined>["vjp"]>;

function binaryOp(name: K.BinaryKernel, vjp: Vjp | undefined, outInt = false): OpDef<undefined> {
  return defineOp({
    name,
    inputs: ["a", "b"],
    forward: ([a, b]) =>
      K.binary(name, a!, b!, broadcastShapes(a!.shape, b!.shape, name), outInt ? "int32" : a!.dtype),
    ...(vjp ? { vjp } : {}),
  });
}

// Cotangents come back in the broadcast shape; the tape sums them down to each input's shape.
/** @internal */ export const addOp = binaryOp("add", ({ g }) => [g, g]); // d(a + b) = da + db
/** @internal */ export const subOp = binaryOp("sub", ({ inputs: [, b], g }) => [
  g,
  b!.requiresGrad ? neg(g) : null,
]); // d(a - b) = da - db
// d(ab) = b da + a db
/** @internal */ export const mulOp = binaryOp("mul", ({ inputs: [a, b], g }) => [
  a!.requiresGrad ? mul(g, b!) : null,
  b!.requiresGrad ? mul(g, a!) : null,
]);
// d(a / b) = da / b - (a / b²) db = da / b - out / b db
/** @internal */
export const divOp = binaryOp("div", ({ inputs: [a, b], out, g }) => {
  const ga = div(g, b!);
  return [a!.requiresGrad ? ga : null, b!.requiresGrad ? neg(mul(ga, out)) : null];
});
// d aᵇ = b aᵇ⁻¹ da + aᵇ log a db; the db term is skipped unless b needs it (log a is NaN for a < 0).
// NOTE: at a = 0 the terms are 0·∞ = NaN where the limits are 0 (d a⁰ = 0, and aᵇ log a → 0 for b ≥ 0),
// so they are masked there, as PyTorch does; only at a = 0, so second derivatives elsewhere stay exact.
/** @internal */
export const powOp = binaryOp("pow", ({ inputs: [a, b], out, g }) => {
  const atZero = eq(a!, 0);
  return [
    where(logicalAnd(atZero, eq(b!, 0)), 0, mul(g, mul(b!, pow(a!, sub(b!, 1))))),
    b!.requiresGrad ? where(logicalAnd(atZero, ge(b!, 0)), 0, mul(g, mul(out, log(a!)))) : null,
  ];
});
// Ties split the gradient evenly, as PyTorch does: d max(a, b) = [a > b] da + [a < b] db + ½[a = b](da + db).
/** @internal */
export const maximumOp = binaryOp("maximum", ({ inputs: [a, b], g }) => {
  const half = mul(eq(a!, b!), 0.5);
  return [mul(g, add(gt(a!, b!), half)), mul(g, add(lt(a!, b!), half))];
});
/** @internal */
export const minimumOp = binaryOp("minimum", ({ inputs: [a, b], g }) => {
  const half = mul(eq(a!, b!), 0.5);
  return [mul(g, add(lt(a!, b!), half)), mul(g, add(gt(a!, b!), half))];
});
/** @internal */ export const eqOp = binaryOp("eq", undefined, true);
/** @internal */ export const neOp = binaryOp("ne", undefined, true);
/** @internal */ export const gtOp = binaryOp("gt", undefined, true);
/** @internal */ export const geOp = binaryOp("ge", undefined, true);
/** @internal */ export const ltOp = binaryOp("lt", undefined, true);
/** @internal */ export const leOp = binaryOp("le", undefined, true);

// NOTE: squared differences are what regression losses are made of; one primitive with a one-pass
// backward (PyTorch's mse_loss kernel, TF's SquaredDifference) instead of sub, mul and their vjps.
/** @internal */
export const squaredDifferenceOp = defineOp({
  name: "squaredDifference",
  inputs: ["a", "b"],
  forward: ([a, b]) =>
    K.binary("squaredDifference", a!, b!, broadcastShapes(a!.shape, b!.shape, "squaredDifference"), a!.dtype),
  // d(a - b)² = 2(a - b)(da - db)
  vjp: ({ inputs: [a, b], g }) => {
    const ga = squaredDifferenceGrad(a!, b!, g);
    return [a!.requiresGrad ? ga : null, b!.requiresGrad ? neg(ga) : null];
  },
});

/** @internal */
export const squaredDifferenceGradOp = defineOp({
  name: "squaredDifferenceGrad",
  inputs: ["a", "b", "g"],
  forward: ([a, b, g]) => {
    const shape = broadcastShapes(broadcastShapes(a!.shape, b!.shape, "squaredDifferenceGrad"), g!.shape);
    return K.squaredDifferenceGrad(a!, b!, g!, shape, a!.dtype);
  },
  // f = 2g(a - b): ∂f/∂a = 2g, ∂f/∂b = -2g, ∂f/∂g = 2(a - b)
  vjp: ({ inputs: [a, b, g], g: h }) => {
    const hg = a!.requiresGrad || b!.requiresGrad ? mul(h, mul(g!, 2)) : null;
    return [
      a!.requiresGrad ? hg : null,
      b!.requiresGrad && hg !== null ? neg(hg) : null,
      g!.requiresGrad ? squaredDifferenceGrad(a!, b!, h) : null,
    ];
  },
});

/**
 * Elementwise squared difference `(a - b)²`, broadcasting, with a one-pass backward (TensorFlow's
 * SquaredDifference). Gradient: `2g(a - b)` for a and its negative for b.
 * @throws {ShapeError} If the shapes do not broadcast.
 * @example
 * ```ts
 * import { squaredDifference, tensor } from "@tapegrad/autograd";
 * console.log(squaredDifference(tensor([1, 5]), tensor([3, 3])).toArray()); // [4, 4]
 * ```
 * @category Elementwise
 */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote(a, b);
  return apply(squaredDifferenceOp, [toFloat(x), toFloat(y)], undefined);
}

/** `2g(a - b)`: the vjp of squaredDifference for `a`. @internal */
export function squaredDifferenceGrad(a: Tensor, b: Tensor, g: Tensor): Tensor {
  const [x, y] = promote(a, b);
  const [xg, gg] = promote(x, g);
  return apply(squaredDifferenceGradOp, [xg, cast(y, xg.dtype), gg], undefined);
}

/** @internal */
export const whereOp = defineOp({
  name: "where",
  inputs: ["cond", "a", "b"],
  forward: ([c, a, b]) => {
    const shape = broadcastShapes(broadcastShapes(c!.shape, a!.shape, "where"), b!.shape, "where");
    return K.where(c!, a!, b!, shape, a!.dtype);
  },
  // d where(c, a, b) = where(c, da, 0) + where(c, 0, db)
  vjp: ({ inputs: [c, a], g }) => [null, where(c!, g, 0), where(c!, asTensor(0, a!.dtype), g)],
});

/**
 * Elementwise sum `a + b`, broadcasting as NumPy does; mixed dtypes promote (int32 < float32 < float64).
 * Gradient: `g` to each input, summed over broadcast axes.
 * @throws {ShapeError} If the shapes do not broadcast.
 * @example
 * ```ts
 * import { add, tensor } from "@tapegrad/autograd";
 * console.log(add(tensor([[1], [2]]), tensor([10, 20])).toArray()); // [[11, 21], [12, 22]]
 * ```
 * @category Elementwise
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return apply(addOp, promote(a, b), undefined);
}

/**
 * Elementwise difference `a - b`, with broadcasting and promotion as {@link add}. Gradient: `g`, `-g`.
 * @throws {ShapeError} If the shapes do not broadcast.
 * @example
 * ```ts
 * import { sub, tensor } from "@tapegrad/autograd";
 * console.log(sub(tensor([5, 7]), 2).toArray()); // [3, 5]
 * ```
 * @category Elementwise
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return apply(subOp, promote(a, b), undefined);
}

/**
 * Elementwise product `a · b`, with broadcasting and promotion as {@link add}. Gradient: `g·b`, `g·a`.
 * @throws {ShapeError} If the shapes do not broadcast.
 * @example
 * ```ts
 * import { mul, tensor } from "@tapegrad/autograd";
 * console.log(mul(tensor([1, 2]), tensor([3, 4])).toArray()); // [3, 8]
 * ```
 * @category Elementwise
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return apply(mulOp, promote(a, b), undefined);
}

/**
 * Elementwise true division `a / b` (int32 operands give float32, as in PyTorch). Gradient: `g / b`,
 * `-g·a/b²`.
 * @throws {ShapeError} If the shapes do not broadcast.
 * @example
 * ```ts
 * import { div, tensor } from "@tapegrad/autograd";
 * console.log(div(tensor([1, 3], { dtype: "int32" }), 2).toArray()); // [0.5, 1.5]
 * ```
 * @category Elementwise
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote(a, b);
  return apply(divOp, [toFloat(x), toFloat(y)], undefined);
}

/**
 * Elementwise power `aᵇ` (floating point; int32 is promoted). Gradient: `g·b·aᵇ⁻¹` for a and
 * `g·aᵇ·log a` for b (computed only when b requires grad).
 * @throws {ShapeError} If the shapes do not broadcast.
 * @example
 * ```ts
 * import { pow, tensor } from "@tapegrad/autograd";
 * console.log(pow(tensor([2, 3]), 2).toArray()); // [4, 9]
 * ```
 * @category Elementwise
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote(a, b);
  return apply(powOp, [toFloat(x), toFloat(y)], undefined);
}

/**
 * Elementwise larger of `a` and `b` (NaN wins), broadcasting. Gradient: `g` to the larger input,
 * split evenly on ties.
 * @throws {ShapeError} If the shapes do not broadcast.
 * @example
 * ```ts
 * import { maximum, tensor } from "@tapegrad/autograd";
 * console.log(maximum(tensor([1, 5]), 3).toArray()); // [3, 5]
 * ```
 * @category Elementwise
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return apply(maximumOp, promote(a, b), undefined);
}

/**
 * Elementwise smaller of `a` and `b` (NaN wins), broadcasting. Gradient: `g` to the smaller input,
 * split evenly on ties.
 * @throws {ShapeError} If the shapes do not broadcast.
 * @example
 * ```ts
 * import { minimum, tensor } from "@tapegrad/autograd";
 * console.log(minimum(tensor([1, 5]), 3).toArray()); // [1, 3]
 * ```
 * @category Elementwise
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return apply(minimumOp, promote(a, b), undefined);
}

function compare(op: OpDef<undefined>, a: TensorLike, b: TensorLike): Tensor {
  return apply(op, promote(a, b), undefined);
}

/**
 * Elementwise `a == b` as an int32 tensor of 0 and 1, broadcasting. Not differentiable.
 * @example
 * ```ts
 * import { eq, tensor } from "@tapegrad/autograd";
 * console.log(eq(tensor([1, 2]), 2).toArray()); // [0, 1]
 * ```
 * @category Comparison
 */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return compare(eqOp, a, b);
}

/**
 * Elementwise `a != b` as int32 0/1, broadcasting. Not differentiable.
 * @example
 * ```ts
 * import { ne, tensor } from "@tapegrad/autograd";
 * console.log(ne(tensor([1, 2]), 2).toArray()); // [1, 0]
 * ```
 * @category Comparison
 */
export function ne(a: TensorLike, b: TensorLike): Tensor {
  return compare(neOp, a, b);
}

/**
 * Elementwise `a > b` as int32 0/1, broadcasting. Not differentiable.
 * @example
 * ```ts
 * import { gt, tensor } from "@tapegrad/autograd";
 * console.log(gt(tensor([1, 3]), 2).toArray()); // [0, 1]
 * ```
 * @category Comparison
 */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return compare(gtOp, a, b);
}

/**
 * Elementwise `a >= b` as int32 0/1, broadcasting. Not differentiable.
 * @example
 * ```ts
 * import { ge, tensor } from "@tapegrad/autograd";
 * console.log(ge(tensor([1, 2]), 2).toArray()); // [0, 1]
 * ```
 * @category Comparison
 */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return compare(geOp, a, b);
}

/**
 * Elementwise `a < b` as int32 0/1, broadcasting. Not differentiable.
 * @example
 * ```ts
 * import { lt, tensor } from "@tapegrad/autograd";
 * console.log(lt(tensor([1, 3]), 2).toArray()); // [1, 0]
 * ```
 * @category Comparison
 */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return compare(ltOp, a, b);
}

/**
 * Elementwise `a <= b` as int32 0/1, broadcasting. Not differentiable.
 * @example
 * ```ts
 * import { le, tensor } from "@tapegrad/autograd";
 * console.log(le(tensor([2, 3]), 2).toArray()); // [1, 0]
 * ```
 * @category Comparison
 */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return compare(leOp, a, b);
}

/**
 * Elementwise logical and of two masks (nonzero is true), as int32 0/1. Not differentiable.
 * @example
 * ```ts
 * import { logicalAnd, tensor } from "@tapegrad/autograd";
 * console.log(logicalAnd(tensor([1, 1, 0]), tensor([1, 0, 0])).toArray()); // [1, 0, 0]
 * ```
 * @category Comparison
 */
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  return mul(ne(a, 0), ne(b, 0));
}

/**
 * Picks `a` where `cond` is nonzero and `b` elsewhere; all three broadcast together and `a`, `b` promote.
 * Gradient: `g` flows to `a` where cond holds and to `b` elsewhere; `cond` gets none.
 * @throws {ShapeError} If the shapes do not broadcast.
 * @example
 * ```ts
 * import { where, tensor } from "@tapegrad/autograd";
 * const x = tensor([-1, 2, -3]);
 * console.log(where(x.gt(0), x, 0).toArray()); // [0, 2, 0]
 * ```
 * @category Elementwise
 */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote(a, b);
  // A number condition is true when nonzero, like a tensor one (0.5 must not truncate to 0).
  const c = typeof cond === "number" ? asTensor(cond !== 0 ? 1 : 0, "int32") : cond;
  return apply(whereOp, [c, x, y], undefined);
}
