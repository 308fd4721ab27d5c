// Gradient clipping by global norm.

import { mul, noGrad, type Tensor, ValueError } from "@tapegrad/autograd";

/**
 * Rescales the gradients of `params` together so that their global norm is at most `maxNorm`, as
 * PyTorch's `clip_grad_norm_`: the norm is `(Σ ‖g‖ₚᵖ)^(1/p)` over all gradients (`normType` p, default 2;
 * `Infinity` for the largest absolute entry), and when it exceeds `maxNorm` every gradient is multiplied
 * by `maxNorm / (norm + 1e-6)`. Parameters without a gradient are skipped. Each clipped gradient is a
 * new tensor assigned to `p.grad`; gradients are never modified in place. Returns the norm before clipping.
 * @throws {ValueError} If `maxNorm` is negative or `normType` is not positive, or (with
 * `errorIfNonfinite`) the norm is NaN or infinite.
 * @example
 * ```ts
 * import { clipGradNorm } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const w = tensor([3, 4], { requiresGrad: true, dtype: "float64" });
 * w.mul(w).sum().backward(); // gradient [6, 8], norm 10
 * console.log(clipGradNorm([w], 5)); // 10
 * // The gradient is scaled by 5 / (10 + 1e-6), to a norm just under 5.
 * console.log(w.grad?.toArray()); // [2.9999997000000302, 3.99999960000004]
 * ```
 * @category Optimizers
 */
export function clipGradNorm(
  params: Iterable<Tensor>,
  maxNorm: number,
  options: { normType?: number; errorIfNonfinite?: boolean } = {},
): number {
  const p = options.normType ?? 2;
  if (!(maxNorm >= 0)) throw new ValueError(`clipGradNorm: maxNorm must be >= 0; got ${maxNorm}`);
  if (!(p > 0)) throw new ValueError(`clipGradNorm: normType must be positive; got ${p}`);
  const withGrad = [...new Set(params)].filter((t) => t.grad !== null);
  const grads = withGrad.map((t) => t.grad as Tensor);
  const total = noGrad(() =>
    p === Infinity
      ? grads.reduce((m, g) => (g.size === 0 ? m : Math.max(m, g.abs().max().item())), 0)
      : grads.reduce((s, g) => s + g.abs().pow(p).sum().item(), 0) ** (1 / p),
  );
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw new ValueError(`clipGradNorm: the total gradient norm is ${total}`);
  }
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) {
    noGrad(() => {
      for (const t of withGrad) t.grad = mul(t.grad as Tensor, coef);
    });
  }
  return total;
}
