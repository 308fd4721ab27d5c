// A second thread for large matrix products: a worker instantiates the same kernels on the same shared
// memory and computes the lower half of C's rows while the calling thread computes the upper half.
// Both halves read the same packed operands and write disjoint rows, so results are identical to one
// thread's, bit for bit.

import type { WasmKernels } from "./runtime.js";

/** Bytes at the start of the shared memory used to hand jobs to the worker. @internal */
export const CONTROL_BYTES = 128;

// Layout of the control words (Int32 indices).
const SEQ = 0; // job counter, bumped by the caller; the worker waits on it
const DONE = 1; // last job the worker finished
const KIND = 2; // 0 = f32, 1 = f64
const ARGS = 3; // the 12 arguments of runBlocks after the kernel

/**
 * The k-blocked product over a range of strips: what each thread runs. Written without closures so that
 * its source can be sent to the worker as is.
 * @internal
 */
export function runBlocks(
  gemm: WasmKernels["gemm_f32"],
  pa: number,
  rsA: number,
  csA: number,
  pb: number,
  ldb: number,
  pc: number,
  ldc: number,
  strips: number,
  panels: number,
  K: number,
  KC: number,
  accumulateFirst: number,
): void {
  for (let kb = 0; kb < K; kb += KC) {
    const kc = Math.min(KC, K - kb);
    gemm(
      pa + kb * csA,
      rsA,
      csA,
      pb + kb * ldb,
      ldb,
      pc,
      ldc,
      strips,
      panels,
      kc,
      kb === 0 ? accumulateFirst : -1,
    );
  }
}

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(memory.buffer, 0, ${CONTROL_BYTES / 4});
${runBlocks.toString()}
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${SEQ}, seen);
  seen = Atomics.load(ctl, ${SEQ});
  const a = [];
  for (let i = 0; i < 12; i++) a.push(ctl[${ARGS} + i]);
  runBlocks(ctl[${KIND}] === 1 ? kernels.gemm_f64 : kernels.gemm_f32, ...a);
  Atomics.store(ctl, ${DONE}, seen);
  Atomics.notify(ctl, ${DONE});
}
`;

interface Helper {
  ctl: Int32Array;
}

let helper: Helper | null | undefined;

/** Starts the worker on first use; null where threads are unavailable or switched off. */
function getHelper(module: WebAssembly.Module, memory: WebAssembly.Memory): Helper | null {
  if (helper !== undefined) return helper;
  helper = null;
  try {
    const proc = globalThis.process as
      | { env?: Record<string, string | undefined>; getBuiltinModule?: (id: string) => unknown }
      | undefined;
    if (proc?.env?.TAPEGRAD_THREADS === "1" || typeof proc?.getBuiltinModule !== "function") return null;
    if (!(memory.buffer instanceof SharedArrayBuffer)) return null;
    const wt = proc.getBuiltinModule("node:worker_threads") as {
      Worker: new (
        src: string,
        o: { eval: boolean; workerData: unknown },
      ) => { unref(): void; on(e: string, f: () => void): void };
    };
    const worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory } });
    // An idle helper never keeps the process alive; if it dies, products go back to one thread.
    worker.unref();
    worker.on("error", () => {
      helper = null;
    });
    helper = { ctl: new Int32Array(memory.buffer, 0, CONTROL_BYTES / 4) };
  } catch {
    helper = null;
  }
  return helper;
}

/** Products below 8M multiply-adds stay on one thread: waking the worker and the single-threaded copies
 * cost more than half of such a product (measured on the MLP of the seed workload). */
const MIN_SPLIT_WORK = 1 << 23;

/**
 * Runs `runBlocks` over all `strips`, handing the second half to the worker when the product is large.
 * `args` are runBlocks' arguments after `gemm`; `stripBytesA`/`stripBytesC` advance A and C by one strip.
 * @internal
 */
export function runSplit(
  kernels: WasmKernels,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  f64: boolean,
  args: [number, number, number, number, number, number, number, number, number, number, number, number],
  stripBytesA: number,
  stripBytesC: number,
  work: number,
): void {
  const gemm = f64 ? kernels.gemm_f64 : kernels.gemm_f32;
  const strips = args[7];
  const h = work >= MIN_SPLIT_WORK && strips >= 2 ? getHelper(module, memory) : null;
  if (h === null) {
    runBlocks(gemm, ...args);
    return;
  }
  const mine = Math.ceil(strips / 2);
  const theirs = [...args] as typeof args;
  theirs[0] = args[0] + mine * stripBytesA;
  theirs[5] = args[5] + mine * stripBytesC;
  theirs[7] = strips - mine;
  const { ctl } = h;
  ctl[KIND] = f64 ? 1 : 0;
  for (let i = 0; i < 12; i++) ctl[ARGS + i] = theirs[i] as number;
  const seq = Atomics.add(ctl, SEQ, 1) + 1;
  Atomics.notify(ctl, SEQ);
  const own = [...args] as typeof args;
  own[7] = mine;
  runBlocks(gemm, ...own);
  // NOTE: a worker that died can never answer (its error event needs this thread's event loop), so after
  // two seconds the caller computes the other half itself and stops using threads. Should the worker only
  // have been slow, it writes the same values into the same rows: harmless.
  const deadline = Date.now() + 2000;
  for (;;) {
    const done = Atomics.load(ctl, DONE);
    if (done === seq) return;
    if (Date.now() > deadline) {
      helper = null;
      runBlocks(gemm, ...theirs);
      return;
    }
    Atomics.wait(ctl, DONE, done, 100);
  }
}
