// The JAX-style transforms: grad, valueAndGrad, vjp, jvp, jacobian, hessian, stopGradient, customVjp.

import { stack } from "./composites.js";
import { isFloat } from "./dtype.js";
import { AutogradError, DTypeError, fmtShape, ShapeError } from "./errors.js";
import { enableGrad, isGradEnabled, noGrad } from "./grad-mode.js";
import { fillND } from "./ndarray.js";
import { apply, defineOp } from "./op.js";
import { add, mul } from "./ops/binary.js";
import { cast } from "./ops/cast.js";
import { identity, reshape } from "./ops/movement.js";
import { sum } from "./ops/reduce.js";
import { runBackward, sumTo } from "./tape.js";
import { Tensor } from "./tensor.js";

/**
 * Which positional arguments a transform differentiates: one index (the result is one tensor) or a list
 * (the result is a list). Default 0.
 *
 * @example
 * ```ts
 * import { grad, tensor, type Argnums } from "@tapegrad/autograd";
 * const argnums: Argnums = [0, 1];
 * const [da, db] = grad((a, b) => a.mul(b).sum(), { argnums })(tensor([2]), tensor([3]));
 * console.log(da.item(), db.item()); // 3 2
 * ```
 * @category Transforms
 */
export type Argnums = number | readonly number[];

/**
 * A function the transforms accept: tensors (and any other arguments) in, one tensor out.
 *
 * @example
 * ```ts
 * import { grad, tensor, type TensorFunction } from "@tapegrad/autograd";
 * const f: TensorFunction = (x) => x.square().sum();
 * console.log(grad(f)(tensor([3])).item()); // 6
 * ```
 * @category Transforms
 */
// biome-ignore lint/suspicious/noExplicitAny: transforms accept functions of any arguments.
export type TensorFunction = (...args: any[]) => Tensor;

/** Whether `t`'s graph reaches a tensor that requires grad other than `own`: an outer transform is tracing. */
function tracedFromOutside(
  outputs: readonly Tensor[],
  own: ReadonlySet<Tensor>,
  outerGrad: boolean,
): boolean {
  if (!outerGrad) return false;
  const seen = new Set<Tensor>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const t = stack.pop() as Tensor;
    if (seen.has(t) || !t.requiresGrad) continue;
    seen.add(t);
    if (t.node === null) {
      if (!own.has(t)) return true;
    } else stack.push(...t.node.inputs);
  }
  return false;
}

interface Prepared {
  args: unknown[];
  primals: Tensor[];
  /** Whether recording was on where the transform was called: only then can an outer level be tracing. */
  outerGrad: boolean;
}

/**
 * Replaces the differentiated arguments by fresh tensors that require grad. An argument already on an outer
 * tape becomes an identity node on it, so nested transforms stay connected without confusing levels.
 */
function prepare(op: string, args: readonly unknown[], argnums: Argnums): Prepared {
  const indices = typeof argnums === "number" ? [argnums] : [...argnums];
  const outerGrad = isGradEnabled();
  const out = [...args];
  const primals = indices.map((i) => {
    const x = args[i];
    if (!(x instanceof Tensor)) {
      throw new AutogradError(`${op}: argument ${i} must be a Tensor to be differentiated; got ${typeof x}`);
    }
    if (!isFloat(x.dtype)) {
      throw new DTypeError(
        `${op}: argument ${i} has dtype ${x.dtype}; only float32 and float64 arguments can be differentiated`,
      );
    }
    const p = x.requiresGrad && outerGrad ? identity(x) : new Tensor(x.nd, null, true);
    out[i] = p;
    return p;
  });
  return { args: out, primals, outerGrad };
}

function checkScalar(op: string, y: unknown): Tensor {
  if (!(y instanceof Tensor))
    throw new AutogradError(`${op}: the function must return a Tensor; got ${typeof y}`);
  if (y.size !== 1) {
    throw new AutogradError(
      `${op}: the function must return a scalar (one element); got shape ${fmtShape(y.shape)} ` +
        "(use vjp or jacobian for non-scalar outputs)",
    );
  }
  if (!isFloat(y.dtype))
    throw new DTypeError(`${op}: the function returned dtype ${y.dtype}; it must be floating point`);
  return y;
}

