// Forward math of matmul: one cache-blocked kernel with transpose flags and broadcast batch axes.

import { allocate, type TypedArray } from "../dtype.js";
import type { NDArray } from "../ndarray.js";
import { sizeOf } from "../shape.js";
import { unaryInPlace } from "./elementwise.js";
import { broadcastStrides } from "./strided.js";
import { gemmWasm, WASM_MATMUL_MIN_WORK } from "./wasm/matmul.js";

/** Activations that fused ops apply to a matmul's result in the same call. @internal */
export type Epilogue = "sigmoid" | "tanh" | "relu";

// Rows of B kept hot in cache per pass over a 4-row strip of A.
const K_BLOCK = 64;

/**
 * C = op(A) @ op(B) with op(X) = X or Xᵀ per flag, over broadcast batch axes. `a` is [..., r, c] and
 * op(A) is [M, K]; likewise `b` gives [K, N]. `batch` is the broadcast batch shape (validated by the op).
 * With `bias` ([N]), computes C + bias on every row in the same pass (PyTorch's addmm); with `epilogue`,
 * applies that activation to the result before it leaves the kernel.
 * @internal
 */
export function matmul(
  a: NDArray,
  b: NDArray,
  transA: boolean,
  transB: boolean,
  batch: readonly number[],
  bias: NDArray | null = null,
  epilogue: Epilogue | null = null,
): NDArray {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = a.shape[transA ? ra - 1 : ra - 2] as number;
  const K = a.shape[transA ? ra - 2 : ra - 1] as number;
  const N = b.shape[transB ? rb - 2 : rb - 1] as number;
  const outShape = [...batch, M, N];
  const nb = sizeOf(batch);
  const sa = broadcastStrides(a.shape.slice(0, -2), batch);
  const sb = broadcastStrides(b.shape.slice(0, -2), batch);
  if (a.dtype !== "int32" && M * N * K >= WASM_MATMUL_MIN_WORK) {
    const out = allocate(a.dtype, nb * M * N) as Float32Array | Float64Array;
    const done = forEachBatch(batch, sa, sb, (t, offA, offB) =>
      gemmWasm(
        a.data,
        offA * M * K,
        transA,
        b.data,
        offB * K * N,
        transB,
        out,
        t * M * N,
        M,
        N,
        K,
        bias?.data ?? null,
        epilogue,
      ),
    );
    if (done) return { data: out, shape: outShape, dtype: a.dtype };
  }
  const acc = new Float64Array(nb * M * N);
  const packed = transA && transB ? new Float64Array(M * K) : null;
  forEachBatch(batch, sa, sb, (t, bA, bB) => {
    const offA = bA * M * K;
    const offB = bB * K * N;
    const offC = t * M * N;
    if (!transB) gemmNN(a.data, offA, transA, b.data, offB, acc, offC, M, N, K);
    else if (!transA) gemmNT(a.data, offA, b.data, offB, acc, offC, M, N, K);
    else {
      // Both transposed: repack A once (M·K, far below the M·N·K of the product) and use the NT loop.
      const p = packed as Float64Array;
      for (let k = 0; k < K; k++)
        for (let i = 0; i < M; i++) p[i * K + k] = a.data[offA + k * M + i] as number;
      gemmNT(p, 0, b.data, offB, acc, offC, M, N, K);
    }
    return true;
  });
  if (bias !== null) {
    const bv = bias.data;
    for (let r = 0; r < acc.length; r += N)
      for (let j = 0; j < N; j++) acc[r + j] = (acc[r + j] as number) + (bv[j] as number);
  }
  const out = a.dtype === "float64" ? acc : allocate(a.dtype, acc.length);
  if (out !== acc) out.set(acc);
  if (epilogue !== null) unaryInPlace(epilogue, out);
  return { data: out, shape: outShape, dtype: a.dtype };
}

