// Loss functions, each as a function and as a Module: forward code on autograd tensors, no vjps.

import {
  add,
  clamp,
  DTypeError,
  div,
  gt,
  log,
  logSoftmax,
  mean,
  mul,
  neg,
  noGrad,
  oneHot,
  ShapeError,
  softplus,
  squaredDifference,
  sub,
  sum,
  type Tensor,
  ValueError,
  where,
} from "@tapegrad/autograd";
import { fmtShape } from "./format.js";
import { Module } from "./module.js";

/**
 * How a loss combines per-sample (or per-element) values: their mean (default), their sum, or none (the
 * unreduced tensor).
 *
 * @example
 * ```ts
 * import { mseLoss, type Reduction } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const reduction: Reduction = "none";
 * console.log(mseLoss(tensor([1, 2]), tensor([1, 4]), { reduction }).toArray()); // [0, 4]
 * ```
 * @category Losses
 */
export type Reduction = "mean" | "sum" | "none";

/**
 * Options shared by every loss.
 *
 * @example
 * ```ts
 * import { MSELoss, type LossOptions } from "@tapegrad/nn";
 * const opts: LossOptions = { reduction: "sum" };
 * console.log(new MSELoss(opts).reduction); // "sum"
 * ```
 * @category Losses
 */
export interface LossOptions {
  /** Default `"mean"`. */
  reduction?: Reduction;
}

function checkReduction(op: string, r: unknown): Reduction {
  if (r === undefined) return "mean";
  if (r === "mean" || r === "sum" || r === "none") return r;
  throw new ValueError(`${op}: reduction must be "mean", "sum" or "none"; got ${JSON.stringify(r)}`);
}

function requireFloat(op: string, what: string, t: Tensor): void {
  if (t.dtype === "int32") {
    throw new DTypeError(
      `${op}: ${what} must be float32 or float64; got int32 of shape ${fmtShape(t.shape)}`,
    );
  }
}

function sameShape(op: string, input: Tensor, target: Tensor): void {
  if (input.ndim !== target.ndim || input.shape.some((n, i) => n !== target.shape[i])) {
    throw new ShapeError(
      `${op}: input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} must have the same shape`,
    );
  }
}

function floatTarget(op: string, input: Tensor, target: Tensor): void {
  sameShape(op, input, target);
  if (target.dtype !== input.dtype) {
    throw new DTypeError(
      `${op}: target dtype ${target.dtype} differs from input dtype ${input.dtype} ` +
        `(input ${fmtShape(input.shape)}, target ${fmtShape(target.shape)})`,
    );
  }
}

/** Scores `[N, C]` (or `[C]`): the class axis is last. Returns C. */
function classScores(op: string, input: Tensor): number {
  requireFloat(op, "input", input);
  if (input.ndim !== 1 && input.ndim !== 2) {
    throw new ShapeError(`${op}: input must be [N, C] (or [C] for one sample); got ${fmtShape(input.shape)}`);
  }
  return input.shape[input.ndim - 1] as number;
}

/** int32 labels of shape `input.shape[:-1]` with values in [0, C). */
function checkLabels(op: string, input: Tensor, labels: Tensor, numClasses: number): void {
  const want = input.shape.slice(0, -1);
  if (labels.ndim !== want.length || labels.shape.some((n, i) => n !== want[i])) {
    throw new ShapeError(
      `${op}: labels ${fmtShape(labels.shape)} do not fit input ${fmtShape(input.shape)}; ` +
        `expected labels of shape ${fmtShape(want)}`,
    );
  }
  const d = labels.data();
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (v < 0 || v >= numClasses) {
      throw new ValueError(
        `${op}: label ${v} at index ${i} is outside [0, ${numClasses}) for input ${fmtShape(input.shape)}`,
      );
    }
  }
}

/** One-hot rows for int32 labels, or the float target itself (checked against the input). */
function targetRows(op: string, input: Tensor, target: Tensor, numClasses: number): Tensor {
  if (target.dtype === "int32") {
    checkLabels(op, input, target, numClasses);
    return oneHot(target, numClasses, { dtype: input.dtype });
  }
  floatTarget(op, input, target);
  return target;
}

function reduce(values: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return values;
  return reduction === "sum" ? sum(values) : mean(values);
}

