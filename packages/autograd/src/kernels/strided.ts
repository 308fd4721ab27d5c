// Strided gather into contiguous storage: the one loop behind permute, broadcastTo and slice.

import type { TypedArray } from "../dtype.js";
import { allocate } from "../dtype.js";
import type { NDArray } from "../ndarray.js";
import { sizeOf, stridesOf } from "../shape.js";

/**
 * Copies `src` read at `offset + Σ idx[d]·strides[d]` into a new contiguous array of `shape`.
 * @internal
 */
export function stridedCopy(
  src: NDArray,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): NDArray {
  const n = sizeOf(shape);
  const out: TypedArray = allocate(src.dtype, n);
  const a = src.data;
  const nd = shape.length;
  if (n === 0) return { data: out, shape, dtype: src.dtype };
  if (nd === 0) {
    out[0] = a[offset] as number;
    return { data: out, shape, dtype: src.dtype };
  }
  const inner = shape[nd - 1] as number;
  const si = strides[nd - 1] as number;
  const idx = new Int32Array(nd);
  let off = offset;
  let o = 0;
  while (o < n) {
    let p = off;
    for (let j = 0; j < inner; j++) {
      out[o++] = a[p] as number;
      p += si;
    }
    for (let d = nd - 2; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      off += strides[d] as number;
      if ((idx[d] as number) < (shape[d] as number)) break;
      off -= (strides[d] as number) * (shape[d] as number);
      idx[d] = 0;
    }
  }
  return { data: out, shape, dtype: src.dtype };
}

/** Strides of `from` seen in the broadcast shape `to` (0 along broadcast axes). @internal */
export function broadcastStrides(from: readonly number[], to: readonly number[]): number[] {
  const s = stridesOf(from);
  const out = new Array<number>(to.length).fill(0);
  for (let i = 0; i < from.length; i++) {
    const j = to.length - from.length + i;
    out[j] = from[i] === 1 ? 0 : (s[i] as number);
  }
  return out;
}

/** Materialises `x` broadcast to `shape`. @internal */
export function broadcastTo(x: NDArray, shape: readonly number[]): NDArray {
  return stridedCopy(x, shape, broadcastStrides(x.shape, shape), 0);
}

/** Reorders axes: output axis i is input axis `perm[i]`. @internal */
export function permute(x: NDArray, perm: readonly number[]): NDArray {
  const s = stridesOf(x.shape);
  return stridedCopy(
    x,
    perm.map((p) => x.shape[p] as number),
    perm.map((p) => s[p] as number),
    0,
  );
}
