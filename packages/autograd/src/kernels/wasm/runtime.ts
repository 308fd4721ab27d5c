// Loads the WebAssembly kernels once and manages their linear memory: a scratch area that grows to the
// largest problem seen, into which operands are packed and from which results are copied out.

import { encodeModule } from "./encoder.js";
import { gemmKernel } from "./gemm.js";
import { unaryKernels } from "./unary.js";

// The few WebAssembly JS-API types used here (the ES library files do not declare them; browsers' DOM
// library and Node both provide the objects at run time).
declare global {
  namespace WebAssembly {
    interface MemoryDescriptor {
      initial: number;
      maximum?: number;
    }
    class Memory {
      constructor(descriptor: MemoryDescriptor);
      readonly buffer: ArrayBuffer;
      grow(pages: number): number;
    }
    class Module {
      constructor(bytes: Uint8Array);
    }
    class Instance {
      constructor(module: Module, imports: Record<string, Record<string, unknown>>);
      readonly exports: Record<string, unknown>;
    }
  }
}

/** The exported kernels. @internal */
export interface WasmKernels {
  gemm_f32(
    ...args: [number, number, number, number, number, number, number, number, number, number, number]
  ): void;
  gemm_f64(
    ...args: [number, number, number, number, number, number, number, number, number, number, number]
  ): void;
  exp_f32(src: number, dst: number, n: number): void;
  sigmoid_f32(src: number, dst: number, n: number): void;
}

interface Runtime {
  kernels: WasmKernels;
  memory: WebAssembly.Memory;
}

let runtime: Runtime | null | undefined;
let enabled = typeof process === "undefined" || process.env?.TAPEGRAD_KERNELS !== "js";

function load(): Runtime | null {
  try {
    const bytes = encodeModule([gemmKernel("f32"), gemmKernel("f64"), ...unaryKernels()]);
    const memory = new WebAssembly.Memory({ initial: 256 });
    const module = new WebAssembly.Module(bytes);
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    return { kernels: instance.exports as unknown as WasmKernels, memory };
  } catch {
    // No WebAssembly SIMD here: the TypeScript kernels are used instead.
    return null;
  }
}

/** The kernels, or null when WebAssembly SIMD is unavailable or disabled. @internal */
export function wasm(): Runtime | null {
  if (!enabled) return null;
  if (runtime === undefined) runtime = load();
  return runtime;
}

/**
 * Switches the WebAssembly kernels off (true → on) and returns the previous setting, so tests can compare
 * them with the TypeScript reference kernels. Setting `TAPEGRAD_KERNELS=js` in the environment does the same.
 * @internal
 */
export function setWasmEnabled(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  return prev;
}

/** Makes the memory at least `bytes` long and returns a fresh view of the buffer. @internal */
export function reserve(rt: Runtime, bytes: number): ArrayBuffer {
  const have = rt.memory.buffer.byteLength;
  if (bytes > have) rt.memory.grow(Math.ceil((bytes - have) / 65536));
  return rt.memory.buffer;
}
