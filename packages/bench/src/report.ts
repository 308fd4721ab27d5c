// Turns the runners' reports into the results (medians, ratios, agreement checks) and renders them as
// terminal tables and as Markdown.

import Table from "cli-table3";
import { batchMean, CNN } from "./cnn.js";
import type { RunnerReport } from "./protocol.js";
import { SYSTEMS } from "./systems/registry.js";
import type { FloatDType } from "./workload.js";

/** Relative tolerance on the final loss against tapegrad's float64 run, per dtype. */
export const AGREEMENT_RTOL: Record<FloatDType, number> = { float32: 1e-4, float64: 1e-6 };

/** The seed workload's row of one system in one dtype. */
export interface SeedRow {
  readonly system: string;
  readonly label: string;
  readonly dtype: FloatDType;
  readonly backend: string;
  readonly runs: number;
  readonly medianS: number;
  readonly minS: number;
  readonly maxS: number;
  /** Median time over tapegrad (nn)'s median in the same dtype; above 1 means slower than tapegrad. */
  readonly vsTapegrad: number | null;
  readonly finalLoss: number;
  /** `|final − tapegrad float64 final| / tapegrad float64 final`. */
  readonly relDiff: number | null;
  /** Largest relative difference of any epoch's loss from the notebook's float64 trajectory. */
  readonly maxRelDiffReference: number;
  readonly testAccuracy: number;
  readonly agrees: boolean;
  readonly deterministic: boolean;
}

/**
 * Relative tolerance on the CNN workload's mean loss against tapegrad's over the same batches. Tighter than
 * the seed workload's: at lr 0.05 the loss moves little in one epoch (about 2.305 to 2.297), so a bound of
 * 1e-4 would let a wrong gradient through; float32 runs of the systems agree to about 1e-7.
 */
export const CNN_RTOL = 1e-5;

/** The CNN workload's row of one system (float32): its timings, or why it cannot run the workload. */
export interface CnnRow {
  readonly system: string;
  readonly label: string;
  /** Why the system cannot run the workload; the other fields are null then. */
  readonly unsupported: string | null;
  readonly runs: number;
  /** Seconds per epoch: the median run, scaled to the whole epoch's rows when only its first batches ran. */
  readonly medianS: number | null;
  readonly minS: number | null;
  readonly maxS: number | null;
  readonly timedBatches: number;
  readonly batches: number;
  /** Median over tapegrad (nn)'s median; above 1 means slower than tapegrad. */
  readonly vsTapegrad: number | null;
  /** Mean loss over the timed batches, weighted by batch size. */
  readonly meanLoss: number | null;
  /** `|meanLoss − tapegrad's over the same batches| / tapegrad's`. */
  readonly relDiff: number | null;
  readonly agrees: boolean;
  readonly deterministic: boolean;
}

/** One matmul size of one system (float32). */
export interface MatmulRow {
  readonly system: string;
  readonly label: string;
  readonly n: number;
  readonly samples: number;
  readonly medianMs: number;
  readonly gflops: number;
  readonly gflopsMin: number;
  readonly gflopsMax: number;
  readonly vsTapegrad: number | null;
}

/** Per-op overhead, backward/forward ratio and heap growth of one system in one dtype. */
export interface ExtraRow {
  readonly system: string;
  readonly label: string;
  readonly dtype: FloatDType;
  readonly tinyAddUs: number | null;
  readonly forwardMs: number | null;
  readonly forwardBackwardMs: number | null;
  /** `(loss and gradients − loss alone) / loss alone`. */
  readonly backwardOverForward: number | null;
  readonly heapUsedDeltaMB: number | null;
  readonly externalDeltaMB: number | null;
  readonly heapSteps: number | null;
  readonly heapRows: number | null;
  readonly heapMsPerStep: number | null;
}

/** Where and when the benchmark ran. */
export interface Machine {
  readonly date: string;
  /** Short commit hash, with `+changes` when tracked files were modified. */
  readonly commit: string;
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  readonly loadAverageStart: number[];
  readonly loadAverageEnd: number[];
}

