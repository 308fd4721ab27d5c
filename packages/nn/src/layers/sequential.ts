// Sequential: a chain of modules named "0", "1", ... as in PyTorch, so state-dict names match.

import type { Tensor } from "@tapegrad/autograd";
import { ValueError } from "@tapegrad/autograd";
import { Module } from "../module.js";

/**
 * Runs modules one after the other, each on the previous one's output. The children are named `"0"`,
 * `"1"`, ... so parameters are `0.weight`, `2.bias`, ..., exactly the names PyTorch's `nn.Sequential`
 * gives, and a state dict saved from one loads into the other.
 * @throws {ValueError} If an argument is not a Module.
 * @example
 * ```ts
 * import { Linear, Sequential, Sigmoid } from "@tapegrad/nn";
 * import { zeros } from "@tapegrad/autograd";
 * const net = new Sequential(new Linear(64, 32), new Sigmoid(), new Linear(32, 10));
 * console.log(net.call(zeros([4, 64])).shape); // [4, 10]
 * console.log(Object.keys(net.stateDict())); // ["0.weight", "0.bias", "2.weight", "2.bias"]
 * ```
 * @category Layers
 */
export class Sequential extends Module {
  readonly #layers: Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module)) {
        throw new ValueError(`Sequential: argument ${i} is not a Module; got ${typeof layer}`);
      }
      // Own enumerable properties "0", "1", ... are what Module walks to name parameters.
      Object.defineProperty(this, String(i), { value: layer, enumerable: true, writable: false });
    });
    this.#layers = layers;
  }

  /** Number of layers. */
  get length(): number {
    return this.#layers.length;
  }

  /**
   * The layer at `index` (negative counts from the end).
   * @throws {ValueError} If there is no such layer.
   */
  at(index: number): Module {
    const layer = this.#layers.at(index);
    if (layer === undefined) {
      throw new ValueError(`Sequential.at: no layer ${index} in a Sequential of ${this.length}`);
    }
    return layer;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.#layers[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const layer of this.#layers) y = layer.call(y);
    return y;
  }
}
