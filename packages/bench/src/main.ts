// `pnpm bench`: runs every system in a fresh child process, one after another, then prints the tables and
// writes them to results/latest.json and results/latest.md.

import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { REPORT_MARKER, type RunnerOptions, type RunnerReport, type Task } from "./protocol.js";
import {
  AGREEMENT_RTOL,
  CNN_RTOL,
  cnnRows,
  extraRows,
  matmulRows,
  type Results,
  renderMarkdown,
  renderTerminal,
  seedRows,
} from "./report.js";
import { SYSTEMS } from "./systems/registry.js";
import { type FloatDType, loadReferenceLosses, SEED } from "./workload.js";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    out: { type: "string", default: here("../results") },
    write: { type: "boolean", default: true },
  },
  allowNegative: true,
});

const USAGE = `usage: pnpm bench [--quick] [--only id,id] [--out DIR] [--no-write]
  --quick     35 epochs, 2 runs, 256×256 matmul only, 1000 heap steps, a CNN epoch of 156 rows: a smoke
              test, not a measurement
  --only      systems to run: ${SYSTEMS.map((s) => s.id).join(", ")}
  --no-write  print the tables without writing results/latest.{json,md}`;

const settings = args.quick
  ? {
      epochs: 35,
      runs: 2,
      minRuns: 1,
      slowRunSeconds: 8,
      matmulSizes: [256],
      heapSteps: 1000,
      heapRows: 16,
      // Two full batches and a short one, so the short shape is exercised as in the full epoch.
      cnnRows: 156,
      cnnRuns: 1,
      cnnBudgetSeconds: 3,
      cnnWarmupSeconds: 2,
    }
  : {
      epochs: SEED.epochs,
      runs: 5,
      minRuns: 3,
      slowRunSeconds: 8,
      matmulSizes: [256, 1024],
      heapSteps: 10_000,
      heapRows: 16,
      cnnRows: 1500,
      cnnRuns: 5,
      cnnBudgetSeconds: 45,
      cnnWarmupSeconds: 10,
    };

/**
 * The processes to start: every system in every dtype it supports; kernels and heap in one dtype each;
 * the CNN workload in a float32 process of its own, so neither workload runs on code the other tiered up.
 */
function plan(): { system: string; dtype: FloatDType; tasks: Task[] }[] {
  const only = args.only?.split(",").map((s) => s.trim());
  const unknown = only?.filter((id) => !SYSTEMS.some((s) => s.id === id)) ?? [];
  if (unknown.length > 0) {
    console.error(`bench: unknown system ${unknown.join(", ")}\n${USAGE}`);
    process.exit(2);
  }
  return SYSTEMS.filter((s) => only === undefined || only.includes(s.id)).flatMap((s) => [
    ...s.dtypes.map((dtype) => ({
      system: s.id,
      dtype,
      tasks: [
        "seed",
        ...((s.kernels && dtype === "float32" ? ["matmul", "tinyAdd"] : []) as Task[]),
        "fwdBwd",
        "heap",
      ] as Task[],
    })),
    ...(s.cnn ? [{ system: s.id, dtype: "float32" as const, tasks: ["cnn"] as Task[] }] : []),
  ]);
}

function run(options: RunnerOptions): RunnerReport {
  const child = spawnSync(
    process.execPath,
    ["--conditions=source", "--expose-gc", "--import", "tsx", here("runner.ts"), JSON.stringify(options)],
    { cwd: here(".."), encoding: "utf8", maxBuffer: 64 * 2 ** 20, timeout: 600_000 },
  );
  const line = child.stdout
    ?.split("\n")
    .find((l) => l.startsWith(REPORT_MARKER))
    ?.slice(REPORT_MARKER.length);
  if (line === undefined) {
    const why = child.error?.message ?? `exit code ${child.status}, signal ${child.signal}`;
    const tail = (child.stderr ?? "").trim().split("\n").slice(-5).join("\n  ");
    return {
      system: options.system,
      dtype: options.dtype,
      backend: "",
      errors: [{ task: "setup", message: `runner printed no report (${why})\n  ${tail}` }],
    };
  }
  return JSON.parse(line) as RunnerReport;
}

/** The commit the benchmark ran, with `+changes` when tracked files differ from it. */
function revision(): string {
  const git = (...a: string[]): string =>
    spawnSync("git", a, { cwd: here(".."), encoding: "utf8" }).stdout?.trim() ?? "";
  const commit = git("rev-parse", "--short", "HEAD");
  if (commit === "") return "unknown";
  return git("status", "--porcelain", "--untracked-files=no") === "" ? commit : `${commit}+changes`;
}

