// Sliding-window patches of NCHW images (im2col) and their adjoint (col2im): the data movement behind
// convolution and pooling, which then reduce to one matrix product or one reduction.

import { allocate } from "../dtype.js";
import type { NDArray } from "../ndarray.js";

/**
 * Where the windows sit: window size, step, spacing of the taps, and the zeros added around the image.
 * @internal
 */
export interface Geometry {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  /** Rows added above and below, columns added left and right. */
  readonly padding: readonly [top: number, bottom: number, left: number, right: number];
}

/** Number of window positions down and across an `h` × `w` image (may be ≤ 0 when none fit). @internal */
export function windowCounts(g: Geometry, h: number, w: number): [number, number] {
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [top, bottom, left, right] = g.padding;
  return [
    Math.floor((h + top + bottom - dh * (kh - 1) - 1) / sh) + 1,
    Math.floor((w + left + right - dw * (kw - 1) - 1) / sw) + 1,
  ];
}

/**
 * `x` [n, c, h, w] to patches [n, oh, ow, c·kh·kw]: one row per window position, its taps ordered by
 * channel, then kernel row, then kernel column (the order of a weight [out, c, kh, kw] flattened), so a
 * convolution is this times the flattened weight. Taps in the padding read 0.
 * @internal
 */
export function im2col(x: NDArray, g: Geometry): NDArray {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [oh, ow] = windowCounts(g, h, w);
  const [kh, kw] = g.kernel;
  const k = c * kh * kw;
  const out = allocate(x.dtype, n * oh * ow * k);
  const src = x.data;
  walk(x.shape, g, (o, i) => {
    out[o] = src[i] as number;
  });
  return { data: out, shape: [n, oh, ow, k], dtype: x.dtype };
}

/**
 * The adjoint of {@link im2col}: adds every tap of `cols` [n, oh, ow, c·kh·kw] back onto the pixel it
 * was read from, in an image of `shape` [n, c, h, w]; taps in the padding are dropped.
 * @internal
 */
export function col2im(cols: NDArray, g: Geometry, shape: readonly number[]): NDArray {
  const [n, c, h, w] = shape as [number, number, number, number];
  const out = allocate(cols.dtype, n * c * h * w);
  const src = cols.data;
  walk(shape, g, (o, i) => {
    out[i] = (out[i] as number) + (src[o] as number);
  });
  return { data: out, shape, dtype: cols.dtype };
}

/**
 * Calls `visit(patchIndex, pixelIndex)` for every tap that lands inside an image of `shape`, in patch
 * order; both kernels are this loop with a different body.
 */
function walk(shape: readonly number[], g: Geometry, visit: (o: number, i: number) => void): void {
  const [n, c, h, w] = shape as [number, number, number, number];
  const [oh, ow] = windowCounts(g, h, w);
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const top = g.padding[0];
  const left = g.padding[2];
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - top;
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - left;
        for (let ch = 0; ch < c; ch++) {
          const plane = (b * c + ch) * h;
          for (let ky = 0; ky < kh; ky++) {
            const iy = y0 + ky * dh;
            if (iy < 0 || iy >= h) {
              o += kw;
              continue;
            }
            const row = (plane + iy) * w;
            for (let kx = 0; kx < kw; kx++, o++) {
              const ix = x0 + kx * dw;
              if (ix >= 0 && ix < w) visit(o, row + ix);
            }
          }
        }
      }
    }
  }
}
