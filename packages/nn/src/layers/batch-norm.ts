// Batch normalisation: each channel normalised by the batch's statistics while training and by running
// averages of them in evaluation, then scaled and shifted. Forward code only: the gradient through the
// batch statistics comes from mean and variance.

import {
  type DType,
  mean,
  noGrad,
  ShapeError,
  type Tensor,
  tensor,
  ValueError,
  variance,
  zeros,
} from "@tapegrad/autograd";
import { fmtShape } from "../format.js";
import { Module } from "../module.js";
import { paramDType } from "./param-init.js";

/**
 * Options of {@link BatchNorm1d} and {@link BatchNorm2d}, PyTorch's `eps`, `momentum`, `affine` and
 * `track_running_stats`.
 *
 * @example
 * ```ts
 * import { BatchNorm2d, type BatchNormOptions } from "@tapegrad/nn";
 * const opts: BatchNormOptions = { momentum: null, affine: false };
 * console.log(new BatchNorm2d(8, opts).parameters().length); // 0
 * ```
 * @category Layers
 */
export interface BatchNormOptions {
  /** Added to the variance before the square root; default 1e-5. */
  eps?: number;
  /**
   * Weight of the newest batch in the running averages, default 0.1; `null` averages all batches so far
   * equally (a cumulative mean).
   */
  momentum?: number | null;
  /** Learn a per-channel scale and shift; default true. */
  affine?: boolean;
  /** Keep running statistics for evaluation; default true. Without them, batch statistics are used always. */
  trackRunningStats?: boolean;
  /** Dtype of the parameters and running statistics: float32 (default) or float64. */
  dtype?: DType;
}

/**
 * The shared base of {@link BatchNorm1d} and {@link BatchNorm2d}, which differ only in the input ranks
 * they take (PyTorch's `_BatchNorm`). The property names are PyTorch's, so state dicts line up:
 * `weight`, `bias`, `running_mean`, `running_var`, `num_batches_tracked`.
 * @example
 * ```ts
 * import { BatchNorm, BatchNorm2d } from "@tapegrad/nn";
 * console.log(new BatchNorm2d(4) instanceof BatchNorm); // true
 * ```
 * @category Layers
 */
