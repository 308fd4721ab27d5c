// Pooling layers: parameter-free modules around autograd's poolings, settings checked up front.

import {
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  avgPool2d,
  maxPool2d,
  type Size2,
  type Tensor,
  ValueError,
} from "@tapegrad/autograd";
import { fmtShape } from "../format.js";
import { Module } from "../module.js";
import { size2 } from "./conv.js";

/**
 * Options of {@link MaxPool2d}, as in PyTorch: the window's step (the window size by default), the
 * padding on each side (counted as -∞, at most half the window) and the spacing of the window's taps.
 *
 * @example
 * ```ts
 * import { MaxPool2d, type MaxPool2dOptions } from "@tapegrad/nn";
 * import { zeros } from "@tapegrad/autograd";
 * const opts: MaxPool2dOptions = { stride: 1, padding: 1 };
 * console.log(new MaxPool2d(3, opts).call(zeros([1, 2, 5, 5])).shape); // [1, 2, 5, 5]
 * ```
 * @category Layers
 */
export interface MaxPool2dOptions {
  /** Step between windows; default the window size. */
  stride?: Size2;
  /** Padding on each side, at most half the window; default 0. */
  padding?: Size2;
  /** Spacing between the window's taps; default 1. */
  dilation?: Size2;
  /** Keep a last, partial window (round the window count up); default false. */
  ceilMode?: boolean;
}

/**
 * Options of {@link AvgPool2d}, as in PyTorch: the window's step (the window size by default), the zero
 * padding on each side (at most half the window), and whether the padding counts in the divisor.
 *
 * @example
 * ```ts
 * import { AvgPool2d, type AvgPool2dOptions } from "@tapegrad/nn";
 * import { ones } from "@tapegrad/autograd";
 * const opts: AvgPool2dOptions = { stride: 1, padding: 1, countIncludePad: false };
 * // Without counting the padding, the mean of ones is 1 even at the border.
 * console.log(new AvgPool2d(3, opts).call(ones([1, 1, 2, 2])).toArray()); // [[[[1, 1], [1, 1]]]]
 * ```
 * @category Layers
 */
export interface AvgPool2dOptions {
  /** Step between windows; default the window size. */
  stride?: Size2;
  /** Zeros added on each side, at most half the window; default 0. */
  padding?: Size2;
  /** Divide by the whole window (default, true) or only by its taps inside the image. */
  countIncludePad?: boolean;
  /** Keep a last, partial window (round the window count up); default false. */
  ceilMode?: boolean;
}

interface Window {
  kernelSize: readonly [number, number];
  stride: readonly [number, number];
  padding: readonly [number, number];
  ceilMode: boolean;
}

/** The checked window of a pooling layer; the padding rule is autograd's, so forward cannot reject it. */
function poolWindow(
  layer: string,
  kernelSize: Size2,
  { stride, padding, ceilMode }: { stride?: Size2; padding?: Size2; ceilMode?: boolean },
): Window {
  const k = size2(layer, "kernelSize", kernelSize, 1);
  const p = size2(layer, "padding", padding ?? 0, 0);
  if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
    throw new ValueError(
      `${layer}: padding ${fmtShape(p)} must be at most half the window ${fmtShape(k)}, ` +
        "so every window holds a pixel of the image",
    );
  }
  return {
    kernelSize: k,
    stride: size2(layer, "stride", stride ?? k, 1),
    padding: p,
    ceilMode: ceilMode ?? false,
  };
}

/** Kernel and stride always, padding when there is some: PyTorch's layout without the defaults. */
function windowRepr(w: Window): string[] {
  const parts = [`kernelSize=${fmtShape(w.kernelSize)}`, `stride=${fmtShape(w.stride)}`];
  if (w.padding.some((p) => p !== 0)) parts.push(`padding=${fmtShape(w.padding)}`);
  if (w.ceilMode) parts.push("ceilMode=true");
  return parts;
}

/**
 * Max pooling layer on NCHW images, PyTorch's `nn.MaxPool2d`: the largest value of each `kernelSize`
 * window of every channel, `[n, c, h, w]` (or `[c, h, w]`) to `[n, c, oh, ow]`. No parameters; the
 * forward is autograd's `maxPool2d` (the gradient goes to each window's largest input).
 * @throws {ValueError} If a size is out of range or the padding is over half the window.
 * @example
 * ```ts
 * import { MaxPool2d } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const x = tensor([1, 2, 5, 0, 3, 4, 1, 1, 0, 0, 2, 2, 9, 0, 2, 3], { shape: [1, 1, 4, 4] });
 * const pool = new MaxPool2d(2);
 * console.log(pool.call(x).toArray()); // [[[[4, 5], [9, 3]]]]
 * console.log(pool.extraRepr()); // kernelSize=[2, 2], stride=[2, 2]
 * ```
 * @category Layers
 */
