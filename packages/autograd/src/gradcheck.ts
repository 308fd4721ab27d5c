// Gradient checking for users: reverse-mode Jacobians against central finite differences, in float64.

import { vjp } from "./autodiff.js";
import { flatten } from "./composites.js";
import { AutogradError, fmtShape, TapegradError } from "./errors.js";
import { noGrad } from "./grad-mode.js";
import { fillND } from "./ndarray.js";
import { cast } from "./ops/cast.js";
import { concat } from "./ops/movement.js";
import { Generator } from "./random.js";
import { stridesOf } from "./shape.js";
import { Tensor } from "./tensor.js";

/**
 * Tolerances of {@link gradcheck}: an entry passes when `|analytic - numeric| <= atol + rtol·|numeric|`.
 *
 * @example
 * ```ts
 * import { gradcheck, tensor, type GradcheckOptions } from "@tapegrad/autograd";
 * const opts: GradcheckOptions = { eps: 1e-6, atol: 1e-6, rtol: 1e-4 };
 * console.log(gradcheck((x) => x.exp().sum(), [tensor([0.5])], opts).ok); // true
 * ```
 * @category Gradient checking
 */
export interface GradcheckOptions {
  /** Finite-difference step. Default 1e-6. */
  eps?: number;
  /** Absolute tolerance. Default 1e-5. */
  atol?: number;
  /** Relative tolerance. Default 1e-3. */
  rtol?: number;
}

/**
 * The entry of the Jacobian where analytic and numeric gradients disagree most.
 *
 * @example
 * ```ts
 * import { gradcheck, tensor, type GradcheckEntry } from "@tapegrad/autograd";
 * const worst: GradcheckEntry | null = gradcheck((x) => x.sum(), [tensor([1])]).worst;
 * console.log(worst?.input); // 0
 * ```
 * @category Gradient checking
 */
export interface GradcheckEntry {
  /** Which input (position in `inputs`). */
  readonly input: number;
  /** Multi-index of the input element that was perturbed. */
  readonly inputIndex: readonly number[];
  /** Multi-index of the output element. */
  readonly outputIndex: readonly number[];
  readonly analytic: number;
  readonly numeric: number;
  readonly absError: number;
  readonly relError: number;
}

/**
 * The result of {@link gradcheck}.
 *
 * @example
 * ```ts
 * import { gradcheck, tensor, type GradcheckReport } from "@tapegrad/autograd";
 * const r: GradcheckReport = gradcheck((x) => x.sin().sum(), [tensor([1, 2])]);
 * console.log(r.ok, r.maxAbsError < 1e-6); // true true
 * ```
 * @category Gradient checking
 */
export interface GradcheckReport {
  /** Every entry within tolerance. */
  readonly ok: boolean;
  readonly maxAbsError: number;
  readonly maxRelError: number;
  /** The entry with the largest error relative to its tolerance (null when there is nothing to compare). */
  readonly worst: GradcheckEntry | null;
  /** Number of Jacobian entries compared. */
  readonly checked: number;
  /** The report as readable text. */
  toString(): string;
}

function unravel(i: number, shape: readonly number[]): number[] {
  const s = stridesOf(shape);
  return shape.map((_, d) => Math.floor(i / (s[d] as number)) % (shape[d] as number));
}

function toF64(x: Tensor): Tensor {
  return x.dtype === "int32" ? x : cast(x.detach(), "float64").detach();
}

/**
 * Checks the gradients of `f` at `inputs`: builds the full Jacobian by reverse mode and by central finite
 * differences, both in float64 (floating inputs are converted; int32 inputs are passed through and not
 * checked), and compares every entry. Works on any function of tensors, including one that runs a model.
 * Cost: one backward per output element and two forward passes per input element.
 * @example
 * ```ts
 * import { gradcheck, tensor } from "@tapegrad/autograd";
 * const report = gradcheck((a, b) => a.matmul(b).tanh().sum(), [tensor([[1, 2]]), tensor([[0.1], [0.2]])]);
 * console.log(report.ok); // true
 * ```
 * @category Gradient checking
 */