/** Everything `pnpm bench` measured, as written to `results/latest.json`. */
export interface Results {
  readonly machine: Machine;
  readonly settings: {
    epochs: number;
    runs: number;
    minRuns: number;
    slowRunSeconds: number;
    matmulSizes: readonly number[];
    heapSteps: number;
    heapRows: number;
    cnnRows: number;
    cnnRuns: number;
    cnnBudgetSeconds: number;
    cnnWarmupSeconds: number;
  };
  readonly backends: { system: string; dtype: FloatDType; backend: string }[];
  readonly seed: SeedRow[];
  readonly cnn: CnnRow[];
  readonly matmul: MatmulRow[];
  readonly extras: ExtraRow[];
  readonly notes: string[];
  readonly warnings: string[];
  readonly totalSeconds: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return ((s[(s.length - 1) >> 1] as number) + (s[s.length >> 1] as number)) / 2;
};

const labelOf = (id: string): string => SYSTEMS.find((s) => s.id === id)?.label ?? id;

/** The seed rows: medians, ratios to tapegrad (nn), and the final-loss agreement check. */
export function seedRows(reports: readonly RunnerReport[], reference: readonly number[]): SeedRow[] {
  const baseline = (dtype: FloatDType): RunnerReport | undefined =>
    reports.find((r) => r.system === "tapegrad-nn" && r.dtype === dtype && r.seed !== undefined);
  const f64 = baseline("float64")?.seed?.losses.at(-1);
  return reports.flatMap((r): SeedRow[] => {
    const seed = r.seed;
    if (seed === undefined) return [];
    const base = baseline(r.dtype)?.seed;
    const medianS = median(seed.runsMs) / 1000;
    const finalLoss = seed.losses.at(-1) ?? Number.NaN;
    const relDiff = f64 === undefined ? null : Math.abs(finalLoss - f64) / Math.abs(f64);
    const maxRelDiffReference = Math.max(
      ...seed.losses.map((l, i) => Math.abs(l - (reference[i] ?? Number.NaN)) / Math.abs(reference[i] ?? 1)),
    );
    return [
      {
        system: r.system,
        label: labelOf(r.system),
        dtype: r.dtype,
        backend: r.backend,
        runs: seed.runsMs.length,
        medianS,
        minS: Math.min(...seed.runsMs) / 1000,
        maxS: Math.max(...seed.runsMs) / 1000,
        vsTapegrad: base === undefined ? null : medianS / (median(base.runsMs) / 1000),
        finalLoss,
        relDiff,
        maxRelDiffReference,
        testAccuracy: seed.accuracies.at(-1)?.accuracy ?? Number.NaN,
        agrees: relDiff !== null && relDiff <= AGREEMENT_RTOL[r.dtype],
        deterministic: seed.deterministic,
      },
    ];
  });
}

/**
 * The CNN rows, in report order, then a row for each system in `unsupported` (id and reason): seconds per
 * epoch, ratio to tapegrad (nn), and the mean loss checked against tapegrad's over the same batches.
 */
export function cnnRows(
  reports: readonly RunnerReport[],
  unsupported: readonly { system: string; reason: string }[] = [],
): CnnRow[] {
  const base = reports.find((r) => r.system === "tapegrad-nn" && r.cnn !== undefined)?.cnn;
  const perEpochS = (ms: number, rows: number, timedRows: number): number => ((ms / 1000) * rows) / timedRows;
  const baseS = base === undefined ? undefined : perEpochS(median(base.runsMs), base.rows, base.timedRows);
  const ran = reports.flatMap((r): CnnRow[] => {
    const cnn = r.cnn;
    if (cnn === undefined) return [];
    const scale = (ms: number): number => perEpochS(ms, cnn.rows, cnn.timedRows);
    const medianS = scale(median(cnn.runsMs));
    const meanLoss = batchMean(cnn.batchLosses, cnn.rows);
    const reference =
      base === undefined || base.batchLosses.length < cnn.batchLosses.length
        ? undefined
        : batchMean(base.batchLosses.slice(0, cnn.batchLosses.length), base.rows);
    const relDiff = reference === undefined ? null : Math.abs(meanLoss - reference) / Math.abs(reference);
    return [
      {
        system: r.system,
        label: labelOf(r.system),
        unsupported: null,
        runs: cnn.runsMs.length,
        medianS,
        minS: scale(Math.min(...cnn.runsMs)),
        maxS: scale(Math.max(...cnn.runsMs)),
        timedBatches: cnn.timedBatches,
        batches: cnn.batches,
        vsTapegrad: baseS === undefined ? null : medianS / baseS,
        meanLoss,
        relDiff,
        agrees: relDiff !== null && relDiff <= CNN_RTOL,
        deterministic: cnn.deterministic,
      },
    ];
  });
  const missing = unsupported.map(
    ({ system, reason }): CnnRow => ({
      system,
      label: labelOf(system),
      unsupported: reason,
      runs: 0,
      medianS: null,
      minS: null,
      maxS: null,
      timedBatches: 0,
      batches: base?.batches ?? 0,
      vsTapegrad: null,
      meanLoss: null,
      relDiff: null,
      agrees: false,
      deterministic: true,
    }),
  );
  return [...ran, ...missing];
}

