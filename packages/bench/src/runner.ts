// One benchmark process: loads one system, runs the requested measurements in one dtype and prints a
// JSON report line. Started by main.ts as `node --expose-gc --import tsx src/runner.ts '<options json>'`.

import { Bench } from "tinybench";
import { type CnnData, type CnnTrainer, cnnData, loadCnnInit, trainCnnEpoch } from "./cnn.js";
import {
  type CnnReport,
  type Latency,
  REPORT_MARKER,
  type RunnerOptions,
  type RunnerReport,
  type Task,
} from "./protocol.js";
import { type SystemImpl, systemSpec } from "./systems/registry.js";
import {
  firstRows,
  type LayerInit,
  loadSeedData,
  loadSeedInit,
  type Rows,
  type SeedData,
  type SeedRun,
  trainSeed,
} from "./workload.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("runner: start node with --expose-gc");
  collect();
  collect();
};

function sameRun(a: SeedRun, b: SeedRun): boolean {
  return (
    a.losses.length === b.losses.length &&
    a.losses.every((v, i) => Object.is(v, b.losses[i])) &&
    a.accuracies.every((v, i) => v.accuracy === b.accuracies[i]?.accuracy)
  );
}

function seedTask(
  impl: SystemImpl,
  data: SeedData,
  init: LayerInit[],
  o: RunnerOptions,
): RunnerReport["seed"] {
  const trainer = impl.trainer(data, init, o.dtype);
  try {
    // Warm-up: a tenth of the epochs compiles and tiers up everything the loop runs, and estimates its time.
    const warmupEpochs = Math.max(1, Math.round(o.epochs / 10));
    trainer.reset();
    let t0 = performance.now();
    trainSeed(trainer, warmupEpochs);
    const warmupMs = performance.now() - t0;
    const estimate = (warmupMs * o.epochs) / warmupEpochs / 1000;
    const runs = estimate > o.slowRunSeconds ? o.minRuns : o.runs;
    const runsMs: number[] = [];
    let first: SeedRun | undefined;
    let deterministic = true;
    for (let r = 0; r < runs; r++) {
      trainer.reset();
      gc();
      t0 = performance.now();
      const run = trainSeed(trainer, o.epochs);
      runsMs.push(performance.now() - t0);
      if (first === undefined) first = run;
      else deterministic &&= sameRun(first, run);
    }
    if (first === undefined) throw new Error("runner: no timed run");
    return {
      warmupEpochs,
      warmupMs,
      runsMs,
      losses: first.losses,
      accuracies: first.accuracies,
      deterministic,
    };
  } finally {
    trainer.dispose();
  }
}

/**
 * One epoch from the initial weights that stops early after `seconds` (then runs the last batch, whose
 * shorter shape may need compiling too). Returns the batches run, the time, and the fewest milliseconds
 * per row any batch took, the steady rate once compiled.
 */
function cnnWarmup(
  trainer: CnnTrainer,
  data: CnnData,
  seconds: number,
): { batches: number; ms: number; msPerRow: number } {
  const last = data.batches.length - 1;
  trainer.reset();
  const t0 = performance.now();
  let msPerRow = Number.POSITIVE_INFINITY;
  let ran = 0;
  for (let b = 0; b <= last; b++) {
    const { start, end } = data.batches[b] as { start: number; end: number };
    const t = performance.now();
    trainer.step(b);
    msPerRow = Math.min(msPerRow, (performance.now() - t) / (end - start));
    ran++;
    if (b < last - 1 && performance.now() - t0 > seconds * 1000) b = last - 1;
  }
  return { batches: ran, ms: performance.now() - t0, msPerRow };
}

function cnnTask(impl: SystemImpl, train: Rows, o: RunnerOptions): CnnReport {
  if (impl.cnnTrainer === undefined) throw new Error("runner: this system has no CNN implementation");
  const data = cnnData(train, o.cnnRows);
  const trainer = impl.cnnTrainer(data, loadCnnInit());
  try {
    const warmup = cnnWarmup(trainer, data, o.cnnWarmupSeconds);
    // Whole epochs when one fits the budget; otherwise the leading batches that do (at least one).
    const budgetMs = o.cnnBudgetSeconds * 1000;
    const epochMs = warmup.msPerRow * data.n;
    const runs = Math.min(o.cnnRuns, Math.max(1, Math.floor(budgetMs / epochMs)));
    const fitting = data.batches.filter(({ end }) => end * warmup.msPerRow <= budgetMs).length;
    const timedBatches = epochMs <= budgetMs ? data.batches.length : Math.max(1, fitting);
    const runsMs: number[] = [];
    let first: number[] | undefined;
    let deterministic = true;
    for (let r = 0; r < runs; r++) {
      trainer.reset();
      gc();
      const t0 = performance.now();
      const { batchLosses } = trainCnnEpoch(trainer, data, timedBatches);
      runsMs.push(performance.now() - t0);
      if (first === undefined) first = batchLosses;
      else deterministic &&= batchLosses.every((v, i) => Object.is(v, first?.[i]));
    }
    return {
      rows: data.n,
      batches: data.batches.length,
      warmupBatches: warmup.batches,
      warmupMs: warmup.ms,
      timedBatches,
      timedRows: (data.batches[timedBatches - 1] as { end: number }).end,
      runsMs,
      batchLosses: first ?? [],
      deterministic,
    };
  } finally {
    trainer.dispose();
  }
}

