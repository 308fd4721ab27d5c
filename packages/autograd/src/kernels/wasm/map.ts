// The WebAssembly path of elementwise float32 maps (exp, sigmoid): copy in, one SIMD pass, copy out.

import { reserve, SCRATCH, wasm } from "./runtime.js";

/** Maps shorter than this stay in TypeScript, where there is no copy to pay for. @internal */
export const WASM_MAP_MIN_SIZE = 1024;

/** Applies the float32 kernel `name` to `src` into `out`; false when WebAssembly is unavailable. @internal */
export function mapWasm(name: "exp_f32" | "sigmoid_f32", src: Float32Array, out: Float32Array): boolean {
  const rt = wasm();
  if (rt === null) return false;
  const n = src.length;
  const padded = Math.ceil(n / 8) * 8;
  const buffer = reserve(rt, padded * 8);
  const heap = new Float32Array(buffer, SCRATCH, padded * 2);
  heap.set(src, 0);
  rt.kernels[name](SCRATCH, SCRATCH + padded * 4, n);
  out.set(heap.subarray(padded, padded + n));
  return true;
}
