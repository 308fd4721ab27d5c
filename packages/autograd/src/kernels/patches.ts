// Sliding-window patches of NCHW images (im2col) and their adjoint (col2im): the data movement behind
// convolution and pooling, which then reduce to one matrix product or one reduction.

import { allocate, type TypedArray } from "../dtype.js";
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
  const k = c * g.kernel[0] * g.kernel[1];
  const out = allocate(x.dtype, n * oh * ow * k);
  copyTaps(x.data, out, x.shape, g, false);
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
  copyTaps(cols.data, out, shape, g, true);
  return { data: out, shape, dtype: cols.dtype };
}

/**
 * Moves every tap that lands inside an image of `shape`: image to patches (`adjoint` false: `to` is the
 * patches array) or patches added back onto the image (`adjoint` true: `from` is the patches array).
 * Taps go in runs: for one image, window row, channel and kernel tap, the windows along the row whose tap
 * is inside read pixels `sw` apart and write patch entries c·kh·kw apart. (One loop with a flag: a shared
 * loop calling back per tap or per run was several times slower.)
 */
function copyTaps(
  from: TypedArray,
  to: TypedArray,
  shape: readonly number[],
  g: Geometry,
  adjoint: boolean,
): void {
  const [n, c, h, w] = shape as [number, number, number, number];
  const [oh, ow] = windowCounts(g, h, w);
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const [top, , left] = g.padding;
  const k = c * kh * kw;
  // For each kernel column: the first and one-past-last window whose tap in that column is inside.
  const first = new Int32Array(kw);
  const last = new Int32Array(kw);
  for (let kx = 0; kx < kw; kx++) {
    const shift = kx * dw - left; // column read by window 0
    first[kx] = Math.min(ow, Math.max(0, Math.ceil(-shift / sw)));
    last[kx] = Math.max(first[kx] as number, Math.min(ow, Math.floor((w - 1 - shift) / sw) + 1));
  }
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const rowStart = (b * oh + oy) * ow; // patch row of window (oy, 0)
      for (let ch = 0; ch < c; ch++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - top + ky * dh;
          if (iy < 0 || iy >= h) continue; // a padding row: its taps stay 0
          const pixelRow = ((b * c + ch) * h + iy) * w;
          for (let kx = 0; kx < kw; kx++) {
            const start = first[kx] as number;
            const count = (last[kx] as number) - start;
            if (count <= 0) continue;
            const tap = (ch * kh + ky) * kw + kx;
            const o = (rowStart + start) * k + tap;
            const i = pixelRow + start * sw + kx * dw - left;
            if (adjoint) {
              for (let j = 0; j < count; j++)
                to[i + j * sw] = (to[i + j * sw] as number) + (from[o + j * k] as number);
            } else {
              for (let j = 0; j < count; j++) to[o + j * k] = from[i + j * sw] as number;
            }
          }
        }
      }
    }
  }
}