/**
 * The notebook's quadratic loss, `Σ (y − t)² / N / 2` for scores `y` of shape `[N, C]`, where `t` is
 * `oneHot(labels)` for int32 class labels `[N]`, or a float target of `y`'s shape and dtype. `"mean"`
 * (default) divides by the number of samples N, not by N·C; `"sum"` gives `Σ (y − t)² / 2`; `"none"`
 * gives the per-sample `Σ_c (y − t)² / 2`, shape `[N]`.
 * @throws {ShapeError} If the input is not `[N, C]`/`[C]` or the target does not fit it.
 * @throws {DTypeError} If the input is int32 or a float target's dtype differs.
 * @throws {ValueError} If a label is outside `[0, C)`.
 * @example
 * ```ts
 * import { quadraticLoss } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const y = tensor([[0.5, 0.5], [1, 0]], { dtype: "float64" });
 * console.log(quadraticLoss(y, tensor([0, 0], { dtype: "int32" })).item()); // 0.125
 * ```
 * @category Losses
 */
export function quadraticLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const op = "quadraticLoss";
  const reduction = checkReduction(op, options.reduction);
  const c = classScores(op, input);
  const sq = squaredDifference(input, targetRows(op, input, target, c));
  if (reduction === "none") return div(sum(sq, { axis: -1 }), 2);
  if (reduction === "sum") return div(sum(sq), 2);
  // NOTE: sum / N / 2 in this order, as the notebook computes it, so float64 losses match it to the last bit.
  const n = input.ndim === 2 ? (input.shape[0] as number) : 1;
  return div(div(sum(sq), n), 2);
}

/**
 * Mean squared error, `mean((input − target)²)` over all elements. Input and target must have the same
 * shape and float dtype.
 * @throws {ShapeError} If the shapes differ.
 * @throws {DTypeError} If a tensor is int32 or the dtypes differ.
 * @example
 * ```ts
 * import { mseLoss } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * console.log(mseLoss(tensor([1, 2]), tensor([1, 4])).item()); // 2
 * ```
 * @category Losses
 */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const op = "mseLoss";
  const reduction = checkReduction(op, options.reduction);
  requireFloat(op, "input", input);
  floatTarget(op, input, target);
  return reduce(squaredDifference(input, target), reduction);
}

/**
 * Options of {@link crossEntropyLoss} and {@link CrossEntropyLoss}.
 *
 * @example
 * ```ts
 * import { CrossEntropyLoss, type CrossEntropyOptions } from "@tapegrad/nn";
 * const opts: CrossEntropyOptions = { labelSmoothing: 0.1 };
 * console.log(new CrossEntropyLoss(opts).labelSmoothing); // 0.1
 * ```
 * @category Losses
 */
export interface CrossEntropyOptions extends LossOptions {
  /**
   * ε in `[0, 1]`: the target becomes `(1 − ε)·oneHot + ε / C`, as in PyTorch (Szegedy et al., 2016).
   * Default 0.
   */
  labelSmoothing?: number;
}

/**
 * Cross entropy from unnormalised scores (logits) `[N, C]`: `−Σ_c t_c · logSoftmax(x)_c` per sample, with
 * `t = oneHot(labels)` for int32 labels `[N]` or a float target of class probabilities of `x`'s shape.
 * Computed through logSoftmax, so logits of ±1000 are fine. `"mean"` averages over the N samples.
 * @throws {ShapeError} If the input is not `[N, C]`/`[C]` or the target does not fit it.
 * @throws {DTypeError} If the input is int32 or a float target's dtype differs.
 * @throws {ValueError} If a label is outside `[0, C)` or `labelSmoothing` is outside `[0, 1]`.
 * @example
 * ```ts
 * import { crossEntropyLoss } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const logits = tensor([[0, 0], [1000, 0]], { dtype: "float64" });
 * console.log(crossEntropyLoss(logits, tensor([1, 0], { dtype: "int32" })).item()); // 0.34657359027997264
 * ```
 * @category Losses
 */
export function crossEntropyLoss(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const op = "crossEntropyLoss";
  const reduction = checkReduction(op, options.reduction);
  const eps = options.labelSmoothing ?? 0;
  if (!(eps >= 0 && eps <= 1)) {
    throw new ValueError(`${op}: labelSmoothing must be in [0, 1]; got ${eps}`);
  }
  const c = classScores(op, input);
  let t = targetRows(op, input, target, c);
  if (eps > 0) t = add(mul(t, 1 - eps), eps / c);
  return reduce(neg(sum(mul(logSoftmax(input, { axis: -1 }), t), { axis: -1 })), reduction);
}

