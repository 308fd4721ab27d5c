// The WebAssembly path of matmul: copies the operands into the kernel's memory as they are stored (the
// kernel reads either layout of A and B through strides, so no transpose is ever materialised), runs the
// SIMD micro-kernel per k-block, and copies the result out.

import type { TypedArray } from "../../dtype.js";
import { unaryInPlace } from "../elementwise.js";
import { MR, panelWidth } from "./gemm.js";
import { reserve, SCRATCH, wasm } from "./runtime.js";
import { runSplit } from "./threads.js";

// Depth of one pass: 256 rows of B per panel stay in cache while A streams by.
const KC = 256;

/** Below this many multiply-adds the copies cost more than the kernel saves. @internal */
export const WASM_MATMUL_MIN_WORK = 16 * 1024;

/**
 * One (batch-item) product C[M,N] = op(A)·op(B) into `out` at `offC`, or false when WebAssembly is not
 * available. `A` and `B` are read at `offA`/`offB` in their stored layout; `bias` ([N]), when given, starts
 * every row of C so the product is added to it in the same pass.
 * @internal
 */
export function gemmWasm(
  A: TypedArray,
  offA: number,
  transA: boolean,
  B: TypedArray,
  offB: number,
  transB: boolean,
  out: Float32Array | Float64Array,
  offC: number,
  M: number,
  N: number,
  K: number,
  bias: TypedArray | null = null,
  epilogue: "sigmoid" | "tanh" | "relu" | null = null,
): boolean {
  const rt = wasm();
  if (rt === null) return false;
  const f32 = out instanceof Float32Array;
  const kind = f32 ? "f32" : "f64";
  const size = f32 ? 4 : 8;
  const nr = panelWidth(kind);
  const strips = Math.ceil(M / MR);
  const panels = Math.ceil(N / nr);
  const Np = panels * nr;
  // Layout (in elements): A, then B with its transpose copy when needed, then C; padding reads land in
  // the next area, in bounds, and only feed rows and columns of C that are discarded.
  const aOff = 0;
  const bOff = aOff + M * K + MR;
  const cOff = bOff + K * Np + nr;
  const total = (cOff + strips * MR * Np + nr) * size;
  const buffer = reserve(rt, total);
  const heap = f32
    ? new Float32Array(buffer, SCRATCH, total / 4)
    : new Float64Array(buffer, SCRATCH, total / 8);
  heap.set(A.subarray(offA, offA + M * K), aOff);
  // B(k, j) must be row-major for the kernel's v128 loads; a transposed B is read column by column once.
  let ldb = N;
  if (!transB) heap.set(B.subarray(offB, offB + K * N), bOff);
  else {
    ldb = Np;
    for (let j = 0; j < N; j++) {
      const src = offB + j * K;
      for (let k = 0; k < K; k++) heap[bOff + k * Np + j] = B[src + k] as number;
    }
  }
  const rsA = (transA ? 1 : K) * size;
  const csA = (transA ? M : 1) * size;
  if (bias !== null) {
    // One row, then doubling copies inside the buffer: log2(M) calls instead of one per row.
    heap.set(bias.subarray(0, N), cOff);
    const rows = strips * MR;
    for (let have = 1; have < rows; have *= 2) {
      const take = Math.min(have, rows - have);
      heap.copyWithin(cOff + have * Np, cOff, cOff + take * Np);
    }
  }
  // The sigmoid runs on C while it is still in the kernel's memory, each thread on its rows;
  // other epilogues run after the copy.
  const fusedSigmoid = epilogue === "sigmoid";
  runSplit(
    rt.kernels,
    rt.module,
    rt.memory,
    [
      f32 ? 0 : 1,
      SCRATCH + aOff * size,
      rsA,
      csA,
      SCRATCH + bOff * size,
      ldb * size,
      SCRATCH + cOff * size,
      Np * size,
      strips,
      panels,
      K,
      KC,
      bias === null ? 0 : -1,
      fusedSigmoid ? 1 : 0,
    ],
    MR * rsA,
    MR * Np * size,
    M * N * K,
  );
  const done = epilogue === null || fusedSigmoid;
  if (Np === N) out.set(heap.subarray(cOff, cOff + M * N), offC);
  else if (N >= 64)
    for (let i = 0; i < M; i++) out.set(heap.subarray(cOff + i * Np, cOff + i * Np + N), offC + i * N);
  else {
    // Short rows: a plain loop beats one set() call per row.
    for (let i = 0; i < M; i++) {
      const src = cOff + i * Np;
      const dst = offC + i * N;
      for (let j = 0; j < N; j++) out[dst + j] = heap[src + j] as number;
    }
  }
  if (!done && epilogue !== null) unaryInPlace(epilogue, out.subarray(offC, offC + M * N));
  return true;
}
