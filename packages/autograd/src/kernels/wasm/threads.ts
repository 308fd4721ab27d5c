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
const ARGS = 2; // the job: runBlocks' arguments after `kernels`

/**
 * The k-blocked product over a range of strips, then the sigmoid over those rows when `sigmoid` is 1: what each thread runs. Written without closures so that its source can be sent to the worker.
 * @internal
 */
export function runBlocks(
  kernels: WasmKernels,
  f64: number,
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
  sigmoid: number,
): void {
  const gemm = f64 === 1 ? kernels.gemm_f64 : kernels.gemm_f32;
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
  // 4 rows per strip (MR; a literal because this source runs in the worker too), ldc / 4 floats per row
  if (sigmoid === 1) {
    const rows = strips * 4;
    if (f64 === 1) kernels.sigmoid_f64(pc, pc, rows * (ldc / 8));
    else kernels.sigmoid_f32(pc, pc, rows * (ldc / 4));
  }
}

/** Number of int32 arguments of a job: runBlocks' arguments after `kernels`. */
const NARGS = 14;

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
  for (let i = 0; i < ${NARGS}; i++) a.push(ctl[${ARGS} + i]);
  runBlocks(kernels, ...a);
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

// NOTE: products below 8M multiply-adds stay on one thread. Measured on the seed workload's MLP (3M each):
// waking the worker and the single-threaded copies cost about what the second core saves, and a worker
// that spins to wake faster slows the main thread on this machine's two virtual cores.
const MIN_SPLIT_WORK = 1 << 23;

/** The arguments of one job: runBlocks' arguments after `kernels`. @internal */
export type Job = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/**
 * Runs `runBlocks` over all strips of `job`, handing the second half to the worker when the product is
 * large. `stripBytesA`/`stripBytesC` advance A and C by one strip.
 * @internal
 */
export function runSplit(
  kernels: WasmKernels,
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  job: Job,
  stripBytesA: number,
  stripBytesC: number,
  work: number,
): void {
  const strips = job[8];
  const h = work >= MIN_SPLIT_WORK && strips >= 2 ? getHelper(module, memory) : null;
  if (h === null) {
    runBlocks(kernels, ...job);
    return;
  }
  const mine = Math.ceil(strips / 2);
  const theirs = [...job] as Job;
  theirs[1] = job[1] + mine * stripBytesA;
  theirs[6] = job[6] + mine * stripBytesC;
  theirs[8] = strips - mine;
  const { ctl } = h;
  for (let i = 0; i < NARGS; i++) ctl[ARGS + i] = theirs[i] as number;
  const seq = Atomics.add(ctl, SEQ, 1) + 1;
  Atomics.notify(ctl, SEQ);
  const own = [...job] as Job;
  own[8] = mine;
  runBlocks(kernels, ...own);
  // NOTE: a worker that died can never answer (its error event needs this thread's event loop), so after
  // two seconds the caller computes the other half itself and stops using threads. Should the worker only
  // have been slow, it writes the same values into the same rows: harmless.
  const deadline = performance.now() + 2000;
  for (;;) {
    const done = Atomics.load(ctl, DONE);
    if (done === seq) return;
    if (performance.now() > deadline) {
      helper = null;
      runBlocks(kernels, ...theirs);
      return;
    }
  }
}
