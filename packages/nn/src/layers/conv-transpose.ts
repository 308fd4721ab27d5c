// The transposed 2-D convolution layer: autograd's convTranspose2d with PyTorch's parameter layout,
// default initialisation and names; the upsampling half of convolutional autoencoders and decoders.

import {
  type ConvTranspose2dOptions,
  convTranspose2d,
  type DType,
  type Generator,
  type Size2,
  type Tensor,
} from "@tapegrad/autograd";
import { fmtShape } from "../format.js";
import { Module } from "../module.js";
import { type Conv2dInit, checkChannels, checkImage, convParameters, convRepr, size2 } from "./conv.js";

/**
 * Options of {@link ConvTranspose2d}: the geometry of autograd's `convTranspose2d` (`stride`, `padding`,
 * `outputPadding`, `dilation`, `groups`) plus how the parameters are made, as for {@link Conv2d}.
 *
 * @example
 * ```ts
 * import { ConvTranspose2d, type ConvTranspose2dLayerOptions } from "@tapegrad/nn";
 * const opts: ConvTranspose2dLayerOptions = { stride: 2, padding: 1, outputPadding: 1, bias: false };
 * console.log(new ConvTranspose2d(8, 4, 3, opts).weight.shape); // [8, 4, 3, 3]
 * ```
 * @category Layers
 */
export interface ConvTranspose2dLayerOptions extends ConvTranspose2dOptions {
  /** Learn an additive bias per output channel. Default true. */
  bias?: boolean;
  /** Parameter dtype: float32 (default) or float64 (for exact checks). */
  dtype?: DType;
  /** Generator for the initial values; the global one by default. The weight is drawn before the bias. */
  generator?: Generator;
  /** Initialisation scheme, as for {@link Conv2d}; default PyTorch's. */
  init?: Conv2dInit;
}

/**
 * Transposed 2-D convolution layer on NCHW images, PyTorch's `nn.ConvTranspose2d`: weight `[inChannels,
 * outChannels / groups, kh, kw]` and bias `[outChannels]`, PyTorch's layout and names. Input
 * `[n, inChannels, h, w]` (or `[inChannels, h, w]`) gives `[n, outChannels, oh, ow]` with
 * `oh = (h − 1)·stride − 2·padding + dilation·(kh − 1) + outputPadding + 1`: with `stride: 2,
 * kernelSize: 4, padding: 1` (or `kernelSize: 3, padding: 1, outputPadding: 1`) it doubles the size.
 * Parameters are initialised as PyTorch does: `U(±1/√fanIn)` with `fanIn = outChannels / groups · kh · kw`
 * (the fan PyTorch computes from this weight's layout) for the weight and the bias.
 * @throws {ValueError} If a channel count or `groups` is not a positive integer, a channel count does not
 *   divide by `groups`, or a size is out of range.
 * @throws {DTypeError} If `dtype` is int32.
 * @example
 * ```ts
 * import { ConvTranspose2d } from "@tapegrad/nn";
 * import { Generator, randn } from "@tapegrad/autograd";
 * const up = new ConvTranspose2d(16, 8, 4, { stride: 2, padding: 1, generator: new Generator(0) });
 * console.log(up.call(randn([2, 16, 7, 7])).shape, up.weight.shape); // [2, 8, 14, 14] [16, 8, 4, 4]
 * ```
 * @category Layers
 */
export class ConvTranspose2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly outputPadding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly groups: number;
  /** `[inChannels, outChannels / groups, kh, kw]`. */
  weight: Tensor;
  /** `[outChannels]`, or null without bias. */
  bias: Tensor | null;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size2,
    options: ConvTranspose2dLayerOptions = {},
  ) {
    super();
    const name = this.constructor.name;
    const groups = options.groups ?? 1;
    checkChannels(name, inChannels, outChannels, groups);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = size2(name, "kernelSize", kernelSize, 1);
    this.stride = size2(name, "stride", options.stride ?? 1, 1);
    this.padding = size2(name, "padding", options.padding ?? 0, 0);
    this.outputPadding = size2(name, "outputPadding", options.outputPadding ?? 0, 0);
    this.dilation = size2(name, "dilation", options.dilation ?? 1, 1);
    this.groups = groups;
    const [kh, kw] = this.kernelSize;
    // PyTorch takes the fans from the weight's axes 1 and 0, whatever the layer calls them.
    const fans = { fanIn: (outChannels / groups) * kh * kw, fanOut: inChannels * kh * kw };
    [this.weight, this.bias] = convParameters(
      name,
      [inChannels, outChannels / groups, kh, kw],
      fans,
      options,
      outChannels,
    );
  }

  /**
   * The transposed convolution of `x` `[n, inChannels, h, w]` or `[inChannels, h, w]`.
   * @throws {ShapeError} If `x` does not have that shape, or the result would be empty.
   * @throws {ValueError} If the output padding is not below the stride or the dilation.
   */
  forward(x: Tensor): Tensor {
    checkImage(this.constructor.name, x, this.inChannels);
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: this.outputPadding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    const shown = [
      ["padding", this.padding],
      ["outputPadding", this.outputPadding],
    ] as const;
    return convRepr(
      this,
      shown.filter(([, v]) => v.some((e) => e !== 0)).map(([key, v]) => `${key}=${fmtShape(v)}`),
    );
  }
}
