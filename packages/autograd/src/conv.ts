// Convolution and pooling on NCHW images, built from the window primitives: a convolution is im2col
// then one matrix product, a pooling is im2col then a reduction. No vjp here: the gradients (of any
// order) come from im2col, col2im, linear, matmul, max and sum.

import { ones } from "./creation.js";
import { isFloat } from "./dtype.js";
import { fmtShape, ShapeError, ValueError } from "./errors.js";
import { windowCounts } from "./kernels/patches.js";
import { add, div } from "./ops/binary.js";
import { asTensor, promote, type TensorLike, toFloat } from "./ops/cast.js";
import { linear, matmul } from "./ops/linalg.js";
import { pad, permute, reshape } from "./ops/movement.js";
import { type Geometry, im2col, pair, type Size2, sides } from "./ops/patches.js";
import { max, sum } from "./ops/reduce.js";
import type { Tensor } from "./tensor.js";

/**
 * Options of {@link conv2d}. As in PyTorch: `padding` is zeros added on each side, or `"same"` (output as
 * large as the input; stride 1 only; an odd total goes one more at the bottom and right) or `"valid"`
 * (none, the default); `dilation` spaces the kernel's taps; `groups` splits the channels into that many
 * independent convolutions.
 *
 * @example
 * ```ts
 * import { conv2d, ones, type Conv2dOptions } from "@tapegrad/autograd";
 * const opts: Conv2dOptions = { stride: 2, padding: 1 };
 * console.log(conv2d(ones([1, 3, 8, 8]), ones([4, 3, 3, 3]), null, opts).shape); // [1, 4, 4, 4]
 * ```
 * @category Convolution
 */
export interface Conv2dOptions {
  /** Step between windows; default 1. */
  stride?: Size2;
  /** Zeros added on each side, `"same"` or `"valid"`; default `"valid"` (0). */
  padding?: Size2 | "same" | "valid";
  /** Spacing between kernel taps; default 1. */
  dilation?: Size2;
  /** Number of channel groups; both channel counts must divide by it. Default 1. */
  groups?: number;
}

/**
 * Options of {@link maxPool2d} and {@link avgPool2d}, as in PyTorch: the window's step (the window size
 * by default) and the padding on each side (at most half the window).
 *
 * @example
 * ```ts
 * import { avgPool2d, ones, type Pool2dOptions } from "@tapegrad/autograd";
 * const opts: Pool2dOptions = { stride: 1 };
 * console.log(avgPool2d(ones([1, 1, 3, 3]), 2, opts).shape); // [1, 1, 2, 2]
 * ```
 * @category Convolution
 */
export interface Pool2dOptions {
  /** Step between windows; default the window size. */
  stride?: Size2;
  /** Padding on each side, at most half the window; default 0. Max pooling pads with -∞. */
  padding?: Size2;
  /** Spacing between the window's taps (max pooling only); default 1. */
  dilation?: Size2;
  /** Average pooling only: divide by the whole window (default, true) or by its taps inside the image. */
  countIncludePad?: boolean;
  /**
   * Round the number of windows up instead of down (PyTorch's `ceil_mode`): a last, partial window is
   * kept when it starts inside the image or its left/top padding. Default false.
   */
  ceilMode?: boolean;
}

/** `groups` (1 when omitted), checked to be a positive integer. @internal */
export function checkGroups(op: string, groups: number | undefined): number {
  const g = groups ?? 1;
  if (!Number.isInteger(g) || g < 1)
    throw new ValueError(`${op}: groups must be a positive integer; got ${g}`);
  return g;
}

/** Throws unless `bias` is null or one value per output channel of `weight`. @internal */
export function checkBias(op: string, bias: Tensor | null, outC: number, weight: Tensor): void {
  if (bias !== null && (bias.ndim !== 1 || bias.shape[0] !== outC)) {
    throw new ShapeError(
      `${op}: bias must be [${outC}] for weight ${fmtShape(weight.shape)}; got ${fmtShape(bias.shape)}`,
    );
  }
}

/** `x` as a batch [n, c, h, w] and a function that gives a result the caller's rank back. @internal */
export function batched(op: string, x: Tensor): [Tensor, (y: Tensor) => Tensor] {
  if (x.ndim === 4) return [x, (y) => y];
  if (x.ndim === 3) return [reshape(x, [1, ...x.shape]), (y) => reshape(y, y.shape.slice(1))];
  throw new ShapeError(`${op}: input must be [n, c, h, w] or [c, h, w]; got ${fmtShape(x.shape)}`);
}

