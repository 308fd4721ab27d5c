// Forward math of the ops that move elements without arithmetic: slice, pad, concat, take, scatterAdd.

import { allocate, type DType } from "../dtype.js";
import type { NDArray } from "../ndarray.js";
import { sizeOf, stridesOf } from "../shape.js";
import { stridedCopy } from "./strided.js";

/** Copies the box `[begin[d], begin[d] + size[d])` out of `x`. @internal */
export function slice(x: NDArray, begin: readonly number[], size: readonly number[]): NDArray {
  const s = stridesOf(x.shape);
  let offset = 0;
  for (let d = 0; d < begin.length; d++) offset += (begin[d] as number) * (s[d] as number);
  return stridedCopy(x, size, s, offset);
}

/** Places `x` at offset `before[d]` in a new array of `shape`, filled elsewhere with `value`. @internal */
export function pad(x: NDArray, before: readonly number[], shape: readonly number[], value: number): NDArray {
  const out = allocate(x.dtype, sizeOf(shape));
  if (value !== 0) out.fill(value);
  const so = stridesOf(shape);
  const xs = x.shape;
  const nd = xs.length;
  const n = x.data.length;
  if (n === 0) return { data: out, shape, dtype: x.dtype };
  let base = 0;
  for (let d = 0; d < nd; d++) base += (before[d] as number) * (so[d] as number);
  if (nd === 0) {
    out[0] = x.data[0] as number;
    return { data: out, shape, dtype: x.dtype };
  }
  const inner = xs[nd - 1] as number;
  const idx = new Int32Array(nd);
  let off = base;
  let i = 0;
  while (i < n) {
    out.set(x.data.subarray(i, i + inner), off);
    i += inner;
    for (let d = nd - 2; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      off += so[d] as number;
      if ((idx[d] as number) < (xs[d] as number)) break;
      off -= (so[d] as number) * (xs[d] as number);
      idx[d] = 0;
    }
  }
  return { data: out, shape, dtype: x.dtype };
}

/** Joins arrays of one dtype along `axis` (shapes validated by the op). @internal */
export function concat(xs: readonly NDArray[], axis: number, dtype: DType): NDArray {
  const first = xs[0] as NDArray;
  const shape = [...first.shape];
  shape[axis] = xs.reduce((s, x) => s + (x.shape[axis] as number), 0);
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d] as number;
  const out = allocate(dtype, sizeOf(shape));
  const rowOut = sizeOf(shape.slice(axis));
  let col = 0;
  for (const x of xs) {
    const row = sizeOf(x.shape.slice(axis));
    for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * row, (o + 1) * row), o * rowOut + col);
    col += row;
  }
  return { data: out, shape, dtype };
}

/**
 * Picks slices of `x` along `axis` by int32 `indices` (already range-checked and made non-negative):
 * the result's shape is `x.shape[:axis] + indices.shape + x.shape[axis+1:]`.
 * @internal
 */
export function take(x: NDArray, indices: NDArray, axis: number): NDArray {
  const n = x.shape[axis] as number;
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const idx = indices.data;
  const m = idx.length;
  const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
  const out = allocate(x.dtype, outer * m * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * n + (idx[j] as number)) * inner;
      out.set(x.data.subarray(src, src + inner), (o * m + j) * inner);
    }
  }
  return { data: out, shape, dtype: x.dtype };
}

/** The adjoint of `take`: adds slices of `updates` into zeros of `shape` at `indices` along `axis`. @internal */
export function scatterAdd(
  updates: NDArray,
  indices: NDArray,
  axis: number,
  shape: readonly number[],
): NDArray {
  const n = shape[axis] as number;
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const idx = indices.data;
  const m = idx.length;
  const out = allocate(updates.dtype, sizeOf(shape));
  const u = updates.data;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * n + (idx[j] as number)) * inner;
      const src = (o * m + j) * inner;
      for (let k = 0; k < inner; k++) out[dst + k] = (out[dst + k] as number) + (u[src + k] as number);
    }
  }
  return { data: out, shape, dtype: updates.dtype };
}