export abstract class BatchNorm extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly trackRunningStats: boolean;
  /** `[numFeatures]`, ones at first; null without `affine`. */
  weight: Tensor | null;
  /** `[numFeatures]`, zeros at first; null without `affine`. */
  bias: Tensor | null;
  // Buffers, registered in the constructor (absent without trackRunningStats).
  declare running_mean: Tensor | undefined;
  declare running_var: Tensor | undefined;
  declare num_batches_tracked: Tensor | undefined;

  /** Ranks of the inputs this layer takes, for messages and checks. */
  protected abstract readonly ranks: readonly number[];

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    const name = this.constructor.name;
    if (!Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new ValueError(`${name}: numFeatures must be a positive integer; got ${numFeatures}`);
    }
    const eps = options.eps ?? 1e-5;
    const momentum = options.momentum === undefined ? 0.1 : options.momentum;
    if (!(eps >= 0)) throw new ValueError(`${name}: eps must be non-negative; got ${eps}`);
    if (momentum !== null && !(momentum >= 0 && momentum <= 1)) {
      throw new ValueError(`${name}: momentum must be in [0, 1] or null; got ${momentum}`);
    }
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = paramDType(name, options.dtype);
    const filled = (v: number, grad: boolean) =>
      tensor(new Array<number>(numFeatures).fill(v), { dtype, requiresGrad: grad });
    const affine = options.affine ?? true;
    this.weight = affine ? filled(1, true) : null;
    this.bias = affine ? filled(0, true) : null;
    if (this.trackRunningStats) {
      this.registerBuffer("running_mean", filled(0, false));
      this.registerBuffer("running_var", filled(1, false));
      this.registerBuffer("num_batches_tracked", zeros([], { dtype: "int32" }));
    }
  }

  /**
   * `x` normalised per channel (axis 1): by the batch's mean and (biased) variance in training mode or
   * without running statistics, by the running ones in evaluation. In training mode the running mean and
   * the running unbiased variance move towards the batch's by `momentum`.
   * @throws {ShapeError} If `x` has another rank or number of channels, or (training) one value per channel.
   */
  forward(x: Tensor): Tensor {
    const name = this.constructor.name;
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      throw new ShapeError(
        `${name}: input ${fmtShape(x.shape)} must have ${this.ranks.join(" or ")} axes with ` +
          `${this.numFeatures} channels on axis 1`,
      );
    }
    const axis = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
    const perChannel = [1, this.numFeatures, ...Array.from({ length: x.ndim - 2 }, () => 1)];
    const useBatch = this.training || !this.trackRunningStats;
    let mu: Tensor;
    let sigma2: Tensor;
    if (useBatch) {
      const count = x.size / this.numFeatures;
      if (this.training && count < 2) {
        throw new ShapeError(
          `${name}: training needs more than one value per channel to estimate a variance; got input ${fmtShape(x.shape)}`,
        );
      }
      mu = mean(x, { axis, keepDims: true });
      sigma2 = variance(x, { axis, keepDims: true, correction: 0 });
      if (this.training && this.trackRunningStats) this.#track(mu, sigma2, count);
    } else {
      mu = (this.running_mean as Tensor).reshape(perChannel);
      sigma2 = (this.running_var as Tensor).reshape(perChannel);
    }
    let y = x.sub(mu).div(sigma2.add(this.eps).sqrt());
    if (this.weight !== null) y = y.mul(this.weight.reshape(perChannel));
    if (this.bias !== null) y = y.add(this.bias.reshape(perChannel));
    return y;
  }

  /** Moves the running statistics towards the batch's; outside the graph, in place. */
  #track(mu: Tensor, sigma2: Tensor, count: number): void {
    noGrad(() => {
      const batches = (this.num_batches_tracked as Tensor).add(1);
      (this.num_batches_tracked as Tensor).assign(batches);
      const f = this.momentum ?? 1 / batches.item();
      const unbiased = sigma2.mul(count / (count - 1)).reshape([this.numFeatures]);
      const runMean = this.running_mean as Tensor;
      const runVar = this.running_var as Tensor;
      runMean.assign(
        runMean
          .mul(1 - f)
          .add(mu.reshape([this.numFeatures]).mul(f))
          .cast(runMean.dtype),
      );
      runVar.assign(
        runVar
          .mul(1 - f)
          .add(unbiased.mul(f))
          .cast(runVar.dtype),
      );
    });
  }

  override extraRepr(): string {
    return (
      `numFeatures=${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, ` +
      `affine=${this.weight !== null}, trackRunningStats=${this.trackRunningStats}`
    );
  }
}

/**
 * Batch normalisation over [n, c] or [n, c, l] inputs (PyTorch's `nn.BatchNorm1d`): each of the `numFeatures`
 * channels normalised by its mean and variance over the batch (and length), then scaled by `weight` and
 * shifted by `bias`. In evaluation mode (`eval()`) the running averages are used instead, so a single
 * sample gives the same result as in a batch. Buffers `running_mean`, `running_var` and
 * `num_batches_tracked` are saved in the state dict under PyTorch's names.
 * @throws {ValueError} For a bad size, `eps` or `momentum`.
 * @example
 * ```ts
 * import { BatchNorm1d } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const bn = new BatchNorm1d(2, { dtype: "float64" });
 * const y = bn.call(tensor([[1, 10], [3, 30]], { dtype: "float64" }));
 * console.log(y.toArray(), bn.running_mean?.toArray()); // [[-0.9999950000374997, -0.9999999500000037], [0.9999950000374997, 0.9999999500000037]] [0.2, 2]
 * ```
 * @category Layers
 */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3] as const;
}

/**
 * Batch normalisation over [n, c, h, w] images (PyTorch's `nn.BatchNorm2d`): each of the `numFeatures`
 * channels normalised by its mean and variance over the batch and both spatial axes, then scaled and
 * shifted; running averages in evaluation mode, as {@link BatchNorm1d}.
 * @throws {ValueError} For a bad size, `eps` or `momentum`.
 * @example
 * ```ts
 * import { BatchNorm2d } from "@tapegrad/nn";
 * import { randn } from "@tapegrad/autograd";
 * const bn = new BatchNorm2d(3);
 * console.log(bn.call(randn([4, 3, 5, 5])).shape, Object.keys(bn.stateDict()));
 * // [4, 3, 5, 5] ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
 * ```
 * @category Layers
 */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4] as const;
}