/** The matmul rows: GFLOP/s of the median, fastest and slowest call, and the time ratio to tapegrad. */
export function matmulRows(reports: readonly RunnerReport[]): MatmulRow[] {
  const tapegrad = reports.find((r) => r.system === "tapegrad-nn" && r.matmul !== undefined)?.matmul;
  return reports.flatMap((r) =>
    (r.matmul ?? []).map(({ n, latency }) => {
      const gflop = (2 * n ** 3) / 1e9;
      const base = tapegrad?.find((m) => m.n === n)?.latency.medianMs;
      return {
        system: r.system,
        label: labelOf(r.system),
        n,
        samples: latency.samples,
        medianMs: latency.medianMs,
        gflops: gflop / (latency.medianMs / 1000),
        gflopsMin: gflop / (latency.maxMs / 1000),
        gflopsMax: gflop / (latency.minMs / 1000),
        vsTapegrad: base === undefined ? null : latency.medianMs / base,
      };
    }),
  );
}

/** The overhead rows, one per report that measured any of them. */
export function extraRows(reports: readonly RunnerReport[]): ExtraRow[] {
  return reports
    .filter((r) => r.tinyAdd !== undefined || r.fwdBwd !== undefined || r.heap !== undefined)
    .map((r) => ({
      system: r.system,
      label: labelOf(r.system),
      dtype: r.dtype,
      tinyAddUs: r.tinyAdd?.medianMs ?? null,
      forwardMs: r.fwdBwd?.forwardMs ?? null,
      forwardBackwardMs: r.fwdBwd?.forwardBackwardMs ?? null,
      backwardOverForward:
        r.fwdBwd === undefined
          ? null
          : (r.fwdBwd.forwardBackwardMs - r.fwdBwd.forwardMs) / r.fwdBwd.forwardMs,
      heapUsedDeltaMB: r.heap?.heapUsedDeltaMB ?? null,
      externalDeltaMB: r.heap?.externalDeltaMB ?? null,
      heapSteps: r.heap?.steps ?? null,
      heapRows: r.heap?.rows ?? null,
      heapMsPerStep: r.heap?.msPerStep ?? null,
    }));
}

const fixed = (x: number | null, digits: number): string => (x === null ? "—" : x.toFixed(digits));
const sci = (x: number | null): string => (x === null ? "—" : x.toExponential(1));
const ratio = (x: number | null): string => (x === null ? "—" : `${x.toFixed(2)}×`);
const lossCheck = (r: { agrees: boolean; deterministic: boolean }): string =>
  (r.agrees ? "ok" : "DIFFERS") + (r.deterministic ? "" : ", varies");

function seedCells(r: SeedRow): string[] {
  return [
    r.label,
    r.dtype,
    fixed(r.medianS, 2),
    `${fixed(r.minS, 2)}..${fixed(r.maxS, 2)}`,
    String(r.runs),
    ratio(r.vsTapegrad),
    r.finalLoss.toFixed(8),
    sci(r.relDiff),
    sci(r.maxRelDiffReference),
    `${(100 * r.testAccuracy).toFixed(1)}%`,
    lossCheck(r),
  ];
}

const SEED_HEAD = [
  "system",
  "dtype",
  "median s",
  "min..max s",
  "runs",
  "time vs tapegrad",
  "final loss",
  "Δ vs tapegrad f64",
  "max Δ vs notebook",
  "test acc",
  "loss check",
];