/** Cotangents for `primals` from `outputs` seeded with `seeds`; zeros for a primal that is not reached. */
function pull(
  outputs: readonly Tensor[],
  seeds: readonly Tensor[],
  primals: readonly Tensor[],
  outerGrad: boolean,
): Tensor[] {
  const own = new Set(primals);
  const createGraph = tracedFromOutside(outputs, own, outerGrad) || seeds.some((s) => s.requiresGrad);
  const live = outputs.map((o, i) => [o, seeds[i] as Tensor] as const).filter(([o]) => o.requiresGrad);
  const ct =
    live.length === 0
      ? new Map<Tensor, Tensor>()
      : runBackward(
          live.map(([o]) => o),
          live.map(([, s]) => s),
          (t) => own.has(t),
          { createGraph, retainGraph: true },
        );
  return primals.map((p) => {
    const g = ct.get(p) ?? new Tensor(fillND(p.dtype, p.shape, 0));
    return createGraph ? g : g.detach();
  });
}

function shapeResult<T>(argnums: Argnums, list: T[]): T | T[] {
  return typeof argnums === "number" ? (list[0] as T) : list;
}

/**
 * Options of {@link grad}, {@link valueAndGrad} and {@link jacobian}.
 *
 * @example
 * ```ts
 * import { grad, tensor, type TransformOptions } from "@tapegrad/autograd";
 * const opts = { argnums: 1 } satisfies TransformOptions;
 * console.log(grad((a, b) => a.mul(b).sum(), opts)(tensor([2]), tensor([5])).item()); // 2
 * ```
 * @category Transforms
 */
export interface TransformOptions {
  /** Which arguments to differentiate with respect to; default 0. */
  argnums?: Argnums;
}

/**
 * The gradient function of a scalar-valued `f` (JAX's `grad`): `grad(f)(...args)` returns
 * `∂f/∂args[argnums]` with each argument's shape. Transforms nest: `grad(grad(f))` is the second
 * derivative, and a function that calls `grad` inside can itself be differentiated.
 * @throws {AutogradError} If `f` does not return a one-element tensor.
 * @throws {DTypeError} If a differentiated argument is int32.
 * @example
 * ```ts
 * import { grad, tensor, type Tensor } from "@tapegrad/autograd";
 * const f = (x: Tensor) => x.mul(x).mul(x).sum(); // x³
 * console.log(grad(f)(tensor([2])).toArray(), grad(grad(f))(tensor([2])).toArray()); // [12] [12]
 * ```
 * @category Transforms
 */
export function grad<F extends TensorFunction>(
  f: F,
  options: TransformOptions & { argnums: readonly number[] },
): (...args: Parameters<F>) => Tensor[];
export function grad<F extends TensorFunction>(
  f: F,
  options?: TransformOptions & { argnums?: number },
): (...args: Parameters<F>) => Tensor;
export function grad<F extends TensorFunction>(
  f: F,
  options?: TransformOptions,
): (...args: Parameters<F>) => Tensor | Tensor[];
export function grad<F extends TensorFunction>(
  f: F,
  options: TransformOptions = {},
): (...args: Parameters<F>) => Tensor | Tensor[] {
  const vg = valueAndGrad(f, options as TransformOptions & { argnums?: number });
  return (...args) => vg(...args)[1];
}

/**
 * Like {@link grad} but returns `[f(...args), gradient]` from one forward and one backward pass.
 * @throws {AutogradError} If `f` does not return a one-element tensor.
 * @example
 * ```ts
 * import { valueAndGrad, tensor } from "@tapegrad/autograd";
 * const [y, dy] = valueAndGrad((x) => x.square().sum())(tensor([3]));
 * console.log(y.item(), dy.toArray()); // 9 [6]
 * ```
 * @category Transforms
 */
