// Forward math of reductions: sum, max and min over any set of axes, and argmax/argmin along one axis.

import { allocate } from "../dtype.js";
import type { NDArray } from "../ndarray.js";
import { reducedShape, sizeOf, stridesOf } from "../shape.js";
import { type BlockReduceLoop, blockReduceLoop } from "./compile.js";

/** @internal */
export type ReduceKind = "sum" | "max" | "min";

/**
 * Reduces `axes` (sorted, distinct) of `x`. Sums accumulate in float64 whatever the dtype, so a float32
 * sum of a million elements loses no more than one rounding at the end.
 * @internal
 */
export function reduce(kind: ReduceKind, x: NDArray, axes: readonly number[], keepDims: boolean): NDArray {
  const shape = x.shape;
  const outShape = reducedShape(shape, axes, keepDims);
  const outSize = sizeOf(outShape);
  const acc = new Float64Array(outSize);
  if (kind !== "sum") acc.fill(kind === "max" ? -Infinity : Infinity);
  const contiguous = axes.length > 0 && axes.every((a, i) => i === 0 || a === (axes[i - 1] as number) + 1);
  if (contiguous && x.data.length > 0) {
    const first = axes[0] as number;
    const last = axes[axes.length - 1] as number;
    reduceBlock(
      kind,
      x,
      acc,
      sizeOf(shape.slice(0, first)),
      sizeOf(shape.slice(first, last + 1)),
      sizeOf(shape.slice(last + 1)),
    );
    const out = allocate(x.dtype, outSize);
    out.set(acc);
    return { data: out, shape: outShape, dtype: x.dtype };
  }
  // Strides of the output indexed by input position (0 along reduced axes).
  const kept = reducedShape(shape, axes, true);
  const ks = stridesOf(kept);
  const so = shape.map((_, d) => (axes.includes(d) ? 0 : (ks[d] as number)));
  const a = x.data;
  const n = a.length;
  const nd = shape.length;
  if (n > 0 && nd === 0) acc[0] = a[0] as number;
  else if (n > 0) {
    const inner = shape[nd - 1] as number;
    const si = so[nd - 1] as number;
    const idx = new Int32Array(nd);
    let off = 0;
    let i = 0;
    while (i < n) {
      let p = off;
      if (kind === "sum") {
        if (si === 0) {
          let s = 0;
          for (let j = 0; j < inner; j++) s += a[i++] as number;
          acc[p] = (acc[p] as number) + s;
        } else
          for (let j = 0; j < inner; j++) {
            acc[p] = (acc[p] as number) + (a[i++] as number);
            p += si;
          }
      } else if (kind === "max") {
        for (let j = 0; j < inner; j++) {
          const v = a[i++] as number;
          const c = acc[p] as number;
          if (v > c || Number.isNaN(v)) acc[p] = v;
          p += si;
        }
      } else {
        for (let j = 0; j < inner; j++) {
          const v = a[i++] as number;
          const c = acc[p] as number;
          if (v < c || Number.isNaN(v)) acc[p] = v;
          p += si;
        }
      }
      for (let d = nd - 2; d >= 0; d--) {
        idx[d] = (idx[d] as number) + 1;
        off += so[d] as number;
        if ((idx[d] as number) < (shape[d] as number)) break;
        off -= (so[d] as number) * (shape[d] as number);
        idx[d] = 0;
      }
    }
  }
  const out = allocate(x.dtype, outSize);
  out.set(acc);
  return { data: out, shape: outShape, dtype: x.dtype };
}

const COMBINE: Record<ReduceKind, string> = {
  sum: "v + e",
  max: "e > v || e !== e ? e : v",
  min: "e < v || e !== e ? e : v",
};

// NOTE: one compiled loop per kind and dtype keeps each loop's element reads monomorphic.
const blockLoops = new Map<string, BlockReduceLoop>();

/**
 * The common case: the reduced axes are adjacent, so the input is [outer, r, inner] and the result
 * [outer, inner], with the innermost loop contiguous in memory.
 */
function reduceBlock(
  kind: ReduceKind,
  x: NDArray,
  acc: Float64Array,
  outer: number,
  r: number,
  inner: number,
): void {
  const key = `${kind}_${x.dtype}`;
  let f = blockLoops.get(key);
  if (f === undefined) {
    f = blockReduceLoop(COMBINE[kind], key);
    blockLoops.set(key, f);
  }
  f(x.data, acc, outer, r, inner);
}

/** Index of the first largest (or smallest) element along `axis`, as int32. @internal */
export function argReduce(kind: "max" | "min", x: NDArray, axis: number, keepDims: boolean): NDArray {
  const shape = x.shape;
  const n = shape[axis] as number;
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d] as number;
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d] as number;
  const out = new Int32Array(outer * inner);
  const a = x.data;
  const sign = kind === "max" ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let best = 0;
      let bv = sign * (a[base] as number);
      if (!Number.isNaN(bv)) {
        for (let j = 1; j < n; j++) {
          const v = sign * (a[base + j * inner] as number);
          if (Number.isNaN(v)) {
            best = j;
            break;
          }
          if (v > bv) {
            bv = v;
            best = j;
          }
        }
      }
      out[o * inner + k] = best;
    }
  }
  return { data: out, shape: reducedShape(shape, [axis], keepDims), dtype: "int32" };
}
