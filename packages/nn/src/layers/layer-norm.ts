// Layer normalisation: each sample's trailing axes rescaled to mean 0 and variance 1, then an optional
// learned scale and shift. Forward code only; the gradient comes from mean, variance, sqrt and division.

import { type DType, mean, ShapeError, type Tensor, tensor, ValueError, variance } from "@tapegrad/autograd";
import { fmtShape } from "../format.js";
import { Module } from "../module.js";
import { paramDType } from "./param-init.js";

/**
 * Options of {@link LayerNorm}, PyTorch's `eps`, `elementwise_affine` and `bias`.
 *
 * @example
 * ```ts
 * import { LayerNorm, type LayerNormOptions } from "@tapegrad/nn";
 * const opts: LayerNormOptions = { eps: 1e-6, bias: false };
 * console.log(new LayerNorm(4, opts).bias); // null
 * ```
 * @category Layers
 */
export interface LayerNormOptions {
  /** Added to the variance before the square root; default 1e-5. */
  eps?: number;
  /** Learn a per-element scale (and shift); default true. */
  elementwiseAffine?: boolean;
  /** Learn the shift too (only with `elementwiseAffine`); default true. */
  bias?: boolean;
  /** Parameter dtype: float32 (default) or float64. */
  dtype?: DType;
}

/**
 * Layer normalisation (PyTorch's `nn.LayerNorm`): normalises every sample over its last axes, whose
 * shape is `normalizedShape`, as `(x − mean) / √(var + eps)` with the biased variance, then multiplies by
 * `weight` and adds `bias` (both of shape `normalizedShape`, initialised to ones and zeros, PyTorch's
 * names). Unlike batch normalisation it keeps no running statistics and behaves the same in training
 * and evaluation.
 * @throws {ValueError} If `normalizedShape` is empty or not positive integers, or `eps` is negative.
 * @example
 * ```ts
 * import { LayerNorm } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const norm = new LayerNorm(4, { dtype: "float64" });
 * const y = norm.call(tensor([[1, 2, 3, 4], [10, 10, 10, 10]], { dtype: "float64" }));
 * console.log(y.mean({ axis: -1 }).toArray(), Object.keys(norm.stateDict())); // [0, 0] ["weight", "bias"]
 * ```
 * @category Layers
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  /** `normalizedShape`, ones at first; null without `elementwiseAffine`. */
  weight: Tensor | null;
  /** `normalizedShape`, zeros at first; null without `elementwiseAffine` or `bias`. */
  bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0 || !shape.every((n) => Number.isInteger(n) && n > 0)) {
      throw new ValueError(
        `LayerNorm: normalizedShape must be a positive integer or a non-empty list of them; got ${JSON.stringify(normalizedShape)}`,
      );
    }
    const eps = options.eps ?? 1e-5;
    if (!(eps >= 0)) throw new ValueError(`LayerNorm: eps must be non-negative; got ${eps}`);
    this.normalizedShape = shape;
    this.eps = eps;
    const dtype = paramDType("LayerNorm", options.dtype);
    const size = shape.reduce((a, n) => a * n, 1);
    const filled = (v: number) =>
      tensor(new Array<number>(size).fill(v), { shape, dtype, requiresGrad: true });
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? filled(1) : null;
    this.bias = affine && (options.bias ?? true) ? filled(0) : null;
  }

  /**
   * `x` normalised over its last `normalizedShape.length` axes.
   * @throws {ShapeError} If those axes of `x` are not `normalizedShape`.
   */
  forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.ndim - k);
    if (x.ndim < k || tail.some((n, i) => n !== this.normalizedShape[i])) {
      throw new ShapeError(
        `LayerNorm: input ${fmtShape(x.shape)} must end in the normalized shape ${fmtShape(this.normalizedShape)}`,
      );
    }
    const axis = Array.from({ length: k }, (_, i) => x.ndim - k + i);
    const centred = x.sub(mean(x, { axis, keepDims: true }));
    const spread = variance(x, { axis, keepDims: true, correction: 0 }).add(this.eps).sqrt();
    let y = centred.div(spread);
    if (this.weight !== null) y = y.mul(this.weight);
    if (this.bias !== null) y = y.add(this.bias);
    return y;
  }

  override extraRepr(): string {
    return `normalizedShape=${fmtShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}
