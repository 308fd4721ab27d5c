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