export function valueAndGrad<F extends TensorFunction>(
  f: F,
  options: TransformOptions & { argnums: readonly number[] },
): (...args: Parameters<F>) => [Tensor, Tensor[]];
export function valueAndGrad<F extends TensorFunction>(
  f: F,
  options?: TransformOptions & { argnums?: number },
): (...args: Parameters<F>) => [Tensor, Tensor];
export function valueAndGrad<F extends TensorFunction>(
  f: F,
  options?: TransformOptions,
): (...args: Parameters<F>) => [Tensor, Tensor | Tensor[]];
export function valueAndGrad<F extends TensorFunction>(
  f: F,
  options: TransformOptions = {},
): (...args: Parameters<F>) => [Tensor, Tensor | Tensor[]] {
  const argnums = options.argnums ?? 0;
  return (...args) => {
    const { args: a, primals, outerGrad } = prepare("grad", args, argnums);
    const y = checkScalar(
      "grad",
      enableGrad(() => f(...a)),
    );
    const seed = new Tensor(fillND(y.dtype, y.shape, 1));
    const gs = pull([y], [seed], primals, outerGrad);
    const value = tracedFromOutside([y], new Set(primals), outerGrad) ? y : y.detach();
    return [value, shapeResult(argnums, gs)];
  };
}

/**
 * A pullback: maps a cotangent of the output to the cotangents of the primals.
 *
 * @example
 * ```ts
 * import { vjp, tensor, type Pullback } from "@tapegrad/autograd";
 * const [, pullback] = vjp((x) => x.mul(2), tensor([1, 2]));
 * const pb: Pullback = pullback;
 * console.log(pb(tensor([1, 1]))[0]?.toArray()); // [2, 2]
 * ```
 * @category Transforms
 */
export type Pullback = (cotangent: Tensor) => Tensor[];

/**
 * Evaluates `f(...primals)` and returns it with its pullback (JAX's `vjp`): `pullback(u)` gives
 * `uᵀ·∂f/∂primals` for each primal. The pullback can be called many times.
 * @throws {AutogradError} If `f` does not return a tensor, or the cotangent's shape differs from the output's.
 * @example
 * ```ts
 * import { vjp, tensor } from "@tapegrad/autograd";
 * const [y, pullback] = vjp((a, b) => a.mul(b), tensor([1, 2]), tensor([3, 4]));
 * const [da, db] = pullback(tensor([1, 0]));
 * console.log(y.toArray(), da?.toArray(), db?.toArray()); // [3, 8] [3, 0] [1, 0]
 * ```
 * @category Transforms
 */
export function vjp(f: TensorFunction, ...primals: Tensor[]): [Tensor, Pullback] {
  const {
    args,
    primals: own,
    outerGrad,
  } = prepare(
    "vjp",
    primals,
    primals.map((_, i) => i),
  );
  const y = enableGrad(() => f(...args));
  if (!(y instanceof Tensor))
    throw new AutogradError(`vjp: the function must return a Tensor; got ${typeof y}`);
  const outer = tracedFromOutside([y], new Set(own), outerGrad);
  const pullback: Pullback = (u) => {
    if (!shapesMatch(u, y)) {
      throw new AutogradError(
        `vjp: cotangent has shape ${fmtShape(u.shape)} but the output has shape ${fmtShape(y.shape)}`,
      );
    }
    return enableGrad(() => pull([y], [u.dtype === y.dtype ? u : cast(u, y.dtype)], own, outerGrad));
  };
  return [outer ? y : y.detach(), pullback];
}

function shapesMatch(a: Tensor, b: Tensor): boolean {
  return a.ndim === b.ndim && a.shape.every((n, i) => n === b.shape[i]);
}

/**
 * Forward mode (JAX's `jvp`): returns `[f(...primals), ∂f·tangents]`, the directional derivative of `f`
 * along `tangents` (one per primal, same shapes). Derived by transposing the vjp, which is linear in its
 * cotangent, so every op that has a vjp has a jvp at about three times the cost of the forward pass.
 * @throws {ShapeError} If the tangents do not match the primals in number and shape.
 * @throws {DTypeError} If `f` returns an int32 tensor (a step function of its inputs has no tangent).
 * @example
 * ```ts
 * import { jvp, tensor } from "@tapegrad/autograd";
 * const [y, dy] = jvp((x) => x.mul(x), [tensor([3])], [tensor([1])]);
 * console.log(y.toArray(), dy.toArray()); // [9] [6]
 * ```
 * @category Transforms
 */