function main(): void {
  const start = performance.now();
  const loadAverageStart = loadavg();
  const cpu = cpus();
  const jobs = plan();
  console.log(
    `tapegrad bench: ${jobs.length} processes, one at a time, on ${cpu.length} cores ` +
      `(load average ${loadAverageStart.map((x) => x.toFixed(2)).join(" ")})${args.quick ? " [quick]" : ""}`,
  );
  const reports: RunnerReport[] = [];
  for (const job of jobs) {
    process.stdout.write(`  ${job.system} ${job.dtype}: ${job.tasks.join(", ")} … `);
    const t0 = performance.now();
    const report = run({ ...job, ...settings });
    reports.push(report);
    const failed = report.errors.length > 0 ? ` (${report.errors.length} failed)` : "";
    console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s${failed}`);
  }

  const reference = loadReferenceLosses();
  const seed = seedRows(reports, reference);
  const ranSystems = SYSTEMS.filter((s) => jobs.some((j) => j.system === s.id));
  const cnn = cnnRows(
    reports,
    ranSystems.flatMap((s) =>
      s.cnnUnsupported === undefined ? [] : [{ system: s.id, reason: s.cnnUnsupported }],
    ),
  );
  const warnings: string[] = [];
  for (const r of reports) {
    for (const e of r.errors) warnings.push(`${r.system} ${r.dtype} ${e.task} failed: ${e.message}`);
  }
  for (const r of seed) {
    if (!r.agrees) {
      warnings.push(
        `${r.label} ${r.dtype}: final loss ${r.finalLoss} differs from tapegrad float64's by ` +
          `${r.relDiff?.toExponential(2) ?? "?"} relative (tolerance ${AGREEMENT_RTOL[r.dtype]})`,
      );
    }
    if (!r.deterministic)
      warnings.push(`${r.label} ${r.dtype}: the timed runs did not all give the same losses`);
  }
  for (const r of cnn.filter((r) => r.unsupported === null)) {
    if (!r.agrees) {
      warnings.push(
        `${r.label} CNN: mean loss ${r.meanLoss} differs from tapegrad (nn)'s over the same batches by ` +
          `${r.relDiff?.toExponential(2) ?? "?"} relative (tolerance ${CNN_RTOL})`,
      );
    }
    if (!r.deterministic) warnings.push(`${r.label} CNN: the timed epochs did not all give the same losses`);
  }
  const notes: string[] = [];
  for (const s of ranSystems) {
    if (s.unsupported !== undefined) notes.push(`${s.label}: ${s.unsupported}.`);
    if (s.cnnUnsupported !== undefined) notes.push(`${s.label}: no CNN workload: ${s.cnnUnsupported}.`);
    for (const n of s.notes ?? []) notes.push(`${s.label}: ${n}`);
  }
  for (const r of seed) {
    if (r.dtype === "float64" && r.maxRelDiffReference > 1e-12) {
      notes.push(
        `${r.label} float64 follows the notebook's float64 losses only to ${r.maxRelDiffReference.toExponential(1)} ` +
          "relative (tapegrad float64: to rounding), so some of its float64 arithmetic is less precise than float64.",
      );
    }
  }
  const results: Results = {
    machine: {
      date: new Date().toISOString(),
      commit: revision(),
      cpu: cpu[0]?.model ?? "unknown",
      cores: cpu.length,
      node: process.version,
      platform: `${platform()} ${release()}`,
      loadAverageStart,
      loadAverageEnd: loadavg(),
    },
    settings,
    // One line per system and dtype: the CNN process starts the same backend as the seed one.
    backends: reports
      .filter((r, i) => reports.findIndex((q) => q.system === r.system && q.dtype === r.dtype) === i)
      .map((r) => ({
        system: r.system,
        dtype: r.dtype,
        backend:
          reports.find((q) => q.system === r.system && q.dtype === r.dtype && q.backend !== "")?.backend ??
          "",
      })),
    seed,
    cnn,
    matmul: matmulRows(reports),
    extras: extraRows(reports),
    notes,
    warnings,
    totalSeconds: (performance.now() - start) / 1000,
  };
  console.log(`\n${renderTerminal(results)}`);
  if (args.write) {
    mkdirSync(args.out, { recursive: true });
    writeFileSync(join(args.out, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(args.out, "latest.md"), renderMarkdown(results));
    console.log(`\nwrote ${join(args.out, "latest.json")} and latest.md`);
  }
}

main();
