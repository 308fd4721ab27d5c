// The WebAssembly path of elementwise maps in float32 and float64 (exp and sigmoid, and the two-input
// backward of sigmoid and tanh): copy the inputs in, one SIMD pass, copy the result out.

import type { Runtime } from "./runtime.js";
import { reserve, SCRATCH, wasm } from "./runtime.js";

/** Maps shorter than this stay in TypeScript, where there is no copy to pay for. @internal */
export const WASM_MAP_MIN_SIZE = 1024;

type Floats = Float32Array | Float64Array;

/**
 * Runs the kernel `op_<f32|f64>` on same-length `inputs` into `out`: each input and the output get a
 * slot in scratch, padded to the kernels' 32-byte steps, and the kernel receives their addresses and n.
 */
function runMap(rt: Runtime, op: string, inputs: readonly Floats[], out: Floats): void {
  const f32 = out instanceof Float32Array;
  const size = f32 ? 4 : 8;
  const n = out.length;
  const padded = Math.ceil((n * size) / 32) * (32 / size);
  const slots = inputs.length + 1;
  const buffer = reserve(rt, padded * size * slots);
  const heap = f32
    ? new Float32Array(buffer, SCRATCH, padded * slots)
    : new Float64Array(buffer, SCRATCH, padded * slots);
  inputs.forEach((x, i) => {
    heap.set(x, i * padded);
  });
  const addresses = Array.from({ length: slots }, (_, i) => SCRATCH + i * padded * size);
  const kernel = rt.kernels[`${op}_${f32 ? "f32" : "f64"}` as keyof Runtime["kernels"]] as (
    ...a: number[]
  ) => void;
  kernel(...addresses, n);
  out.set(heap.subarray(inputs.length * padded, inputs.length * padded + n));
}

/** Applies the kernel `op` to `src` into `out` (same type); false when WebAssembly is unavailable. @internal */
export function mapWasm<T extends Floats>(op: "exp" | "sigmoid", src: T, out: T): boolean {
  const rt = wasm();
  if (rt === null) return false;
  runMap(rt, op, [src], out);
  return true;
}

/**
 * Applies the two-input kernel `op` (`sigmoidGrad`, `tanhGrad`) to same-length `y` and `g` into `out`;
 * false when WebAssembly is unavailable.
 * @internal
 */
export function mapPairWasm<T extends Floats>(op: "sigmoidGrad" | "tanhGrad", y: T, g: T, out: T): boolean {
  const rt = wasm();
  if (rt === null) return false;
  runMap(rt, op, [y, g], out);
  return true;
}
