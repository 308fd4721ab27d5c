// The WebAssembly path of elementwise maps (exp, sigmoid) in float32 and float64: copy in, one SIMD
// pass, copy out.

import { reserve, SCRATCH, wasm } from "./runtime.js";

/** Maps shorter than this stay in TypeScript, where there is no copy to pay for. @internal */
export const WASM_MAP_MIN_SIZE = 1024;

/** Applies the kernel `op` to `src` into `out` (same type); false when WebAssembly is unavailable. @internal */
export function mapWasm<T extends Float32Array | Float64Array>(
  op: "exp" | "sigmoid",
  src: T,
  out: T,
): boolean {
  const rt = wasm();
  if (rt === null) return false;
  const f32 = src instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const n = src.length;
  // the kernels work in 32-byte steps
  const padded = Math.ceil((n * size) / 32) * (32 / size);
  const buffer = reserve(rt, padded * size * 2);
  const heap = f32
    ? new Float32Array(buffer, SCRATCH, padded * 2)
    : new Float64Array(buffer, SCRATCH, padded * 2);
  heap.set(src, 0);
  rt.kernels[`${op}_${f32 ? "f32" : "f64"}`](SCRATCH, SCRATCH + padded * size, n);
  out.set(heap.subarray(padded, padded + n));
  return true;
}

/**
 * Applies the two-input kernel `op` (`sigmoidGrad`, `tanhGrad`) to same-length `y` and `g` into `out`;
 * false when WebAssembly is unavailable.
 * @internal
 */
export function mapPairWasm<T extends Float32Array | Float64Array>(
  op: "sigmoidGrad" | "tanhGrad",
  y: T,
  g: T,
  out: T,
): boolean {
  const rt = wasm();
  if (rt === null) return false;
  const f32 = y instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const n = y.length;
  const padded = Math.ceil((n * size) / 32) * (32 / size);
  const buffer = reserve(rt, padded * size * 3);
  const heap = f32
    ? new Float32Array(buffer, SCRATCH, padded * 3)
    : new Float64Array(buffer, SCRATCH, padded * 3);
  heap.set(y, 0);
  heap.set(g, padded);
  rt.kernels[`${op}_${f32 ? "f32" : "f64"}`](
    SCRATCH,
    SCRATCH + padded * size,
    SCRATCH + 2 * padded * size,
    n,
  );
  out.set(heap.subarray(2 * padded, 2 * padded + n));
  return true;
}