export function gradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const xs = inputs.map(toF64);
  const diff = xs.flatMap((x, i) => (x.dtype === "int32" ? [] : [i]));
  const call = (...ys: Tensor[]): Tensor => {
    const args = [...xs];
    diff.forEach((i, k) => {
      args[i] = ys[k] as Tensor;
    });
    const out = f(...args);
    if (!(out instanceof Tensor))
      throw new AutogradError(`gradcheck: the function must return a Tensor; got ${typeof out}`);
    return out;
  };
  const [y, pullback] = vjp(call, ...diff.map((i) => xs[i] as Tensor));
  const ydata = y.nd.data;
  // analytic[k][o] is row o of the Jacobian for differentiated input k.
  const analytic: Float64Array[][] = diff.map(() => []);
  for (let o = 0; o < y.size; o++) {
    const seed = fillND(y.dtype, y.shape, 0);
    seed.data[o] = 1;
    pullback(new Tensor(seed)).forEach((g, k) => {
      (analytic[k] as Float64Array[]).push(Float64Array.from(g.nd.data));
    });
  }
  let maxAbs = 0;
  let maxRel = 0;
  let worst: GradcheckEntry | null = null;
  let worstExcess = -Infinity;
  let checked = 0;
  noGrad(() => {
    diff.forEach((i, k) => {
      const x = xs[i] as Tensor;
      const base = x.nd.data as Float64Array;
      for (let e = 0; e < x.size; e++) {
        const shifted = (delta: number): Float64Array => {
          const d = base.slice();
          d[e] = (d[e] as number) + delta;
          const ys = diff.map((j) => xs[j] as Tensor);
          ys[k] = new Tensor({ data: d, shape: x.shape, dtype: "float64" });
          return Float64Array.from(call(...ys).nd.data);
        };
        const plus = shifted(eps);
        const minus = shifted(-eps);
        for (let o = 0; o < ydata.length; o++) {
          const numeric = ((plus[o] as number) - (minus[o] as number)) / (2 * eps);
          const a = (analytic[k] as Float64Array[])[o]?.[e] as number;
          const absError = Math.abs(a - numeric);
          const relError = absError / Math.max(Math.abs(numeric), Number.MIN_VALUE);
          const excess = Number.isNaN(absError) ? Infinity : absError / (atol + rtol * Math.abs(numeric));
          checked++;
          if (absError > maxAbs || Number.isNaN(absError))
            maxAbs = Number.isNaN(absError) ? Number.NaN : absError;
          if (relError > maxRel && Math.abs(numeric) > 0) maxRel = relError;
          if (excess > worstExcess) {
            worstExcess = excess;
            worst = {
              input: i,
              inputIndex: unravel(e, x.shape),
              outputIndex: unravel(o, y.shape),
              analytic: a,
              numeric,
              absError,
              relError,
            };
          }
        }
      }
    });
  });
  const ok = worstExcess <= 1 || checked === 0;
  const w = worst as GradcheckEntry | null;
  return {
    ok,
    maxAbsError: maxAbs,
    maxRelError: maxRel,
    worst: w,
    checked,
    toString() {
      const head = `gradcheck ${ok ? "passed" : "FAILED"}: ${checked} entries, max abs error ${maxAbs.toExponential(3)}, max rel error ${maxRel.toExponential(3)} (atol ${atol}, rtol ${rtol}, eps ${eps})`;
      if (w === null) return head;
      return `${head}\n  worst: input ${w.input} at ${fmtShape(w.inputIndex)}, output ${fmtShape(w.outputIndex)}: analytic ${w.analytic}, numeric ${w.numeric}`;
    },
  };
}