function cnnCells(r: CnnRow): string[] {
  if (r.unsupported !== null) return [r.label, "—", "—", "0", "—", "—", "—", "—", "unsupported"];
  return [
    r.label,
    fixed(r.medianS, 2),
    `${fixed(r.minS, 2)}..${fixed(r.maxS, 2)}`,
    String(r.runs),
    `${r.timedBatches}/${r.batches}`,
    ratio(r.vsTapegrad),
    fixed(r.meanLoss, 7),
    sci(r.relDiff),
    lossCheck(r),
  ];
}

const CNN_HEAD = [
  "system",
  "s/epoch",
  "min..max s",
  "runs",
  "batches timed",
  "time vs tapegrad",
  "mean loss",
  "Δ vs tapegrad",
  "loss check",
];

function matmulCells(r: MatmulRow): string[] {
  return [
    r.label,
    `${r.n}×${r.n}`,
    fixed(r.medianMs, 2),
    fixed(r.gflops, 2),
    `${fixed(r.gflopsMin, 2)}..${fixed(r.gflopsMax, 2)}`,
    String(r.samples),
    ratio(r.vsTapegrad),
  ];
}

const MATMUL_HEAD = [
  "system",
  "size",
  "median ms",
  "GFLOP/s",
  "min..max GFLOP/s",
  "calls",
  "time vs tapegrad",
];

function extraCells(r: ExtraRow): string[] {
  return [
    r.label,
    r.dtype,
    fixed(r.tinyAddUs, 2),
    fixed(r.forwardMs, 2),
    fixed(r.forwardBackwardMs, 2),
    fixed(r.backwardOverForward, 2),
    fixed(r.heapUsedDeltaMB, 2),
    fixed(r.externalDeltaMB, 2),
  ];
}

const EXTRA_HEAD = [
  "system",
  "dtype",
  "add [4] µs/op",
  "forward ms",
  "fwd+bwd ms",
  "bwd/fwd",
  "heap Δ MB",
  "external Δ MB",
];

function header(res: Results): string[] {
  const m = res.machine;
  const s = res.settings;
  return [
    `${m.date} · commit ${m.commit} · ${m.cpu} · ${m.cores} cores · Node ${m.node} · ${m.platform}`,
    `load average ${m.loadAverageStart.map((x) => x.toFixed(2)).join(" ")} at start, ` +
      `${m.loadAverageEnd.map((x) => x.toFixed(2)).join(" ")} at end; one process at a time, each system ` +
      "on one thread except where its line below says otherwise; other work may share the machine",
    `seed workload: ${s.epochs} epochs + test accuracy every 10, timed ${s.runs} runs after a warm-up of ` +
      `${Math.round(s.epochs / 10)} epochs (${s.minRuns} runs when one run is estimated over ` +
      `${s.slowRunSeconds} s); total ${res.totalSeconds.toFixed(0)} s`,
    `CNN workload: an epoch of ${s.cnnRows} rows, at most ${s.cnnRuns} timed epochs within ` +
      `${s.cnnBudgetSeconds} s per system after a warm-up epoch (cut short after ${s.cnnWarmupSeconds} s, ` +
      "then its last batch)",
  ];
}

function sectionNotes(res: Results): { seed: string; cnn: string; matmul: string; extras: string } {
  const s = res.settings;
  return {
    seed:
      "time vs tapegrad: median over tapegrad (nn)'s median in the same dtype (above 1 = slower). " +
      "Δ: relative difference of the final loss; float32 rows must be within " +
      `${AGREEMENT_RTOL.float32}, float64 rows within ${AGREEMENT_RTOL.float64}.`,
    cnn:
      "s/epoch: median wall time of the timed epochs, each from the same initial weights (modernModel({ seed: 0 })); " +
      `a system whose epoch would take over ${s.cnnBudgetSeconds} s trains on the first batches that fit ` +
      "(batches timed) and its time is scaled to the whole epoch's rows. mean loss: over the timed batches, " +
      `each before its update; it must be within ${CNN_RTOL} relative of tapegrad (nn)'s over the same batches.`,
    matmul:
      "float32 A·B of fixed random matrices; GFLOP/s = 2n³ / time; min..max from the slowest and fastest call.",
    extras:
      "add: median over batches of 1000 adds of two [4] float32 tensors (tapegrad: inputs require grad, so " +
      "the tape records). forward: the full-batch loss; fwd+bwd: loss and all gradients, no update; " +
      `bwd/fwd = (fwd+bwd − forward) / forward. heap: growth over ${s.heapSteps} training steps on the ` +
      `first ${s.heapRows} rows, after gc; external = typed arrays and WebAssembly memory.`,
  };
}