async function latency(fn: () => void, options: { iterations: number; time: number }): Promise<Latency> {
  const bench = new Bench({ ...options, warmupIterations: 1, warmupTime: 0, throws: true });
  bench.add("task", fn);
  await bench.run();
  const r = bench.tasks[0]?.result;
  if (r === undefined || !("latency" in r))
    throw new Error(`runner: tinybench gave no latency (${r?.state})`);
  return {
    medianMs: r.latency.p50,
    minMs: r.latency.min,
    maxMs: r.latency.max,
    samples: r.latency.samplesCount,
  };
}

function fwdBwdTask(
  impl: SystemImpl,
  data: SeedData,
  init: LayerInit[],
  o: RunnerOptions,
): RunnerReport["fwdBwd"] {
  const trainer = impl.trainer(data, init, o.dtype);
  try {
    trainer.reset();
    for (let i = 0; i < 3; i++) {
      trainer.loss();
      trainer.lossAndGrad();
    }
    const forward: number[] = [];
    const both: number[] = [];
    for (let i = 0; i < 10; i++) {
      let t0 = performance.now();
      trainer.loss();
      forward.push(performance.now() - t0);
      t0 = performance.now();
      trainer.lossAndGrad();
      both.push(performance.now() - t0);
    }
    const median = (xs: number[]): number => {
      const s = [...xs].sort((a, b) => a - b);
      return ((s[(s.length - 1) >> 1] as number) + (s[s.length >> 1] as number)) / 2;
    };
    return { forwardMs: median(forward), forwardBackwardMs: median(both), samples: forward.length };
  } finally {
    trainer.dispose();
  }
}

function heapTask(
  impl: SystemImpl,
  data: SeedData,
  init: LayerInit[],
  o: RunnerOptions,
): RunnerReport["heap"] {
  const trainer = impl.trainer(firstRows(data, o.heapRows), init, o.dtype);
  try {
    trainer.reset();
    for (let i = 0; i < 200; i++) trainer.step();
    gc();
    const before = process.memoryUsage();
    const t0 = performance.now();
    for (let i = 0; i < o.heapSteps; i++) trainer.step();
    const ms = performance.now() - t0;
    gc();
    const after = process.memoryUsage();
    const mb = (bytes: number): number => bytes / 2 ** 20;
    return {
      steps: o.heapSteps,
      rows: o.heapRows,
      heapUsedDeltaMB: mb(after.heapUsed - before.heapUsed),
      externalDeltaMB: mb(after.external - before.external),
      msPerStep: ms / o.heapSteps,
    };
  } finally {
    trainer.dispose();
  }
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? "{}") as RunnerOptions;
  const spec = systemSpec(o.system);
  const report: Mutable<RunnerReport> = { system: o.system, dtype: o.dtype, backend: "", errors: [] };
  const attempt = async (task: Task | "setup", fn: () => Promise<void> | void): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      report.errors.push({ task, message: e instanceof Error ? e.message : String(e) });
    }
  };
  let impl: SystemImpl | undefined;
  await attempt("setup", async () => {
    impl = await spec.load();
    report.backend = await impl.setup();
  });
  if (impl !== undefined) {
    const sys = impl;
    const data = loadSeedData();
    const init = await loadSeedInit();
    for (const task of o.tasks) {
      await attempt(task, async () => {
        if (task === "seed") report.seed = seedTask(sys, data, init, o);
        if (task === "cnn") report.cnn = cnnTask(sys, data.train, o);
        if (task === "fwdBwd") report.fwdBwd = fwdBwdTask(sys, data, init, o);
        if (task === "heap") report.heap = heapTask(sys, data, init, o);
        if (task === "matmul" && sys.matmul !== undefined) {
          const results: { n: number; latency: Latency }[] = [];
          for (const n of o.matmulSizes) {
            // About 0.3 s of calls, at least 3; large products are slow on some systems.
            results.push({ n, latency: await latency(sys.matmul(n), { iterations: 3, time: 300 }) });
          }
          report.matmul = results;
        }
        if (task === "tinyAdd" && sys.tinyAdd !== undefined) {
          report.tinyAdd = await latency(sys.tinyAdd(1000), { iterations: 20, time: 300 });
        }
      });
    }
  }
  // Exit once the line is flushed: some backends keep handles open that would hold the process.
  process.stdout.write(`\n${REPORT_MARKER}${JSON.stringify(report)}\n`, () => process.exit(0));
}

await main();