/**
 * Options of the binary cross-entropy losses.
 *
 * @example
 * ```ts
 * import { BCELoss, type BCEOptions } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const opts: BCEOptions = { weight: tensor([1, 2]) };
 * console.log(new BCELoss(opts).reduction); // "mean"
 * ```
 * @category Losses
 */
export interface BCEOptions extends LossOptions {
  /** Rescales each element's loss; broadcast against the input. */
  weight?: Tensor;
}

/** `log(p)` floored at −100 as PyTorch's BCELoss does; exact 0 gives −100 with gradient 0, never NaN. */
function flooredLog(p: Tensor): Tensor {
  const positive = gt(p, 0);
  return where(positive, clamp(log(where(positive, p, 1)), { min: -100 }), -100);
}

function weighted(op: string, loss: Tensor, weight: Tensor | undefined): Tensor {
  if (weight === undefined) return loss;
  requireFloat(op, "weight", weight);
  return mul(loss, weight);
}

/**
 * Binary cross entropy on probabilities: `−(t·log p + (1 − t)·log(1 − p))` elementwise, with each log
 * floored at −100 as PyTorch does, so p = 0 or 1 gives a finite loss. Prefer {@link bceWithLogitsLoss} on
 * raw scores: it is stable without the floor.
 * @throws {ShapeError} If the shapes differ.
 * @throws {DTypeError} If a tensor is int32 or the dtypes differ.
 * @throws {ValueError} If an input value is outside `[0, 1]`.
 * @example
 * ```ts
 * import { bceLoss } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const p = tensor([0.5, 0.5], { dtype: "float64" });
 * console.log(bceLoss(p, tensor([0, 1], { dtype: "float64" })).item()); // 0.6931471805599453
 * ```
 * @category Losses
 */
export function bceLoss(input: Tensor, target: Tensor, options: BCEOptions = {}): Tensor {
  const op = "bceLoss";
  const reduction = checkReduction(op, options.reduction);
  requireFloat(op, "input", input);
  floatTarget(op, input, target);
  if (input.size > 0) {
    const [lo, hi] = noGrad(() => [input.min().item(), input.max().item()]);
    if (lo < 0 || hi > 1) {
      throw new ValueError(
        `${op}: input must hold probabilities in [0, 1]; got values in [${lo}, ${hi}] ` +
          "(use bceWithLogitsLoss on raw scores)",
      );
    }
  }
  const loss = neg(add(mul(target, flooredLog(input)), mul(sub(1, target), flooredLog(sub(1, input)))));
  return reduce(weighted(op, loss, options.weight), reduction);
}

/**
 * Options of {@link bceWithLogitsLoss} and {@link BCEWithLogitsLoss}.
 *
 * @example
 * ```ts
 * import { BCEWithLogitsLoss, type BCEWithLogitsOptions } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const opts: BCEWithLogitsOptions = { posWeight: tensor([3]) };
 * console.log(new BCEWithLogitsLoss(opts).reduction); // "mean"
 * ```
 * @category Losses
 */
export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of the positive term (PyTorch's `pos_weight`), broadcast against the input. */
  posWeight?: Tensor;
}

/**
 * Binary cross entropy on raw scores x: `(1 − t)·x + w⁺·softplus(−x)` elementwise, which equals
 * `−(t·log σ(x) + (1 − t)·log(1 − σ(x)))` (with w⁺ = `1 + (posWeight − 1)·t`, 1 by default) but never
 * overflows: scores of ±1000 give exact, finite losses and gradients.
 * @throws {ShapeError} If the shapes differ.
 * @throws {DTypeError} If a tensor is int32 or the dtypes differ.
 * @example
 * ```ts
 * import { bceWithLogitsLoss } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const x = tensor([1000, -1000], { dtype: "float64" });
 * console.log(bceWithLogitsLoss(x, tensor([1, 0], { dtype: "float64" })).item()); // 0
 * ```
 * @category Losses
 */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, options: BCEWithLogitsOptions = {}): Tensor {
  const op = "bceWithLogitsLoss";
  const reduction = checkReduction(op, options.reduction);
  requireFloat(op, "input", input);
  floatTarget(op, input, target);
  let w: Tensor | number = 1;
  if (options.posWeight !== undefined) {
    requireFloat(op, "posWeight", options.posWeight);
    w = add(mul(sub(options.posWeight, 1), target), 1);
  }
  const loss = add(mul(sub(1, target), input), mul(w, softplus(neg(input))));
  return reduce(weighted(op, loss, options.weight), reduction);
}

