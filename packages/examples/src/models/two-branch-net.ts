// A user-defined Module with a non-sequential forward: two branches over the same input, joined by concat.

import { concat, Generator, type Tensor } from "@tapegrad/autograd";
import { Linear, Module, Sequential, Tanh } from "@tapegrad/nn";

/**
 * Options of {@link TwoBranchNet}.
 *
 * @example
 * ```ts
 * import { TwoBranchNet, type TwoBranchOptions } from "@tapegrad/examples";
 * const opts: TwoBranchOptions = { hidden: 4, dtype: "float64", seed: 3 };
 * console.log(new TwoBranchNet(opts).numParameters()); // 52
 * ```
 * @category Models
 */
export interface TwoBranchOptions {
  /** Width of the hidden branch. Default 16. */
  hidden?: number;
  /** Default `float32`. */
  dtype?: "float32" | "float64";
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

/**
 * A two-branch classifier for 2-D points. The `deep` branch is a small tanh MLP on `x`; the `quadratic`
 * branch is a linear layer on `x²` (element-wise), which sees distances from the origin directly. Their
 * outputs are concatenated and the `head` maps them to two class logits:
 * `head(concat(deep(x), quadratic(x²)))`.
 *
 * Like any `Module`, it only assigns its layers to properties and writes `forward`; parameters are found
 * by walking those properties (`deep.0.weight`, `quadratic.bias`, `head.weight`, ...).
 * @example
 * ```ts
 * import { TwoBranchNet } from "@tapegrad/examples";
 * import { zeros } from "@tapegrad/autograd";
 * const net = new TwoBranchNet({ hidden: 8 });
 * console.log(net.call(zeros([5, 2])).shape); // [5, 2]
 * console.log(net.namedParameters().map(([name]) => name)[0]); // "deep.0.weight"
 * ```
 * @category Models
 */
export class TwoBranchNet extends Module {
  readonly deep: Sequential;
  readonly quadratic: Linear;
  readonly head: Linear;

  constructor(options: TwoBranchOptions = {}) {
    super();
    const hidden = options.hidden ?? 16;
    const generator = new Generator(options.seed ?? 0);
    const layer = (inputs: number, outputs: number): Linear =>
      new Linear(inputs, outputs, { dtype: options.dtype ?? "float32", generator });
    this.deep = new Sequential(layer(2, hidden), new Tanh(), layer(hidden, hidden), new Tanh());
    this.quadratic = layer(2, 2);
    this.head = layer(hidden + 2, 2);
  }

  forward(x: Tensor): Tensor {
    const a = this.deep.call(x);
    const b = this.quadratic.call(x.square());
    return this.head.call(concat([a, b], { axis: 1 }));
  }
}
