// Sequential: a chain of modules named "0", "1", ... as in PyTorch, so state-dict names match.

import type { Activation, Tensor } from "@tapegrad/autograd";
import { ValueError } from "@tapegrad/autograd";
import { Module, noteOutputShape } from "../module.js";
import { ReLU, Sigmoid, Tanh } from "./activations.js";
import { Linear } from "./linear.js";

// Activation layers a preceding Linear can apply in the same op (see Sequential.forward).
const FUSED = new Map<unknown, Activation>([
  [Sigmoid, "sigmoid"],
  [Tanh, "tanh"],
  [ReLU, "relu"],
]);

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
    const layers = this.#layers;
    let y = x;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i] as Module;
      const next = layers[i + 1];
      const activation = next === undefined ? undefined : FUSED.get(next.constructor);
      // NOTE: a plain Linear followed by Sigmoid, Tanh or ReLU runs as one fused op: the same values and
      // gradients with one pass less over the activations. Subclasses that override forward run as written.
      if (activation !== undefined && layer instanceof Linear && layer.forward === Linear.prototype.forward) {
        y = layer.forwardWith(y, activation);
        noteOutputShape(layer, y.shape);
        noteOutputShape(next as Module, y.shape);
        i++;
      } else y = layer.call(y);
    }
    return y;
  }
}