/**
 * The notebook's quadratic loss as a module; see {@link quadraticLoss}.
 * @example
 * ```ts
 * import { QuadraticLoss } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const loss = new QuadraticLoss();
 * console.log(loss.call(tensor([[1, 0]]), tensor([0], { dtype: "int32" })).item()); // 0
 * ```
 * @category Losses
 */
export class QuadraticLoss extends Module {
  readonly reduction: Reduction;

  constructor(options: LossOptions = {}) {
    super();
    this.reduction = checkReduction("QuadraticLoss", options.reduction);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return quadraticLoss(input, target, { reduction: this.reduction });
  }

  override extraRepr(): string {
    return `reduction=${this.reduction}`;
  }
}

/**
 * Mean squared error as a module; see {@link mseLoss}.
 * @example
 * ```ts
 * import { MSELoss } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * console.log(new MSELoss().call(tensor([0, 2]), tensor([0, 0])).item()); // 2
 * ```
 * @category Losses
 */
export class MSELoss extends Module {
  readonly reduction: Reduction;

  constructor(options: LossOptions = {}) {
    super();
    this.reduction = checkReduction("MSELoss", options.reduction);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }

  override extraRepr(): string {
    return `reduction=${this.reduction}`;
  }
}

/**
 * Cross entropy from logits as a module; see {@link crossEntropyLoss}.
 * @throws {ValueError} If `labelSmoothing` is outside `[0, 1]`.
 * @example
 * ```ts
 * import { CrossEntropyLoss } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const loss = new CrossEntropyLoss();
 * console.log(loss.call(tensor([[0, 0]], { dtype: "float64" }), tensor([0], { dtype: "int32" })).item()); // 0.6931471805599453
 * ```
 * @category Losses
 */
export class CrossEntropyLoss extends Module {
  readonly reduction: Reduction;
  readonly labelSmoothing: number;

  constructor(options: CrossEntropyOptions = {}) {
    super();
    this.reduction = checkReduction("CrossEntropyLoss", options.reduction);
    this.labelSmoothing = options.labelSmoothing ?? 0;
    if (!(this.labelSmoothing >= 0 && this.labelSmoothing <= 1)) {
      throw new ValueError(`CrossEntropyLoss: labelSmoothing must be in [0, 1]; got ${this.labelSmoothing}`);
    }
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropyLoss(input, target, {
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }

  override extraRepr(): string {
    return `reduction=${this.reduction}, labelSmoothing=${this.labelSmoothing}`;
  }
}

/**
 * Binary cross entropy on probabilities as a module; see {@link bceLoss}.
 * @example
 * ```ts
 * import { BCELoss } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * console.log(new BCELoss().call(tensor([1]), tensor([1])).item()); // 0
 * ```
 * @category Losses
 */
export class BCELoss extends Module {
  readonly reduction: Reduction;
  readonly #weight: Tensor | undefined;

  constructor(options: BCEOptions = {}) {
    super();
    this.reduction = checkReduction("BCELoss", options.reduction);
    this.#weight = options.weight;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return bceLoss(input, target, {
      reduction: this.reduction,
      ...(this.#weight ? { weight: this.#weight } : {}),
    });
  }

  override extraRepr(): string {
    return `reduction=${this.reduction}`;
  }
}

/**
 * Binary cross entropy on raw scores as a module, stable for any score; see {@link bceWithLogitsLoss}.
 * @example
 * ```ts
 * import { BCEWithLogitsLoss } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * console.log(new BCEWithLogitsLoss().call(tensor([0], { dtype: "float64" }), tensor([1], { dtype: "float64" })).item()); // 0.6931471805599453
 * ```
 * @category Losses
 */
export class BCEWithLogitsLoss extends Module {
  readonly reduction: Reduction;
  readonly #weight: Tensor | undefined;
  readonly #posWeight: Tensor | undefined;

  constructor(options: BCEWithLogitsOptions = {}) {
    super();
    this.reduction = checkReduction("BCEWithLogitsLoss", options.reduction);
    this.#weight = options.weight;
    this.#posWeight = options.posWeight;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return bceWithLogitsLoss(input, target, {
      reduction: this.reduction,
      ...(this.#weight ? { weight: this.#weight } : {}),
      ...(this.#posWeight ? { posWeight: this.#posWeight } : {}),
    });
  }

  override extraRepr(): string {
    return `reduction=${this.reduction}`;
  }
}