export class MaxPool2d extends Module {
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly ceilMode: boolean;
  readonly dilation: readonly [number, number];

  constructor(kernelSize: Size2, options: MaxPool2dOptions = {}) {
    super();
    const name = this.constructor.name;
    const w = poolWindow(name, kernelSize, options);
    this.kernelSize = w.kernelSize;
    this.stride = w.stride;
    this.padding = w.padding;
    this.ceilMode = w.ceilMode;
    this.dilation = size2(name, "dilation", options.dilation ?? 1, 1);
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    });
  }

  override extraRepr(): string {
    const parts = windowRepr(this);
    if (this.dilation.some((d) => d !== 1)) parts.push(`dilation=${fmtShape(this.dilation)}`);
    return parts.join(", ");
  }
}

/**
 * Average pooling layer on NCHW images, PyTorch's `nn.AvgPool2d`: the mean of each `kernelSize` window of
 * every channel, `[n, c, h, w]` (or `[c, h, w]`) to `[n, c, oh, ow]`. No parameters; the forward is
 * autograd's `avgPool2d` (the gradient is spread evenly over each window).
 * @throws {ValueError} If a size is out of range or the padding is over half the window.
 * @example
 * ```ts
 * import { AvgPool2d } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 1, 3, 3] });
 * const pool = new AvgPool2d(2, { stride: 1 });
 * console.log(pool.call(x).toArray()); // [[[[3, 4], [6, 7]]]]
 * console.log(pool.extraRepr()); // kernelSize=[2, 2], stride=[1, 1]
 * ```
 * @category Layers
 */
export class AvgPool2d extends Module {
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(kernelSize: Size2, options: AvgPool2dOptions = {}) {
    super();
    const w = poolWindow(this.constructor.name, kernelSize, options);
    this.kernelSize = w.kernelSize;
    this.stride = w.stride;
    this.padding = w.padding;
    this.ceilMode = w.ceilMode;
    this.countIncludePad = options.countIncludePad ?? true;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      countIncludePad: this.countIncludePad,
      ceilMode: this.ceilMode,
    });
  }

  override extraRepr(): string {
    const parts = windowRepr(this);
    if (!this.countIncludePad) parts.push("countIncludePad=false");
    return parts.join(", ");
  }
}

/**
 * Adaptive average pooling layer, PyTorch's `nn.AdaptiveAvgPool2d`: every channel pooled to
 * `outputSize` (one number or [oh, ow]) whatever the input's size; `new AdaptiveAvgPool2d(1)` is global
 * average pooling, the usual head of a convolutional classifier. No parameters; the forward is
 * autograd's `adaptiveAvgPool2d`.
 * @throws {ValueError} If `outputSize` is not a positive integer or a pair of them.
 * @example
 * ```ts
 * import { AdaptiveAvgPool2d } from "@tapegrad/nn";
 * import { ones } from "@tapegrad/autograd";
 * console.log(new AdaptiveAvgPool2d(1).call(ones([2, 8, 7, 5])).shape); // [2, 8, 1, 1]
 * ```
 * @category Layers
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: readonly [number, number];

  constructor(outputSize: Size2) {
    super();
    this.outputSize = size2(this.constructor.name, "outputSize", outputSize, 1);
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `outputSize=${fmtShape(this.outputSize)}`;
  }
}

/**
 * Adaptive max pooling layer, PyTorch's `nn.AdaptiveMaxPool2d` (without `return_indices`): every
 * channel pooled to `outputSize` by taking each window's largest value. No parameters; the forward is
 * autograd's `adaptiveMaxPool2d`.
 * @throws {ValueError} If `outputSize` is not a positive integer or a pair of them.
 * @example
 * ```ts
 * import { AdaptiveMaxPool2d } from "@tapegrad/nn";
 * import { arange } from "@tapegrad/autograd";
 * const x = arange(0, 9).reshape([1, 1, 3, 3]);
 * console.log(new AdaptiveMaxPool2d([1, 2]).call(x).toArray()); // [[[[7, 8]]]]
 * ```
 * @category Layers
 */
export class AdaptiveMaxPool2d extends Module {
  readonly outputSize: readonly [number, number];

  constructor(outputSize: Size2) {
    super();
    this.outputSize = size2(this.constructor.name, "outputSize", outputSize, 1);
  }

  forward(x: Tensor): Tensor {
    return adaptiveMaxPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `outputSize=${fmtShape(this.outputSize)}`;
  }
}
