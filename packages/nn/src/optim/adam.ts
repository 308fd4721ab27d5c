// Adam and AdamW with PyTorch's formulas, bias correction and optional AMSGrad.

import { add, div, maximum, mul, sqrt, sub, type Tensor, zerosLike } from "@tapegrad/autograd";
import { checkBeta, checkNonNegative, Optimizer } from "./optimizer.js";

/**
 * Options of {@link Adam} and {@link AdamW}; the defaults are PyTorch's.
 *
 * @example
 * ```ts
 * import { Adam, type AdamOptions } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const opts: AdamOptions = { lr: 1e-2, betas: [0.9, 0.99] };
 * console.log(new Adam([tensor([1], { requiresGrad: true })], opts).betas); // [0.9, 0.99]
 * ```
 * @category Optimizers
 */
export interface AdamOptions {
  /** Learning rate. Default 1e-3. */
  lr?: number;
  /** Decay rates (β₁, β₂) of the first and second moment estimates. Default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Added to the denominator for stability. Default 1e-8. */
  eps?: number;
  /** Weight decay λ: an L2 term in the gradient for Adam (default 0), decoupled for AdamW (default 1e-2). */
  weightDecay?: number;
  /** Use the running maximum of the second moment (Reddi et al., 2018). Default false. */
  amsgrad?: boolean;
}

/** PyTorch's lerp: `a + w·(b − a)` for |w| < 0.5, else `b − (b − a)·(1 − w)`. */
function lerp(a: Tensor, b: Tensor, w: number): Tensor {
  return Math.abs(w) < 0.5 ? add(a, mul(sub(b, a), w)) : sub(b, mul(sub(b, a), 1 - w));
}

/**
 * Adam (Kingma & Ba, 2015) with PyTorch's formulas: `g ← g + λθ` (if weightDecay), `m ← lerp(m, g, 1 − β₁)`,
 * `v ← β₂v + (1 − β₂)g²`, then with step t, `θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)`
 * (√ of the running max of v with amsgrad).
 * @throws {ValueError} For a negative setting or a beta outside `[0, 1)`.
 * @example
 * ```ts
 * import { Adam } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const w = tensor([1, -1], { requiresGrad: true, dtype: "float64" });
 * const opt = new Adam([w], { lr: 0.1 });
 * w.mul(w).sum().backward();
 * opt.step(); // the first Adam step moves each weight by about lr against its gradient's sign
 * console.log(w.toArray()); // [0.9000000005, -0.9000000005]
 * ```
 * @category Optimizers
 */
export class Adam extends Optimizer {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  readonly #steps: number[];
  readonly #m: (Tensor | null)[];
  readonly #v: (Tensor | null)[];
  readonly #vMax: (Tensor | null)[];

  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super(params, options.lr ?? 1e-3);
    const name = this.constructor.name;
    this.betas = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? this.defaultWeightDecay();
    this.amsgrad = options.amsgrad ?? false;
    checkBeta(name, "betas[0]", this.betas[0]);
    checkBeta(name, "betas[1]", this.betas[1]);
    checkNonNegative(name, "eps", this.eps);
    checkNonNegative(name, "weightDecay", this.weightDecay);
    this.#steps = this.params.map(() => 0);
    this.#m = this.params.map(() => null);
    this.#v = this.params.map(() => null);
    this.#vMax = this.params.map(() => null);
  }

  /** @internal */
  protected defaultWeightDecay(): number {
    return 0;
  }

  protected update(p: Tensor, grad: Tensor, i: number): void {
    const [b1, b2] = this.betas;
    const step = (this.#steps[i] as number) + 1;
    this.#steps[i] = step;
    let g = grad;
    let theta = p;
    if (this.weightDecay !== 0) {
      if (this.isDecoupled()) theta = mul(p, 1 - this.lr * this.weightDecay);
      else g = add(g, mul(p, this.weightDecay));
    }
    const m = lerp(this.#m[i] ?? zerosLike(p), g, 1 - b1);
    const v = add(mul(this.#v[i] ?? zerosLike(p), b2), mul(mul(g, 1 - b2), g));
    this.#m[i] = m;
    this.#v[i] = v;
    let second = v;
    if (this.amsgrad) {
      second = maximum(this.#vMax[i] ?? zerosLike(p), v);
      this.#vMax[i] = second;
    }
    const stepSize = this.lr / (1 - b1 ** step);
    const denom = add(div(sqrt(second), Math.sqrt(1 - b2 ** step)), this.eps);
    p.assign(sub(theta, mul(div(m, denom), stepSize)));
  }

  /** Whether weight decay is decoupled from the gradient (AdamW) rather than an L2 term (Adam). @internal */
  protected isDecoupled(): boolean {
    return false;
  }
}

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay, `θ ← θ·(1 − lr·λ)` before the Adam
 * update instead of adding `λθ` to the gradient; weightDecay defaults to 1e-2 as in PyTorch.
 * @throws {ValueError} For a negative setting or a beta outside `[0, 1)`.
 * @example
 * ```ts
 * import { AdamW } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const w = tensor([1], { requiresGrad: true, dtype: "float64" });
 * const opt = new AdamW([w], { lr: 0.1, weightDecay: 0.5 });
 * w.sum().backward();
 * opt.step(); // 1·(1 − 0.1·0.5) − 0.1·1/(1 + 1e-8)
 * console.log(w.toArray()); // [0.850000001]
 * ```
 * @category Optimizers
 */
export class AdamW extends Adam {
  /** @internal */
  protected override defaultWeightDecay(): number {
    return 1e-2;
  }

  /** @internal */
  protected override isDecoupled(): boolean {
    return true;
  }
}