/** The zeros "same" adds: the kernel's span minus one, the odd one at the end (bottom, right). */
function samePadding(
  kernel: readonly [number, number],
  dilation: readonly [number, number],
): Geometry["padding"] {
  const [th, tw] = [dilation[0] * (kernel[0] - 1), dilation[1] * (kernel[1] - 1)];
  return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
}

function convGeometry(kernel: [number, number], options: Conv2dOptions): Geometry {
  const stride = pair("conv2d", "stride", options.stride ?? 1, 1);
  const dilation = pair("conv2d", "dilation", options.dilation ?? 1, 1);
  const p = options.padding ?? "valid";
  if (p === "same") {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new ValueError(`conv2d: padding "same" needs stride 1; got stride ${fmtShape(stride)}`);
    }
    return { kernel, stride, dilation, padding: samePadding(kernel, dilation) };
  }
  const padding = p === "valid" ? ([0, 0, 0, 0] as const) : sides(pair("conv2d", "padding", p, 0));
  return { kernel, stride, dilation, padding };
}

/**
 * 2-D cross-correlation (what deep-learning libraries call convolution, PyTorch's `F.conv2d`): `x`
 * [n, c, h, w] (or unbatched [c, h, w]) with `weight` [out, c / groups, kh, kw] and an optional `bias`
 * [out] gives [n, out, oh, ow]. Mixed dtypes promote; int32 gives float32. Computed as patches
 * (im2col) times the flattened weight, so its gradients, of any order, are those of the product and of
 * im2col (whose adjoint adds the patches' cotangents back onto the image).
 * @throws {ShapeError} For inputs of the wrong rank, channel counts that do not match the weight and
 *   groups, a bias that is not [out], or a kernel that does not fit in the padded input.
 * @throws {ValueError} For a non-positive stride, dilation or groups, a negative padding, or `"same"`
 *   with a stride.
 * @example
 * ```ts
 * import { conv2d, tensor } from "@tapegrad/autograd";
 * const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 1, 3, 3] });
 * const w = tensor([1, 0, 0, -1], { shape: [1, 1, 2, 2] });
 * console.log(conv2d(x, w).toArray()); // [[[[-4, -4], [-4, -4]]]]
 * ```
 * @category Convolution
 */
export function conv2d(
  x: TensorLike,
  weight: Tensor,
  bias: Tensor | null = null,
  options: Conv2dOptions = {},
): Tensor {
  const [input, restore] = batched("conv2d", asTensor(x));
  const groups = checkGroups("conv2d", options.groups);
  if (weight.ndim !== 4) {
    throw new ShapeError(`conv2d: weight must be [out, in / groups, kh, kw]; got ${fmtShape(weight.shape)}`);
  }
  const [outC, inPerGroup, kh, kw] = weight.shape as [number, number, number, number];
  const [n, c] = input.shape as [number, number];
  if (c !== inPerGroup * groups || outC % groups !== 0) {
    throw new ShapeError(
      `conv2d: input ${fmtShape(input.shape)} and weight ${fmtShape(weight.shape)} with groups ${groups} ` +
        `do not match: the input needs weight.shape[1] × groups = ${inPerGroup * groups} channels, ` +
        `and the ${outC} output channels must divide by groups`,
    );
  }
  checkBias("conv2d", bias, outC, weight);
  const geometry = convGeometry([kh, kw], options);
  const [xp, wp] = promote(toFloat(input), weight);
  const cols = im2col(xp, geometry, "conv2d"); // [n, oh, ow, c·kh·kw]
  const [oh, ow] = [cols.shape[1] as number, cols.shape[2] as number];
  const k = inPerGroup * groups * kh * kw;
  // Sizes spelled out: with an empty batch a -1 could not be inferred.
  const rows = reshape(cols, [n * oh * ow, k]);
  const y =
    groups === 1
      ? linear(rows, reshape(wp, [outC, k]), bias)
      : withBias(groupedProduct(rows, reshape(wp, [groups, outC / groups, k / groups]), true), bias);
  return restore(permute(reshape(y, [n, oh, ow, outC]), [0, 3, 1, 2]));
}

/**
 * `rows` [m, g·k] times each group's matrix of `w` ([g, k, p], or [g, p, k] with `transB`): [m, g·p],
 * each group's columns multiplied by its own matrix, as one product batched over the groups.
 * @internal
 */