export function jvp(
  f: TensorFunction,
  primals: readonly Tensor[],
  tangents: readonly Tensor[],
): [Tensor, Tensor] {
  if (primals.length !== tangents.length) {
    throw new ShapeError(`jvp: got ${primals.length} primals but ${tangents.length} tangents`);
  }
  tangents.forEach((t, i) => {
    const p = primals[i] as Tensor;
    if (!shapesMatch(t, p)) {
      throw new ShapeError(
        `jvp: tangent ${i} has shape ${fmtShape(t.shape)} but primal ${i} has shape ${fmtShape(p.shape)}`,
      );
    }
  });
  const outerGrad = isGradEnabled();
  const [y, pullback] = vjp(f, ...primals);
  if (!isFloat(y.dtype)) {
    throw new DTypeError(`jvp: the function returned dtype ${y.dtype}; it must be floating point`);
  }
  // The pullback u ↦ Jᵀu is linear in u; differentiating ⟨Jᵀu, t⟩ with respect to u gives J·t.
  const u = new Tensor(fillND(y.dtype, y.shape, 0), null, true);
  const inner = enableGrad(() => {
    let acc: Tensor | null = null;
    pullback(u).forEach((c, i) => {
      const term = sum(mul(c, cast(tangents[i] as Tensor, c.dtype)));
      acc = acc === null ? term : add(acc, term);
    });
    return acc as Tensor | null;
  });
  const seed = inner === null ? null : (inner as Tensor);
  const dy =
    seed === null || !seed.requiresGrad
      ? new Tensor(fillND(y.dtype, y.shape, 0))
      : (pull([seed], [new Tensor(fillND(seed.dtype, [], 1))], [u], outerGrad)[0] as Tensor);
  return [y, dy];
}

/**
 * The Jacobian of `f` (JAX's `jacrev`): a tensor of shape `[...out.shape, ...arg.shape]` for each
 * differentiated argument, built row by row in reverse mode.
 * @example
 * ```ts
 * import { jacobian, tensor } from "@tapegrad/autograd";
 * const J = jacobian((x) => x.mul(x))(tensor([1, 2]));
 * console.log(J.toArray()); // [[2, 0], [0, 4]]
 * ```
 * @category Transforms
 */
export function jacobian<F extends TensorFunction>(
  f: F,
  options: TransformOptions & { argnums: readonly number[] },
): (...args: Parameters<F>) => Tensor[];
export function jacobian<F extends TensorFunction>(
  f: F,
  options?: TransformOptions & { argnums?: number },
): (...args: Parameters<F>) => Tensor;
export function jacobian<F extends TensorFunction>(
  f: F,
  options?: TransformOptions,
): (...args: Parameters<F>) => Tensor | Tensor[];
export function jacobian<F extends TensorFunction>(
  f: F,
  options: TransformOptions = {},
): (...args: Parameters<F>) => Tensor | Tensor[] {
  const argnums = options.argnums ?? 0;
  return (...args) => {
    const { args: a, primals, outerGrad } = prepare("jacobian", args, argnums);
    const y = enableGrad(() => f(...a));
    if (!(y instanceof Tensor))
      throw new AutogradError(`jacobian: the function must return a Tensor; got ${typeof y}`);
    const rows: Tensor[][] = primals.map(() => []);
    for (let i = 0; i < y.size; i++) {
      const data = fillND(y.dtype, y.shape, 0);
      data.data[i] = 1;
      pull([y], [new Tensor(data)], primals, outerGrad).forEach((g, k) => {
        (rows[k] as Tensor[]).push(g);
      });
    }
    const jacs = primals.map((p, k) => {
      const r = rows[k] as Tensor[];
      const flat = r.length === 0 ? new Tensor(fillND(p.dtype, [0, ...p.shape], 0)) : stack(r);
      return reshape(flat, [...y.shape, ...p.shape]);
    });
    return shapeResult(argnums, jacs);
  };
}

