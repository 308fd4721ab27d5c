// The 2-D convolution layer: autograd's conv2d with PyTorch's parameter layout, default initialisation and names.

import {
  type Conv2dOptions,
  conv2d,
  type DType,
  type Generator,
  ShapeError,
  type Size2,
  type Tensor,
  ValueError,
} from "@tapegrad/autograd";
import { fmtShape } from "../format.js";
import type { Initializer } from "../init.js";
import { Module } from "../module.js";
import { checkInit, defaultBias, defaultWeight, paramDType } from "./param-init.js";

/**
 * How {@link Conv2d} initialises its parameters:
 * - `"default"`: PyTorch's choice, Kaiming uniform with `a = √5` for the weight, which is `U(±1/√fanIn)`
 *   with `fanIn = inChannels / groups · kh · kw`, and the same `U(±1/√fanIn)` for the bias;
 * - `{ weight, bias }`: your own {@link Initializer}s (each falls back to the default when omitted). They
 *   receive PyTorch's fans of the weight: `fanIn = inChannels / groups · kh · kw`, `fanOut = outChannels · kh · kw`.
 *
 * @example
 * ```ts
 * import { Conv2d, init, type Conv2dInit } from "@tapegrad/nn";
 * const heRelu: Conv2dInit = { weight: (s, o) => init.kaimingNormal(s, { ...o, nonlinearity: "relu" }), bias: init.zeros };
 * console.log(new Conv2d(1, 2, 3, { init: heRelu }).bias?.toArray()); // [0, 0]
 * ```
 * @category Layers
 */
export type Conv2dInit = "default" | { weight?: Initializer; bias?: Initializer };

/**
 * Options of {@link Conv2d}: the geometry of autograd's `conv2d` (`stride`, `padding` as a size, `"same"`
 * or `"valid"`, `dilation`, `groups`) plus how the parameters are made. Named apart from autograd's
 * `Conv2dOptions` so both can be imported together.
 *
 * @example
 * ```ts
 * import { Conv2d, type Conv2dLayerOptions } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * const opts: Conv2dLayerOptions = { padding: "same", groups: 2, bias: false, generator: new Generator(0) };
 * const conv = new Conv2d(4, 6, 3, opts);
 * console.log(conv.weight.shape, conv.bias); // [6, 2, 3, 3] null
 * ```
 * @category Layers
 */
export interface Conv2dLayerOptions extends Conv2dOptions {
  /** Learn an additive bias per output channel. Default true. */
  bias?: boolean;
  /** Parameter dtype: float32 (default) or float64 (for exact checks). */
  dtype?: DType;
  /** Generator for the initial values; the global one by default. The weight is drawn before the bias. */
  generator?: Generator;
  /** Initialisation scheme; see {@link Conv2dInit}. Default `"default"` (PyTorch's). */
  init?: Conv2dInit;
}

/**
 * Both entries of a {@link Size2}, checked to be integers of at least `min`; the error names the layer.
 * @internal
 */
export function size2(layer: string, what: string, v: Size2, min: number): readonly [number, number] {
  const p: readonly number[] = typeof v === "number" ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => Number.isInteger(n) && n >= min)) {
    throw new ValueError(
      `${layer}: ${what} must be ${min === 0 ? "a non-negative" : "a positive"} integer or a pair of them; ` +
        `got ${JSON.stringify(v)}`,
    );
  }
  return [p[0] as number, p[1] as number];
}

/** Channel counts and groups: positive integers, each count divisible by groups. @internal */
export function checkChannels(layer: string, inChannels: number, outChannels: number, groups: number): void {
  for (const [what, n] of [
    ["inChannels", inChannels],
    ["outChannels", outChannels],
    ["groups", groups],
  ] as const) {
    if (!Number.isInteger(n) || n < 1) {
      throw new ValueError(`${layer}: ${what} must be a positive integer; got ${n}`);
    }
  }
  for (const [what, n] of [
    ["inChannels", inChannels],
    ["outChannels", outChannels],
  ] as const) {
    if (n % groups !== 0) {
      throw new ValueError(
        `${layer}: ${what} ${n} must be divisible by groups ${groups}, as each group convolves its own share`,
      );
    }
  }
}

/**
 * A convolution layer's parameters from its options: the weight of `shape` and, unless `bias` is false, a
 * bias of `outChannels` entries (`shape[0]` by default), both drawn by the initialisers with `fans`.
 * @internal
 */
export function convParameters(
  layer: string,
  shape: number[],
  fans: { fanIn: number; fanOut: number },
  options: { bias?: boolean; dtype?: DType; generator?: Generator; init?: Conv2dInit },
  outChannels: number = shape[0] as number,
): [Tensor, Tensor | null] {
  const dtype = paramDType(layer, options.dtype);
  const init = options.init ?? "default";
  const weightInit = (init === "default" ? undefined : init.weight) ?? defaultWeight;
  const biasInit = (init === "default" ? undefined : init.bias) ?? defaultBias;
  const ctx = {
    dtype,
    ...fans,
    ...(options.generator === undefined ? {} : { generator: options.generator }),
  };
  const weight = checkInit(layer, "weight", weightInit(shape, ctx), shape, dtype);
  const bias =
    options.bias === false
      ? null
      : checkInit(layer, "bias", biasInit([outChannels], ctx), [outChannels], dtype);
  return [weight, bias];
}