/**
 * Thrown by {@link assertGradcheck} and {@link assertGradgradcheck}; carries the report.
 *
 * @example
 * ```ts
 * import { assertGradcheck, customVjp, GradcheckError, tensor } from "@tapegrad/autograd";
 * const wrong = customVjp((x) => x.square(), ({ g }) => [g]); // the true gradient is 2x·g
 * try {
 *   assertGradcheck((x) => wrong(x).sum(), [tensor([3])]);
 * } catch (e) {
 *   console.log(e instanceof GradcheckError); // true
 * }
 * ```
 * @category Gradient checking
 */
export class GradcheckError extends TapegradError {
  override name = "GradcheckError";
  readonly report: GradcheckReport;

  /** @internal */
  constructor(report: GradcheckReport) {
    super(report.toString());
    this.report = report;
  }
}

/**
 * {@link gradcheck}, throwing a {@link GradcheckError} with the readable report when it fails.
 * @throws {GradcheckError} If any entry is out of tolerance.
 * @example
 * ```ts
 * import { assertGradcheck, tensor } from "@tapegrad/autograd";
 * assertGradcheck((x) => x.sigmoid().sum(), [tensor([0.3, -1.2])]);
 * ```
 * @category Gradient checking
 */
export function assertGradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckReport {
  const r = gradcheck(f, inputs, options);
  if (!r.ok) throw new GradcheckError(r);
  return r;
}

/**
 * Second-order check: with a fixed random cotangent `u` of the output, the map `(inputs, u) ↦ vjp(u)`
 * (every input's gradient, flattened and joined) is itself gradchecked, so the derivatives of the backward
 * pass are compared with finite differences.
 * @example
 * ```ts
 * import { gradgradcheck, tensor } from "@tapegrad/autograd";
 * console.log(gradgradcheck((x) => x.tanh(), [tensor([0.5, -0.3])]).ok); // true
 * ```
 * @category Gradient checking
 */
export function gradgradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions & { seed?: number } = {},
): GradcheckReport {
  const xs = inputs.map(toF64);
  const diff = xs.flatMap((x, i) => (x.dtype === "int32" ? [] : [i]));
  const y = noGrad(() => f(...xs));
  const gen = new Generator(options.seed ?? 0);
  const u = fillND("float64", y.shape, 0);
  for (let i = 0; i < u.data.length; i++) u.data[i] = gen.uniform() * 2 - 1;
  const backwardOf = (...args: Tensor[]): Tensor => {
    const ys = args.slice(0, diff.length);
    const ct = args[diff.length] as Tensor;
    const call = (...zs: Tensor[]): Tensor => {
      const all = [...xs];
      diff.forEach((i, k) => {
        all[i] = zs[k] as Tensor;
      });
      return f(...all);
    };
    const [, pullback] = vjp(call, ...ys);
    return concat(pullback(ct).map((g) => flatten(g)));
  };
  const r = gradcheck(backwardOf, [...diff.map((i) => xs[i] as Tensor), new Tensor(u)], options);
  const remap = (w: GradcheckEntry | null): GradcheckEntry | null =>
    w === null ? null : { ...w, input: w.input < diff.length ? (diff[w.input] as number) : inputs.length };
  return { ...r, worst: remap(r.worst), toString: () => `grad${r.toString()}` };
}

/**
 * {@link gradgradcheck}, throwing a {@link GradcheckError} when it fails.
 * @throws {GradcheckError} If any entry is out of tolerance.
 * @example
 * ```ts
 * import { assertGradgradcheck, tensor } from "@tapegrad/autograd";
 * assertGradgradcheck((x) => x.exp().sum(), [tensor([0.1, 0.2])]);
 * ```
 * @category Gradient checking
 */
export function assertGradgradcheck(
  f: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions & { seed?: number } = {},
): GradcheckReport {
  const r = gradgradcheck(f, inputs, options);
  if (!r.ok) throw new GradcheckError(r);
  return r;
}
