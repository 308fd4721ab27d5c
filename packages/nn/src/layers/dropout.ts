// The Dropout layer: seeded inverted dropout in training mode, the identity in evaluation mode.

import {
  cast,
  type Generator,
  ge,
  mul,
  noGrad,
  rand,
  type Tensor,
  ValueError,
  zeros,
} from "@tapegrad/autograd";
import { Module } from "../module.js";

/**
 * Inverted dropout: in training mode each element is zeroed with probability `p` and the survivors are
 * scaled by `1 / (1 - p)`, so the expected value is unchanged and evaluation needs no rescaling; in
 * evaluation mode (after {@link Module.eval}) it is the identity. The mask is drawn from `generator`
 * (the global generator by default), so a seeded generator makes it reproducible. Gradient: `g` times the
 * same mask and scale.
 * @throws {ValueError} If `p` is not in `[0, 1]`.
 * @example
 * ```ts
 * import { Dropout } from "@tapegrad/nn";
 * import { Generator, ones } from "@tapegrad/autograd";
 * const drop = new Dropout(0.5, { generator: new Generator(0) });
 * // Each entry is dropped (0) or kept and scaled by 1 / (1 - 0.5) = 2.
 * console.log(drop.call(ones([6])).toArray()); // [2, 0, 0, 0, 2, 2]
 * drop.eval();
 * console.log(drop.call(ones([2])).toArray()); // [1, 1]
 * ```
 * @category Layers
 */
export class Dropout extends Module {
  readonly p: number;
  #generator: Generator | undefined;

  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ValueError(`Dropout: p must be in [0, 1]; got ${p}`);
    this.p = p;
    this.#generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const dtype = x.dtype === "float64" ? "float64" : "float32";
    const mask = noGrad(() => {
      if (this.p === 1) return zeros(x.shape, { dtype });
      const u = rand(x.shape, { dtype, ...(this.#generator ? { generator: this.#generator } : {}) });
      return mul(cast(ge(u, this.p), dtype), 1 / (1 - this.p));
    });
    return mul(x, mask);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