/**
 * The Hessian of a scalar-valued `f` with respect to argument `argnums` (default 0): shape
 * `[...x.shape, ...x.shape]`, the Jacobian of the gradient.
 * @throws {AutogradError} If `f` does not return a one-element tensor.
 * @example
 * ```ts
 * import { hessian, tensor } from "@tapegrad/autograd";
 * const H = hessian((x) => x.mul(x).mul(x).sum())(tensor([1, 2])); // diag(6x)
 * console.log(H.toArray()); // [[6, 0], [0, 12]]
 * ```
 * @category Transforms
 */
export function hessian<F extends TensorFunction>(
  f: F,
  options: { argnums?: number } = {},
): (...args: Parameters<F>) => Tensor {
  return jacobian(grad(f, { argnums: options.argnums ?? 0 }), { argnums: options.argnums ?? 0 });
}

/**
 * The identity on values that blocks gradients (JAX's `stop_gradient`, PyTorch's `detach`).
 * @example
 * ```ts
 * import { grad, stopGradient, tensor } from "@tapegrad/autograd";
 * console.log(grad((x) => x.mul(stopGradient(x)).sum())(tensor([3])).toArray()); // [3]
 * ```
 * @category Transforms
 */
export function stopGradient(x: Tensor): Tensor {
  return x.detach();
}

/**
 * What a custom vjp rule receives.
 *
 * @example
 * ```ts
 * import { customVjp, tensor, type CustomVjpContext } from "@tapegrad/autograd";
 * const double = customVjp((x) => x.mul(2), ({ g }: CustomVjpContext) => [g.mul(2)]);
 * console.log(double(tensor([1])).toArray()); // [2]
 * ```
 * @category Transforms
 */
export interface CustomVjpContext {
  /** The inputs the function was called with. */
  readonly inputs: readonly Tensor[];
  /** The function's output. */
  readonly out: Tensor;
  /** The cotangent of the output (its shape and dtype). */
  readonly g: Tensor;
}

/**
 * Wraps `f` so that its gradient comes from `rule` instead of from differentiating `f` (JAX's
 * `custom_vjp`, PyTorch's `autograd.Function`). `f` runs without recording; `rule` returns one cotangent
 * per input (or null), of the input's shape or of a shape the input broadcasts to (it is summed back).
 * Write `rule` with tapegrad ops and higher derivatives go through it too.
 * @throws {AutogradError} When the rule returns the wrong number of cotangents or a shape that does not fit.
 * @example
 * ```ts
 * import { customVjp, grad, tensor, clamp } from "@tapegrad/autograd";
 * // A straight-through clamp: clamp forward, identity backward.
 * const ste = customVjp((x) => clamp(x, { min: 0, max: 1 }), ({ g }) => [g]);
 * console.log(grad((x) => ste(x).sum())(tensor([5])).toArray()); // [1]
 * ```
 * @category Transforms
 */
export function customVjp(
  f: (...inputs: Tensor[]) => Tensor,
  rule: (ctx: CustomVjpContext) => readonly (Tensor | null)[],
  options: { name?: string } = {},
): (...inputs: Tensor[]) => Tensor {
  const name = options.name ?? (f.name || "customVjp");
  return (...inputs) => {
    const y = noGrad(() => f(...inputs));
    if (!(y instanceof Tensor))
      throw new AutogradError(`${name}: the function must return a Tensor; got ${typeof y}`);
    const op = defineOp({
      name,
      inputs: inputs.map((_, i) => `input${i}`),
      forward: () => y.nd,
      vjp: ({ inputs: xs, out, g }) => {
        const r = rule({ inputs: xs, out, g });
        if (r.length !== xs.length) {
          throw new AutogradError(
            `${name}: the vjp rule returned ${r.length} cotangents for ${xs.length} inputs`,
          );
        }
        return r.map((c, i) => {
          const x = xs[i] as Tensor;
          if (c === null) return null;
          try {
            const s = sumTo(c, x.shape);
            if (!shapesMatch(s, x)) throw new Error();
            return s;
          } catch {
            throw new AutogradError(
              `${name}: the vjp rule returned shape ${fmtShape(c.shape)} for input ${i} of shape ${fmtShape(x.shape)}`,
            );
          }
        });
      },
    });
    return apply(op, inputs, undefined);
  };
}
