// What the orchestrator asks of a runner process and what the runner prints back, as one JSON line.

import type { FloatDType } from "./workload.js";

/** The measurements a runner process can make. */
export type Task = "seed" | "cnn" | "matmul" | "tinyAdd" | "fwdBwd" | "heap";

/** The runner's settings, passed as one JSON command-line argument. */
export interface RunnerOptions {
  readonly system: string;
  readonly dtype: FloatDType;
  readonly tasks: readonly Task[];
  /** Epochs of the seed workload (350 in the benchmark). */
  readonly epochs: number;
  /** Timed runs after the warm-up. */
  readonly runs: number;
  /** Timed runs when one run is estimated to take longer than {@link slowRunSeconds}. */
  readonly minRuns: number;
  readonly slowRunSeconds: number;
  /** Training rows in an epoch of the CNN workload (1500 in the benchmark). */
  readonly cnnRows: number;
  /** Timed CNN epochs at most. */
  readonly cnnRuns: number;
  /**
   * Seconds a system may spend on timed CNN epochs: fewer runs when they would take longer, and one run
   * of the epoch's first batches when a whole epoch would.
   */
  readonly cnnBudgetSeconds: number;
  /** Seconds after which the CNN warm-up epoch stops early (then running its last, shorter batch once). */
  readonly cnnWarmupSeconds: number;
  /** Square matrix sizes. */
  readonly matmulSizes: readonly number[];
  /** Training steps of the heap measurement, and the rows in its batch. */
  readonly heapSteps: number;
  readonly heapRows: number;
}

/** Timings of the seed workload and what the runs computed. */
export interface SeedReport {
  readonly warmupEpochs: number;
  readonly warmupMs: number;
  /** Wall time of each timed run (350 epochs plus the test accuracies). */
  readonly runsMs: number[];
  /** Losses per epoch of the first timed run. */
  readonly losses: number[];
  readonly accuracies: { epoch: number; accuracy: number }[];
  /** Whether every timed run produced exactly the same losses and accuracies as the first. */
  readonly deterministic: boolean;
}

/** Timings of the CNN workload and what the runs computed. */
export interface CnnReport {
  /** Rows and mini-batches in a whole epoch. */
  readonly rows: number;
  readonly batches: number;
  /** Batches the warm-up ran (all of them, unless it stopped early) and its wall time. */
  readonly warmupBatches: number;
  readonly warmupMs: number;
  /** The leading batches each timed run trained on (all of them unless one epoch exceeds the budget). */
  readonly timedBatches: number;
  readonly timedRows: number;
  /** Wall time of each timed run, each from the initial weights. */
  readonly runsMs: number[];
  /** Loss of each timed batch in the first timed run, before its update. */
  readonly batchLosses: number[];
  /** Whether every timed run produced exactly the same losses as the first. */
  readonly deterministic: boolean;
}

/** Per-call wall times in milliseconds (median, fastest, slowest) and how many calls were timed. */
export interface Latency {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly samples: number;
}

/** One process's answer: whatever tasks succeeded, and an error message per task that did not. */
export interface RunnerReport {
  readonly system: string;
  readonly dtype: FloatDType;
  readonly backend: string;
  readonly seed?: SeedReport;
  readonly cnn?: CnnReport;
  /** Per size: the latency of one `n × n` product. */
  readonly matmul?: { n: number; latency: Latency }[];
  /** Latency of 1000 tiny adds (so `medianMs` is also microseconds per add). */
  readonly tinyAdd?: Latency;
  /** Full-batch loss alone and loss plus gradients, medians over alternating calls. */
  readonly fwdBwd?: { forwardMs: number; forwardBackwardMs: number; samples: number };
  readonly heap?: {
    steps: number;
    rows: number;
    heapUsedDeltaMB: number;
    /** Growth of memory outside the JS heap: typed-array and WebAssembly buffers. */
    externalDeltaMB: number;
    msPerStep: number;
  };
  readonly errors: { task: Task | "setup"; message: string }[];
}

/** The prefix of the one stdout line that carries the runner's JSON report. */
export const REPORT_MARKER = "@tapegrad/bench report ";