/**
 * 2-D convolution layer on NCHW images, PyTorch's `nn.Conv2d`: weight `[outChannels, inChannels / groups,
 * kh, kw]` and bias `[outChannels]` (PyTorch's layout and names, so `weight`/`bias` state-dict entries are
 * interchangeable). Input `[n, inChannels, h, w]` (or unbatched `[inChannels, h, w]`) gives
 * `[n, outChannels, oh, ow]`. The forward is autograd's `conv2d`; gradients come from its rules. Parameters
 * are initialised as PyTorch does unless `init` says otherwise (see {@link Conv2dInit}).
 * @throws {ValueError} If a channel count or `groups` is not a positive integer, a channel count does not
 *   divide by `groups`, a size is out of range, or `padding: "same"` comes with a stride.
 * @throws {DTypeError} If `dtype` is int32.
 * @example
 * ```ts
 * import { Conv2d } from "@tapegrad/nn";
 * import { Generator, randn } from "@tapegrad/autograd";
 * const conv = new Conv2d(3, 8, 3, { padding: 1, generator: new Generator(0) });
 * const y = conv.call(randn([2, 3, 16, 16]));
 * console.log(y.shape, conv.weight.shape, conv.bias?.shape); // [2, 8, 16, 16] [8, 3, 3, 3] [8]
 * console.log(conv.extraRepr()); // inChannels=3, outChannels=8, kernelSize=[3, 3], stride=[1, 1], padding=[1, 1]
 * ```
 * @category Layers
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  /** Zeros added on each side, or `"same"`; `"valid"` is stored as `[0, 0]`. */
  readonly padding: readonly [number, number] | "same";
  readonly dilation: readonly [number, number];
  readonly groups: number;
  /** `[outChannels, inChannels / groups, kh, kw]`. */
  weight: Tensor;
  /** `[outChannels]`, or null without bias. */
  bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options: Conv2dLayerOptions = {}) {
    super();
    const name = this.constructor.name;
    const groups = options.groups ?? 1;
    checkChannels(name, inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = size2(name, "kernelSize", kernelSize, 1);
    this.stride = size2(name, "stride", options.stride ?? 1, 1);
    this.padding = padding(name, options.padding ?? "valid", this.stride);
    this.dilation = size2(name, "dilation", options.dilation ?? 1, 1);
    this.groups = groups;

    const [kh, kw] = this.kernelSize;
    // PyTorch's fans of this weight, which the bias shares.
    const fans = { fanIn: (inChannels / groups) * kh * kw, fanOut: outChannels * kh * kw };
    [this.weight, this.bias] = convParameters(
      name,
      [outChannels, inChannels / groups, kh, kw],
      fans,
      options,
    );
  }

  /**
   * The convolution of `x` `[n, inChannels, h, w]` or `[inChannels, h, w]`.
   * @throws {ShapeError} If `x` does not have that shape, or the kernel does not fit in the padded input.
   */
  forward(x: Tensor): Tensor {
    checkImage(this.constructor.name, x, this.inChannels);
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    if (this.padding === "same") return convRepr(this, ['padding="same"']);
    return convRepr(this, this.padding.some((p) => p !== 0) ? [`padding=${fmtShape(this.padding)}`] : []);
  }
}

/** Throws unless `x` is `[n, inChannels, h, w]` or `[inChannels, h, w]`, naming `layer`. @internal */
export function checkImage(layer: string, x: Tensor, inChannels: number): void {
  if ((x.ndim !== 3 && x.ndim !== 4) || x.shape[x.ndim - 3] !== inChannels) {
    throw new ShapeError(
      `${layer}: input has shape ${fmtShape(x.shape)}; expected [n, ${inChannels}, h, w] ` +
        `or [${inChannels}, h, w] (inChannels ${inChannels})`,
    );
  }
}

/**
 * PyTorch's summary of a convolution layer: channels, kernel and stride always, then `shown` (the layer's
 * own settings that are not at their defaults), then dilation, groups and bias when not at theirs.
 * @internal
 */
export function convRepr(
  layer: {
    readonly inChannels: number;
    readonly outChannels: number;
    readonly kernelSize: readonly number[];
    readonly stride: readonly number[];
    readonly dilation: readonly number[];
    readonly groups: number;
    readonly bias: Tensor | null;
  },
  shown: readonly string[],
): string {
  const parts = [
    `inChannels=${layer.inChannels}`,
    `outChannels=${layer.outChannels}`,
    `kernelSize=${fmtShape(layer.kernelSize)}`,
    `stride=${fmtShape(layer.stride)}`,
    ...shown,
  ];
  if (layer.dilation.some((d) => d !== 1)) parts.push(`dilation=${fmtShape(layer.dilation)}`);
  if (layer.groups !== 1) parts.push(`groups=${layer.groups}`);
  if (layer.bias === null) parts.push("bias=false");
  return parts.join(", ");
}

function padding(
  layer: string,
  p: Size2 | "same" | "valid",
  stride: readonly [number, number],
): readonly [number, number] | "same" {
  if (p === "valid") return [0, 0];
  if (p !== "same") return size2(layer, "padding", p, 0);
  if (stride[0] !== 1 || stride[1] !== 1) {
    // As in PyTorch: a strided output cannot keep the input's size.
    throw new ValueError(`${layer}: padding "same" needs stride 1; got stride ${fmtShape(stride)}`);
  }
  return "same";
}
