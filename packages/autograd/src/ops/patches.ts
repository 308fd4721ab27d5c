// The two window primitives under convolution and pooling: im2col cuts an NCHW image into one row per
// window position, col2im adds rows back onto the image. Each is linear and the other's adjoint, so each
// vjp is the other op and derivatives of any order follow.

import { fmtShape, ShapeError, ValueError } from "../errors.js";
import {
  col2im as col2imKernel,
  type Geometry,
  im2col as im2colKernel,
  windowCounts,
} from "../kernels/patches.js";
import { apply, defineOp } from "../op.js";
import type { Tensor } from "../tensor.js";

export type { Geometry } from "../kernels/patches.js";

/** @internal */
export const im2colOp = defineOp<Geometry>({
  name: "im2col",
  inputs: ["x"],
  forward: ([x], geometry) => im2colKernel(x!, geometry),
  vjp: ({ inputs: [x], g, attrs }) => [col2im(g, attrs, x!.shape)],
});

/** @internal */
export const col2imOp = defineOp<Geometry & { shape: readonly number[] }>({
  name: "col2im",
  inputs: ["cols"],
  forward: ([cols], { shape, ...geometry }) => col2imKernel(cols!, geometry, shape),
  vjp: ({ g, attrs: { shape: _, ...geometry } }) => [im2col(g, geometry)],
});

/**
 * Patches of `x` [n, c, h, w]: [n, oh, ow, c·kh·kw], one row per window position (taps ordered by
 * channel, kernel row, kernel column; taps in the padding are 0). Its adjoint is {@link col2im}. `op`
 * names the caller in errors.
 * @internal
 */
export function im2col(x: Tensor, geometry: Geometry, op = "im2col"): Tensor {
  if (x.ndim !== 4) throw new ShapeError(`${op}: x must be [n, c, h, w]; got ${fmtShape(x.shape)}`);
  const [h, w] = [x.shape[2] as number, x.shape[3] as number];
  checkFits(op, geometry, h, w);
  return apply(im2colOp, [x], geometry);
}

/**
 * Adds each row of `cols` [n, oh, ow, c·kh·kw] back onto the pixels its taps were read from, in an image
 * of `shape` [n, c, h, w]: the adjoint of {@link im2col}.
 * @internal
 */
export function col2im(cols: Tensor, geometry: Geometry, shape: readonly number[]): Tensor {
  if (shape.length !== 4) throw new ShapeError(`col2im: shape must be [n, c, h, w]; got ${fmtShape(shape)}`);
  const [n, c, h, w] = shape as [number, number, number, number];
  const [oh, ow] = checkFits("col2im", geometry, h, w);
  const expected = [n, oh, ow, c * geometry.kernel[0] * geometry.kernel[1]];
  if (cols.ndim !== 4 || cols.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(
      `col2im: cols must be ${fmtShape(expected)} for an image ${fmtShape(shape)}; got ${fmtShape(cols.shape)}`,
    );
  }
  return apply(col2imOp, [cols], { ...geometry, shape: [...shape] });
}

/** The window counts, or an error naming the op when no window fits in the padded image. */
function checkFits(op: string, g: Geometry, h: number, w: number): [number, number] {
  const [oh, ow] = windowCounts(g, h, w);
  if (oh < 1 || ow < 1) {
    const [kh, kw] = g.kernel;
    const [dh, dw] = g.dilation;
    const [top, bottom, left, right] = g.padding;
    throw new ShapeError(
      `${op}: a ${kh}×${kw} window (dilation ${dh}×${dw}, spanning ${dh * (kh - 1) + 1}×${dw * (kw - 1) + 1}) ` +
        `does not fit in the ${h + top + bottom}×${w + left + right} padded input (${h}×${w} plus padding)`,
    );
  }
  return [oh, ow];
}

/**
 * A size given once for both axes or as [height, width].
 *
 * @example
 * ```ts
 * import { maxPool2d, ones, type Size2 } from "@tapegrad/autograd";
 * const window: Size2 = [2, 1];
 * console.log(maxPool2d(ones([1, 1, 4, 4]), window).shape); // [1, 1, 2, 4]
 * ```
 * @category Convolution
 */
export type Size2 = number | readonly [number, number];

/** Both entries of a {@link Size2}, checked to be integers of at least `min`. @internal */
export function pair(op: string, what: string, v: Size2, min: number): [number, number] {
  const p: readonly number[] = typeof v === "number" ? [v, v] : v;
  if (p.length !== 2 || !p.every((n) => Number.isInteger(n) && n >= min)) {
    throw new ValueError(
      `${op}: ${what} must be ${min === 0 ? "a non-negative" : "a positive"} integer or a pair of them; ` +
        `got ${JSON.stringify(v)}`,
    );
  }
  return [p[0] as number, p[1] as number];
}

/** A symmetric padding as the four sides of a {@link Geometry}. @internal */
export function sides([ph, pw]: readonly [number, number]): Geometry["padding"] {
  return [ph, ph, pw, pw];
}