/** Calls `f(t, offA, offB)` for each batch item with the operands' batch offsets (in matrices). */
function forEachBatch(
  batch: readonly number[],
  sa: readonly number[],
  sb: readonly number[],
  f: (t: number, offA: number, offB: number) => boolean,
): boolean {
  const nb = sizeOf(batch);
  const idx = new Array<number>(batch.length).fill(0);
  for (let t = 0; t < nb; t++) {
    let offA = 0;
    let offB = 0;
    for (let d = 0; d < batch.length; d++) {
      offA += (idx[d] as number) * (sa[d] as number);
      offB += (idx[d] as number) * (sb[d] as number);
    }
    if (!f(t, offA, offB)) return false;
    for (let d = batch.length - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (batch[d] as number)) break;
      idx[d] = 0;
    }
  }
  return true;
}

/** C += op(A) · B with B row-major [K, N]: rank-1 updates over 4-row strips, K blocked for cache. */
function gemmNN(
  A: TypedArray | Float64Array,
  offA: number,
  transA: boolean,
  B: TypedArray,
  offB: number,
  C: Float64Array,
  offC: number,
  M: number,
  N: number,
  K: number,
): void {
  const rs = transA ? 1 : K; // step between rows i of op(A)
  const cs = transA ? M : 1; // step between columns k of op(A)
  for (let kb = 0; kb < K; kb += K_BLOCK) {
    const ke = Math.min(K, kb + K_BLOCK);
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      const c0 = offC + i * N;
      const c1 = c0 + N;
      const c2 = c1 + N;
      const c3 = c2 + N;
      for (let k = kb; k < ke; k++) {
        const ak = offA + k * cs + i * rs;
        const a0 = A[ak] as number;
        const a1 = A[ak + rs] as number;
        const a2 = A[ak + 2 * rs] as number;
        const a3 = A[ak + 3 * rs] as number;
        const bk = offB + k * N;
        for (let j = 0; j < N; j++) {
          const bv = B[bk + j] as number;
          C[c0 + j] = (C[c0 + j] as number) + a0 * bv;
          C[c1 + j] = (C[c1 + j] as number) + a1 * bv;
          C[c2 + j] = (C[c2 + j] as number) + a2 * bv;
          C[c3 + j] = (C[c3 + j] as number) + a3 * bv;
        }
      }
    }
    for (; i < M; i++) {
      const c0 = offC + i * N;
      for (let k = kb; k < ke; k++) {
        const a0 = A[offA + k * cs + i * rs] as number;
        const bk = offB + k * N;
        for (let j = 0; j < N; j++) C[c0 + j] = (C[c0 + j] as number) + a0 * (B[bk + j] as number);
      }
    }
  }
}

/** C = A · Bᵀ with A row-major [M, K] and B row-major [N, K]: dot products of contiguous rows, 2x2 tiles. */
function gemmNT(
  A: TypedArray | Float64Array,
  offA: number,
  B: TypedArray,
  offB: number,
  C: Float64Array,
  offC: number,
  M: number,
  N: number,
  K: number,
): void {
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0 = offA + i * K;
    const a1 = a0 + K;
    let j = 0;
    for (; j + 2 <= N; j += 2) {
      const b0 = offB + j * K;
      const b1 = b0 + K;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k] as number;
        const x1 = A[a1 + k] as number;
        const y0 = B[b0 + k] as number;
        const y1 = B[b1 + k] as number;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      C[offC + i * N + j] = s00;
      C[offC + i * N + j + 1] = s01;
      C[offC + (i + 1) * N + j] = s10;
      C[offC + (i + 1) * N + j + 1] = s11;
    }
    for (; j < N; j++) {
      const b0 = offB + j * K;
      let s0 = 0;
      let s1 = 0;
      for (let k = 0; k < K; k++) {
        const y = B[b0 + k] as number;
        s0 += (A[a0 + k] as number) * y;
        s1 += (A[a1 + k] as number) * y;
      }
      C[offC + i * N + j] = s0;
      C[offC + (i + 1) * N + j] = s1;
    }
  }
  for (; i < M; i++) {
    const a0 = offA + i * K;
    for (let j = 0; j < N; j++) {
      const b0 = offB + j * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += (A[a0 + k] as number) * (B[b0 + k] as number);
      C[offC + i * N + j] = s;
    }
  }
}