/** The results as terminal tables, with the header, notes and warnings. */
export function renderTerminal(res: Results): string {
  const table = (head: string[], rows: string[][]): string => {
    const t = new Table({
      head,
      style: { head: [], border: [], compact: true },
    });
    t.push(...rows);
    return t.toString();
  };
  const notes = sectionNotes(res);
  return [
    ...header(res),
    ...res.backends.map((b) => `  ${labelOf(b.system)} ${b.dtype}: ${b.backend || "did not start"}`),
    "",
    "Seed workload (64-32-16-10 sigmoid MLP, 1500 rows, full-batch gradient descent)",
    table(SEED_HEAD, res.seed.map(seedCells)),
    notes.seed,
    "",
    `CNN workload (the modern CNN without dropout, ${res.settings.cnnRows} rows, SGD on batches of ${CNN.batchSize}, float32)`,
    table(CNN_HEAD, res.cnn.map(cnnCells)),
    notes.cnn,
    "",
    "Matmul (float32, square)",
    table(MATMUL_HEAD, res.matmul.map(matmulCells)),
    notes.matmul,
    "",
    "Overheads",
    table(EXTRA_HEAD, res.extras.map(extraCells)),
    notes.extras,
    "",
    ...res.notes.map((n) => `note: ${n}`),
    ...res.warnings.map((w) => `WARNING: ${w}`),
  ].join("\n");
}

/** The results as a Markdown page (`results/latest.md`). */
export function renderMarkdown(res: Results): string {
  const cellText = (cell: string): string => cell.replace(/\|/g, "\\|");
  const table = (head: string[], rows: string[][]): string =>
    [head, head.map(() => "---"), ...rows].map((r) => `| ${r.map(cellText).join(" | ")} |`).join("\n");
  const notes = sectionNotes(res);
  return `${[
    "# tapegrad benchmark",
    "",
    "Written by `pnpm bench` (packages/bench); the same numbers are in `latest.json`.",
    "",
    ...header(res).map((l) => `- ${l}`),
    ...res.backends.map((b) => `- ${labelOf(b.system)} ${b.dtype}: ${b.backend || "did not start"}`),
    "",
    "## Seed workload",
    "",
    "64-32-16-10 sigmoid MLP, quadratic loss, full batch of the 1500 raw training rows, lr 2000/1500.",
    "",
    table(SEED_HEAD, res.seed.map(seedCells)),
    "",
    notes.seed,
    "",
    "## CNN workload",
    "",
    "The examples' modern CNN without dropout: [n, 1, 8, 8] pixels / 16; 3×3 convolutions (padding 1) " +
      "1→32, ReLU, 32→32, ReLU, 2×2 max pool, 32→64, ReLU, 2×2 max pool; flatten (NCHW) to 256; linear " +
      `256→128, ReLU, 128→10; mean softmax cross-entropy; plain SGD, lr ${CNN.lr}, one epoch of the ` +
      `${res.settings.cnnRows} training rows in order in batches of ${CNN.batchSize}; float32.`,
    "",
    table(CNN_HEAD, res.cnn.map(cnnCells)),
    "",
    notes.cnn,
    "",
    "## Matmul",
    "",
    table(MATMUL_HEAD, res.matmul.map(matmulCells)),
    "",
    notes.matmul,
    "",
    "## Overheads",
    "",
    table(EXTRA_HEAD, res.extras.map(extraCells)),
    "",
    notes.extras,
    "",
    ...(res.notes.length > 0 ? ["## Notes", "", ...res.notes.map((n) => `- ${n}`), ""] : []),
    ...(res.warnings.length > 0 ? ["## Warnings", "", ...res.warnings.map((w) => `- ${w}`), ""] : []),
  ].join("\n")}`;
}
