// Loads the WebAssembly kernels once and manages their linear memory: a scratch area that grows to the
// largest problem seen, into which operands are packed and from which results are copied out.

import { binaryKernels } from "./binary.js";
import { encodeModule } from "./encoder.js";
import { gemmKernel } from "./gemm.js";
import { CONTROL_BYTES } from "./threads.js";
import { unaryKernels } from "./unary.js";

// The few WebAssembly JS-API types used here (the ES library files do not declare them; browsers' DOM
// library and Node both provide the objects at run time).
declare global {
  namespace WebAssembly {
    interface MemoryDescriptor {
      initial: number;
      maximum?: number;
      shared?: boolean;
    }
    class Memory {
      constructor(descriptor: MemoryDescriptor);
      readonly buffer: ArrayBuffer | SharedArrayBuffer;
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
  exp_f64(src: number, dst: number, n: number): void;
  sigmoid_f64(src: number, dst: number, n: number): void;
  sigmoidGrad_f32(y: number, g: number, dst: number, n: number): void;
  sigmoidGrad_f64(y: number, g: number, dst: number, n: number): void;
  tanhGrad_f32(y: number, g: number, dst: number, n: number): void;
  tanhGrad_f64(y: number, g: number, dst: number, n: number): void;
}

/** The loaded kernels with their memory (shared where threads can use it). @internal */
export interface Runtime {
  kernels: WasmKernels;
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
}

// Shared memory must declare a maximum; 2 GiB of address space, committed only as it grows.
const MAX_PAGES = 32768;

let runtime: Runtime | null | undefined;
let enabled = typeof process === "undefined" || process.env?.TAPEGRAD_KERNELS !== "js";

function instantiate(shared: boolean): Runtime {
  const functions = [gemmKernel("f32"), gemmKernel("f64"), ...unaryKernels(), ...binaryKernels()];
  const memory = new WebAssembly.Memory(
    shared ? { initial: 256, maximum: MAX_PAGES, shared: true } : { initial: 256 },
  );
  const module = new WebAssembly.Module(encodeModule(functions, shared ? MAX_PAGES : undefined));
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { kernels: instance.exports as unknown as WasmKernels, memory, module };
}

function load(): Runtime | null {
  // Shared memory lets a worker thread help with large products; where it is not allowed (a page
  // without cross-origin isolation), the kernels run on one thread in ordinary memory.
  for (const shared of typeof SharedArrayBuffer === "undefined" ? [false] : [true, false]) {
    try {
      return instantiate(shared);
    } catch {
      // try the next option
    }
  }
  // No WebAssembly SIMD here: the TypeScript kernels are used instead.
  return null;
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

/**
 * Makes the scratch area at least `bytes` long and returns the buffer; scratch starts at
 * {@link SCRATCH} (below it are the threads' control words).
 * @internal
 */
export function reserve(rt: Runtime, bytes: number): ArrayBuffer | SharedArrayBuffer {
  const have = rt.memory.buffer.byteLength;
  const need = SCRATCH + bytes;
  if (need > have) rt.memory.grow(Math.ceil((need - have) / 65536));
  return rt.memory.buffer;
}

/** Byte offset where kernels' scratch data starts. @internal */
export const SCRATCH = CONTROL_BYTES;
