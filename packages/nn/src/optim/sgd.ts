// Stochastic gradient descent with PyTorch's momentum, dampening, Nesterov and weight-decay formulas.

import { add, mul, sub, type Tensor, ValueError } from "@tapegrad/autograd";
import { checkNonNegative, Optimizer } from "./optimizer.js";

/**
 * Options of {@link SGD}; the defaults are PyTorch's.
 *
 * @example
 * ```ts
 * import { SGD, type SGDOptions } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const opts: SGDOptions = { lr: 0.1, momentum: 0.9, nesterov: true };
 * console.log(new SGD([tensor([1], { requiresGrad: true })], opts).momentum); // 0.9
 * ```
 * @category Optimizers
 */
export interface SGDOptions {
  /** Learning rate. Default 1e-3. */
  lr?: number;
  /** Momentum factor μ. Default 0 (plain gradient descent). */
  momentum?: number;
  /** Dampening τ of the momentum. Default 0. */
  dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov?: boolean;
  /** L2 penalty λ added to the gradient. Default 0. */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent, with PyTorch's formulas: `g ← g + λθ`; with momentum,
 * `b ← g` on the first step and `b ← μb + (1 − τ)g` after, then `g ← g + μb` (Nesterov) or `g ← b`;
 * finally `θ ← θ − lr·g`.
 * @throws {ValueError} For a negative or non-finite setting, or Nesterov without momentum or with dampening.
 * @example
 * ```ts
 * import { SGD } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1 });
 * w.mul(w).sum().backward(); // gradient 2w
 * opt.step();
 * console.log(w.toArray()); // [0.800000011920929, 1.600000023841858]
 * ```
 * @category Optimizers
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  readonly #buffers: (Tensor | null)[];

  constructor(params: Iterable<Tensor>, options: SGDOptions = {}) {
    super(params, options.lr ?? 1e-3);
    this.momentum = options.momentum ?? 0;
    this.dampening = options.dampening ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
    checkNonNegative("SGD", "momentum", this.momentum);
    checkNonNegative("SGD", "dampening", this.dampening);
    checkNonNegative("SGD", "weightDecay", this.weightDecay);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new ValueError("SGD: nesterov needs momentum > 0 and dampening 0");
    }
    this.#buffers = this.params.map(() => null);
  }

  protected update(p: Tensor, grad: Tensor, i: number): void {
    let g = this.weightDecay === 0 ? grad : add(grad, mul(p, this.weightDecay));
    if (this.momentum !== 0) {
      const prev = this.#buffers[i] ?? null;
      // The first buffer is a copy of g (mul by 1), so it never aliases a gradient someone may overwrite.
      const buf = prev === null ? mul(g, 1) : add(mul(prev, this.momentum), mul(g, 1 - this.dampening));
      this.#buffers[i] = buf;
      g = this.nesterov ? add(g, mul(buf, this.momentum)) : buf;
    }
    p.assign(sub(p, mul(g, this.lr)));
  }
}