export function groupedProduct(rows: Tensor, w: Tensor, transB: boolean): Tensor {
  const [m, gk] = rows.shape as [number, number];
  const [groups, a, b] = w.shape as [number, number, number];
  const perGroup = permute(reshape(rows, [m, groups, gk / groups]), [1, 0, 2]); // [g, m, k]
  const z = matmul(perGroup, w, { transB }); // [g, m, p]
  return reshape(permute(z, [1, 0, 2]), [m, groups * (transB ? a : b)]);
}

/** `y` [m, c] plus `bias` [c] when there is one. @internal */
export function withBias(y: Tensor, bias: Tensor | null): Tensor {
  return bias === null ? y : add(y, bias);
}

/**
 * The windows of a pooling over an `h` × `w` image. With `ceilMode` the bottom and right padding grow by
 * what the last, partial window overhangs, so the window count rounds up (PyTorch's rule: that window
 * must start inside the image or its top/left padding).
 */
function poolGeometry(op: string, kernelSize: Size2, options: Pool2dOptions, h: number, w: number): Geometry {
  const kernel = pair(op, "kernelSize", kernelSize, 1);
  const stride = pair(op, "stride", options.stride ?? kernel, 1);
  const dilation = pair(op, "dilation", options.dilation ?? 1, 1);
  const padding = pair(op, "padding", options.padding ?? 0, 0);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
    throw new ValueError(
      `${op}: padding ${fmtShape(padding)} must be at most half the window ${fmtShape(kernel)}, ` +
        "so every window holds a pixel of the image",
    );
  }
  const overhang = (size: number, a: 0 | 1): number => {
    if (options.ceilMode !== true) return 0;
    const [k, s, d, p] = [kernel[a], stride[a], dilation[a], padding[a]];
    const span = d * (k - 1) + 1;
    if (size + 2 * p < span) return 0; // no window fits; im2col says so
    let count = Math.ceil((size + 2 * p - span) / s) + 1;
    if ((count - 1) * s >= size + p) count -= 1;
    // Negative when the windows stop short of the end anyway: then nothing is added.
    return Math.max(0, (count - 1) * s + span - (size + 2 * p));
  };
  const [ph, pw] = padding;
  return { kernel, stride, dilation, padding: [ph, ph + overhang(h, 0), pw, pw + overhang(w, 1)] };
}

/**
 * Throws when a max-pooling window reads padding only (possible with dilation: its taps can straddle a
 * small image), which would give -∞ and a gradient of NaN.
 */
function checkTaps(g: Geometry, h: number, w: number): void {
  const [oh, ow] = windowCounts(g, h, w);
  const axes = [
    ["row", h, oh, g.kernel[0], g.stride[0], g.dilation[0], g.padding[0]],
    ["column", w, ow, g.kernel[1], g.stride[1], g.dilation[1], g.padding[2]],
  ] as const;
  for (const [name, size, count, k, s, d, p] of axes) {
    for (let i = 0; i < count; i++) {
      const start = i * s - p;
      let inside = false;
      for (let j = 0; j < k && !inside; j++) inside = start + j * d >= 0 && start + j * d < size;
      if (!inside) {
        throw new ValueError(
          `maxPool2d: window ${i} along the ${name}s reads only padding (kernel ${k}, dilation ${d}, padding ${p}, ` +
            `input size ${size}); every window needs a tap inside the input`,
        );
      }
    }
  }
}

/** Windows of each channel of `x` [n, c, h, w] as [n·c, oh, ow, kh·kw]. */
function channelWindows(op: string, x: Tensor, geometry: Geometry): Tensor {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return im2col(reshape(x, [n * c, 1, h, w]), geometry, op);
}

/** [n·c, oh, ow] back to [n, c, oh, ow]. */
function unfoldChannels(y: Tensor, x: Tensor): Tensor {
  return reshape(y, [x.shape[0] as number, x.shape[1] as number, y.shape[1] as number, y.shape[2] as number]);
}

