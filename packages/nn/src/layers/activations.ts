// Activation layers: parameter-free modules around autograd's elementwise activations.

import { leakyRelu, relu, sigmoid, softmax, type Tensor, tanh } from "@tapegrad/autograd";
import { Module } from "../module.js";

/**
 * Logistic sigmoid layer, `1 / (1 + e⁻ˣ)` elementwise (the notebook's activation).
 * @example
 * ```ts
 * import { Sigmoid } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * console.log(new Sigmoid().call(tensor([0])).toArray()); // [0.5]
 * ```
 * @category Layers
 */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/**
 * Hyperbolic tangent layer, elementwise.
 * @example
 * ```ts
 * import { Tanh } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * console.log(new Tanh().call(tensor([0])).toArray()); // [0]
 * ```
 * @category Layers
 */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/**
 * Rectified linear unit layer, `max(x, 0)` elementwise.
 * @example
 * ```ts
 * import { ReLU } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * console.log(new ReLU().call(tensor([-1, 2])).toArray()); // [0, 2]
 * ```
 * @category Layers
 */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/**
 * SiLU (swish) layer, `x · sigmoid(x)` elementwise, PyTorch's `nn.SiLU`. Gradient:
 * `sigmoid(x)·(1 + x·(1 − sigmoid(x)))`, from the product rule through autograd's ops.
 * @example
 * ```ts
 * import { SiLU } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const y = new SiLU().call(tensor([0, 2], { dtype: "float64" }));
 * console.log(y.max().item().toFixed(6), y.min().item()); // "1.761594" 0
 * ```
 * @category Layers
 */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return x.mul(sigmoid(x));
  }
}

/**
 * Leaky ReLU layer, `x > 0 ? x : slope·x` elementwise; `slope` defaults to 0.01 as in PyTorch.
 * @example
 * ```ts
 * import { LeakyReLU } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * console.log(new LeakyReLU({ slope: 0.5 }).call(tensor([-2, 2])).toArray()); // [-1, 2]
 * ```
 * @category Layers
 */
export class LeakyReLU extends Module {
  readonly slope: number;

  constructor(options: { slope?: number } = {}) {
    super();
    this.slope = options.slope ?? 0.01;
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, { slope: this.slope });
  }

  override extraRepr(): string {
    return `slope=${this.slope}`;
  }
}

/**
 * Softmax layer along `axis` (default -1, the class axis of `[N, C]`); large inputs do not overflow.
 * @throws {ShapeError} From `forward`, if the axis is out of range.
 * @example
 * ```ts
 * import { Softmax } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * console.log(new Softmax().call(tensor([[2, 2, 2, 2]])).toArray()); // [[0.25, 0.25, 0.25, 0.25]]
 * ```
 * @category Layers
 */
export class Softmax extends Module {
  readonly axis: number;

  constructor(options: { axis?: number } = {}) {
    super();
    this.axis = options.axis ?? -1;
  }

  forward(x: Tensor): Tensor {
    return softmax(x, { axis: this.axis });
  }

  override extraRepr(): string {
    return `axis=${this.axis}`;
  }
}
