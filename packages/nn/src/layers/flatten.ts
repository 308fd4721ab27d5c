// The Flatten layer: merges axes, by default everything after the batch axis.

import { flatten, type Tensor } from "@tapegrad/autograd";
import { Module } from "../module.js";

/**
 * Merges axes `startAxis..endAxis` into one; the defaults (1 and -1) keep the batch axis, as PyTorch's
 * `nn.Flatten` does, so `[N, 8, 8]` becomes `[N, 64]`.
 * @throws {ShapeError} From `forward`, if an axis is out of range.
 * @example
 * ```ts
 * import { Flatten } from "@tapegrad/nn";
 * import { zeros } from "@tapegrad/autograd";
 * console.log(new Flatten().call(zeros([5, 8, 8])).shape); // [5, 64]
 * ```
 * @category Layers
 */
export class Flatten extends Module {
  readonly startAxis: number;
  readonly endAxis: number;

  constructor(options: { startAxis?: number; endAxis?: number } = {}) {
    super();
    this.startAxis = options.startAxis ?? 1;
    this.endAxis = options.endAxis ?? -1;
  }

  forward(x: Tensor): Tensor {
    return flatten(x, { startAxis: this.startAxis, endAxis: this.endAxis });
  }

  override extraRepr(): string {
    return `startAxis=${this.startAxis}, endAxis=${this.endAxis}`;
  }
}