/**
 * Largest value in each `kernelSize` window of every channel of `x` [n, c, h, w] (or [c, h, w]), PyTorch's
 * `F.max_pool2d`; windows step by `stride` (the window size by default); padding counts as -∞;
 * `ceilMode` keeps a last, partial window. Keeps the dtype. Gradient: to the window's largest input, shared evenly when several tie (as {@link max}).
 * @throws {ShapeError} For an input of the wrong rank or a window that does not fit.
 * @throws {ValueError} For a non-positive window, stride or dilation, or padding over half the window.
 * @example
 * ```ts
 * import { maxPool2d, tensor } from "@tapegrad/autograd";
 * const x = tensor([1, 2, 5, 0, 3, 4, 1, 1, 0, 0, 2, 2, 9, 0, 2, 3], { shape: [1, 1, 4, 4] });
 * console.log(maxPool2d(x, 2).toArray()); // [[[[4, 5], [9, 3]]]]
 * ```
 * @category Convolution
 */
export function maxPool2d(x: TensorLike, kernelSize: Size2, options: Pool2dOptions = {}): Tensor {
  const [input, restore] = batched("maxPool2d", asTensor(x));
  if (options.countIncludePad !== undefined) {
    throw new ValueError("maxPool2d: countIncludePad is an option of avgPool2d only");
  }
  const [h, w] = [input.shape[2] as number, input.shape[3] as number];
  const geometry = poolGeometry("maxPool2d", kernelSize, options, h, w);
  checkTaps(geometry, h, w);
  const [top, bottom, left, right] = geometry.padding;
  // Padding with the dtype's lowest value (not zeros) so that it never wins a window.
  const low = isFloat(input.dtype) ? Number.NEGATIVE_INFINITY : -2147483648;
  const padded =
    top + bottom + left + right === 0
      ? input
      : pad(
          input,
          [
            [0, 0],
            [0, 0],
            [top, bottom],
            [left, right],
          ],
          { value: low },
        );
  const windows = channelWindows("maxPool2d", padded, { ...geometry, padding: [0, 0, 0, 0] });
  return restore(unfoldChannels(max(windows, { axis: -1 }), input));
}

/**
 * Mean of each `kernelSize` window of every channel of `x` [n, c, h, w] (or [c, h, w]), PyTorch's
 * `F.avg_pool2d`; windows step by `stride` (the window size by default); padding counts as zeros, and
 * by default the divisor is the whole window (`countIncludePad: false` divides by the taps inside the
 * image); `ceilMode` keeps a last, partial window, divided by its taps inside the padded image. int32
 * gives float32. Gradient: `g` spread evenly over each window.
 * @throws {ShapeError} For an input of the wrong rank or a window that does not fit.
 * @throws {ValueError} For a non-positive window or stride, padding over half the window, or a dilation.
 * @example
 * ```ts
 * import { avgPool2d, tensor } from "@tapegrad/autograd";
 * const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 1, 3, 3] });
 * console.log(avgPool2d(x, 2, { stride: 1 }).toArray()); // [[[[3, 4], [6, 7]]]]
 * ```
 * @category Convolution
 */
export function avgPool2d(x: TensorLike, kernelSize: Size2, options: Pool2dOptions = {}): Tensor {
  const [input, restore] = batched("avgPool2d", toFloat(asTensor(x)));
  if (options.dilation !== undefined) {
    throw new ValueError(
      "avgPool2d: dilation is an option of maxPool2d only (PyTorch's avg_pool2d has none)",
    );
  }
  const [h, w] = [input.shape[2] as number, input.shape[3] as number];
  const geometry = poolGeometry("avgPool2d", kernelSize, options, h, w);
  const [kh, kw] = geometry.kernel;
  const [top, bottom, left, right] = geometry.padding;
  const sums = sum(channelWindows("avgPool2d", input, geometry), { axis: -1 }); // [n·c, oh, ow]
  // How many taps of each window count: those inside the image, or (the default) those inside the image
  // and its padding, which is every tap unless ceilMode added an overhang at the bottom or right.
  const counted = (image: [number, number], g: Geometry) =>
    sum(im2col(ones([1, 1, ...image], { dtype: input.dtype }), g, "avgPool2d"), { axis: -1 });
  const overhang = bottom > top || right > left;
  let divisor: Tensor | number = kh * kw;
  if (options.countIncludePad === false && geometry.padding.some((p) => p > 0)) {
    divisor = counted([h, w], geometry);
  } else if (options.countIncludePad !== false && overhang) {
    divisor = counted([h + 2 * top, w + 2 * left], {
      ...geometry,
      padding: [0, bottom - top, 0, right - left],
    });
  }
  return restore(unfoldChannels(div(sums, divisor), input));
}
