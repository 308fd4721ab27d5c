// Builds monomorphic typed-array loops from a one-line expression, so each op gets its own hot loop
// without a per-element callback (which V8 would turn megamorphic).

import type { TypedArray } from "../dtype.js";

/** `out[i] = f(a[i])` over whole arrays; `p` and `q` are scalar parameters some ops need (clamp bounds). @internal */
export type UnaryLoop = (a: TypedArray, out: TypedArray, p?: number, q?: number) => void;

/**
 * `out = f(a, b)` with NumPy broadcasting. `sa`/`sb` are the inputs' strides in the output's shape
 * (0 along a broadcast axis); `shape` is the output shape.
 * @internal
 */
export type BinaryLoop = (
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  shape: readonly number[],
  sa: readonly number[],
  sb: readonly number[],
) => void;

/**
 * Compiles `out[i] = expr` where `expr` reads `x` (the element of `a`) and may read `p`, `q`. `name`
 * names the function so that profiles show which op a loop belongs to.
 * @internal
 */
export function unaryLoop(expr: string, name = "unary"): UnaryLoop {
  return new Function(
    `"use strict";
     return function ${name}(a, out, p, q) {
       const n = out.length;
       for (let i = 0; i < n; i++) { const x = a[i]; out[i] = ${expr}; }
     };`,
  )() as UnaryLoop;
}

/** Compiles a broadcasting binary loop where `expr` reads `x` (from `a`) and `y` (from `b`). @internal */
export function binaryLoop(expr: string, name = "binary"): BinaryLoop {
  return new Function(
    `"use strict";
     return function ${name}(a, b, out, shape, sa, sb) {
     const n = out.length;
     const nd = shape.length;
     if (n === 0) return;
     if (a.length === n && b.length === n) {
       for (let i = 0; i < n; i++) { const x = a[i], y = b[i]; out[i] = ${expr}; }
       return;
     }
     if (b.length === 1) {
       const y = b[0];
       if (a.length === n) { for (let i = 0; i < n; i++) { const x = a[i]; out[i] = ${expr}; } return; }
     }
     if (a.length === 1 && b.length === n) {
       const x = a[0];
       for (let i = 0; i < n; i++) { const y = b[i]; out[i] = ${expr}; }
       return;
     }
     const inner = shape[nd - 1], ia = sa[nd - 1], ib = sb[nd - 1];
     const idx = new Int32Array(nd);
     let offA = 0, offB = 0, o = 0;
     while (o < n) {
       let pa = offA, pb = offB;
       for (let j = 0; j < inner; j++) { const x = a[pa], y = b[pb]; out[o++] = ${expr}; pa += ia; pb += ib; }
       for (let d = nd - 2; d >= 0; d--) {
         idx[d]++; offA += sa[d]; offB += sb[d];
         if (idx[d] < shape[d]) break;
         offA -= sa[d] * shape[d]; offB -= sb[d] * shape[d]; idx[d] = 0;
       }
     }};`,
  )() as BinaryLoop;
}

/**
 * Reduces a contiguous block: input [outer, r, inner] into `acc` [outer, inner], combining with `expr`
 * over `v` (the running value) and `e` (the element).
 * @internal
 */
export type BlockReduceLoop = (
  a: TypedArray,
  acc: Float64Array,
  outer: number,
  r: number,
  inner: number,
) => void;

/** Compiles a {@link BlockReduceLoop} whose innermost loop is contiguous in memory. @internal */
export function blockReduceLoop(expr: string, name = "reduce"): BlockReduceLoop {
  return new Function(
    `"use strict";
     return function ${name}(a, acc, outer, r, inner) {
       if (inner === 1) {
         for (let o = 0; o < outer; o++) {
           const base = o * r;
           let v = acc[o];
           for (let k = 0; k < r; k++) { const e = a[base + k]; v = ${expr}; }
           acc[o] = v;
         }
         return;
       }
       // Four columns at a time down the r rows, so the running values stay in registers.
       for (let o = 0; o < outer; o++) {
         const dst = o * inner;
         const base = o * r * inner;
         let j = 0;
         for (; j + 4 <= inner; j += 4) {
           let v0 = acc[dst + j], v1 = acc[dst + j + 1], v2 = acc[dst + j + 2], v3 = acc[dst + j + 3];
           for (let k = 0, p = base + j; k < r; k++, p += inner) {
             let v = v0, e = a[p]; v0 = ${expr};
             v = v1; e = a[p + 1]; v1 = ${expr};
             v = v2; e = a[p + 2]; v2 = ${expr};
             v = v3; e = a[p + 3]; v3 = ${expr};
           }
           acc[dst + j] = v0; acc[dst + j + 1] = v1; acc[dst + j + 2] = v2; acc[dst + j + 3] = v3;
         }
         for (; j < inner; j++) {
           let v = acc[dst + j];
           for (let k = 0, p = base + j; k < r; k++, p += inner) { const e = a[p]; v = ${expr}; }
           acc[dst + j] = v;
         }
       }
     };`,
  )() as BlockReduceLoop;
}
