// The fully connected layer: y = x·Wᵀ + b, with PyTorch's layout, default initialisation and names.

import {
  type Activation,
  type DType,
  type Generator,
  linear,
  ShapeError,
  type Tensor,
} from "@tapegrad/autograd";
import { fmtShape } from "../format.js";
import { type Initializer, lecunNormal, normal } from "../init.js";
import { Module } from "../module.js";
import { checkInit, defaultBias, defaultWeight, paramDType } from "./param-init.js";

/**
 * How {@link Linear} initialises its parameters:
 * - `"default"`: PyTorch's choice, Kaiming uniform with `a = √5` for the weight, which is `U(±1/√inFeatures)`,
 *   and the same `U(±1/√inFeatures)` for the bias;
 * - `"notebook"`: the original numpy notebook's, weight `randn / √inFeatures` and bias `randn`;
 * - `{ weight, bias }`: your own {@link Initializer}s (each falls back to the default when omitted).
 *
 * @example
 * ```ts
 * import { Linear, init, type LinearInit } from "@tapegrad/nn";
 * const glorot: LinearInit = { weight: init.xavierUniform, bias: init.zeros };
 * console.log(new Linear(3, 2, { init: glorot }).bias?.toArray()); // [0, 0]
 * ```
 * @category Layers
 */
export type LinearInit = "default" | "notebook" | { weight?: Initializer; bias?: Initializer };

/**
 * Options of {@link Linear}.
 *
 * @example
 * ```ts
 * import { Linear, type LinearOptions } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * const opts: LinearOptions = { bias: false, dtype: "float64", generator: new Generator(0) };
 * console.log(new Linear(3, 2, opts).bias); // null
 * ```
 * @category Layers
 */
export interface LinearOptions {
  /** Learn an additive bias. Default true. */
  bias?: boolean;
  /** Parameter dtype: float32 (default) or float64 (for exact checks). */
  dtype?: DType;
  /** Generator for the initial values; the global one by default. The weight is drawn before the bias. */
  generator?: Generator;
  /** Initialisation scheme; see {@link LinearInit}. Default `"default"` (PyTorch's). */
  init?: LinearInit;
}

function initializers(init: LinearInit): { weight: Initializer; bias: Initializer } {
  if (init === "default") return { weight: defaultWeight, bias: defaultBias };
  if (init === "notebook") return { weight: lecunNormal, bias: (shape, o) => normal(shape, o) };
  return { weight: init.weight ?? defaultWeight, bias: init.bias ?? defaultBias };
}

/**
 * Fully connected layer, `y = x·Wᵀ + b`, with weight `[outFeatures, inFeatures]` and bias `[outFeatures]`
 * (PyTorch's layout and names, so `weight`/`bias` state-dict entries are interchangeable). Input
 * `[..., inFeatures]` gives `[..., outFeatures]`. The forward is autograd's `linear` (product and bias in one
 * pass; the transpose is never materialised). Parameters are initialised as PyTorch does unless `init` says
 * otherwise (see {@link LinearInit}). No backward code: gradients come from autograd's `linear` rule.
 * @throws {ShapeError} If a feature count is not a non-negative integer.
 * @throws {DTypeError} If `dtype` is int32.
 * @example
 * ```ts
 * import { Linear } from "@tapegrad/nn";
 * import { Generator, randn } from "@tapegrad/autograd";
 * const layer = new Linear(64, 32, { generator: new Generator(0) });
 * const y = layer.call(randn([8, 64]));
 * console.log(y.shape, layer.weight.shape, layer.bias?.shape); // [8, 32] [32, 64] [32]
 * ```
 * @category Layers
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** `[outFeatures, inFeatures]`. */
  weight: Tensor;
  /** `[outFeatures]`, or null without bias. */
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [name, n] of [
      ["inFeatures", inFeatures],
      ["outFeatures", outFeatures],
    ] as const) {
      if (!Number.isInteger(n) || n < 0) {
        throw new ShapeError(`${this.constructor.name}: ${name} must be a non-negative integer; got ${n}`);
      }
    }
    const dtype = paramDType(this.constructor.name, options.dtype);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const inits = initializers(options.init ?? "default");
    const ctx = {
      dtype,
      fanIn: inFeatures,
      fanOut: outFeatures,
      ...(options.generator === undefined ? {} : { generator: options.generator }),
    };
    this.weight = checkInit(
      this.constructor.name,
      "weight",
      inits.weight([outFeatures, inFeatures], ctx),
      [outFeatures, inFeatures],
      dtype,
    );
    this.bias =
      options.bias === false
        ? null
        : checkInit(this.constructor.name, "bias", inits.bias([outFeatures], ctx), [outFeatures], dtype);
  }

  /**
   * `x·Wᵀ + b` for `x` of shape `[..., inFeatures]`.
   * @throws {ShapeError} If the last axis of `x` is not `inFeatures`.
   */
  forward(x: Tensor): Tensor {
    return this.forwardWith(x, "none");
  }

  /**
   * The forward pass followed by `activation` in one fused op; what {@link Sequential} runs for a Linear
   * followed by Sigmoid, Tanh or ReLU.
   * @internal
   */
  forwardWith(x: Tensor, activation: Activation): Tensor {
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new ShapeError(
        `${this.constructor.name}: input has shape ${fmtShape(x.shape)}; expected [..., ${this.inFeatures}] ` +
          `(inFeatures ${this.inFeatures})`,
      );
    }
    return linear(x, this.weight, this.bias, { activation });
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/**
 * The notebook's name for {@link Linear}: the same layer (a subclass that adds nothing), so code written
 * against the original numpy notebook reads naturally.
 * @example
 * ```ts
 * import { FullyConnect, Linear } from "@tapegrad/nn";
 * const fc = new FullyConnect(64, 32, { init: "notebook" });
 * console.log(fc instanceof Linear, fc.weight.shape); // true [32, 64]
 * ```
 * @category Layers
 */
export class FullyConnect extends Linear {}
