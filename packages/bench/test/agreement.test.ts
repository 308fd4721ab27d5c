// The benchmark's workload implementations compute the same thing: a few epochs of every system agree with
// tapegrad's float64 run and with the notebook, and the report flags a system that does not.

import { beforeAll, describe, expect, test } from "vitest";
import type { RunnerReport } from "../src/protocol.js";
import { seedRows } from "../src/report.js";
import { jaxTrainer, useJaxWasm } from "../src/systems/jax.js";
import { tapegradNnTrainer, tapegradRawTrainer } from "../src/systems/tapegrad.js";
import { tfjsTrainer, useTfBackend } from "../src/systems/tfjs.js";
import {
  type FloatDType,
  type LayerInit,
  loadReferenceLosses,
  loadSeedData,
  loadSeedInit,
  type SeedData,
  type SeedTrainer,
  trainSeed,
} from "../src/workload.js";

const EPOCHS = 3;
let data: SeedData;
let init: LayerInit[];
let baseline: number[];

beforeAll(async () => {
  data = loadSeedData();
  init = await loadSeedInit();
  await useTfBackend("cpu");
  await useJaxWasm();
  baseline = run(tapegradNnTrainer(data, init, "float64")).losses;
});

function run(trainer: SeedTrainer): { losses: number[]; accuracy: number } {
  try {
    trainer.reset();
    const r = trainSeed(trainer, EPOCHS);
    return { losses: r.losses, accuracy: r.accuracies.at(-1)?.accuracy ?? Number.NaN };
  } finally {
    trainer.dispose();
  }
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

test("tapegrad float64 replays the notebook's first losses to rounding", () => {
  const reference = loadReferenceLosses();
  baseline.forEach((loss, i) => {
    expect(relative(loss, reference[i] as number)).toBeLessThan(1e-13);
  });
});

// Tolerances on every epoch's loss relative to tapegrad (nn) float64: float32 rounding for float32 rows;
// jax-js float64 evaluates exp to about 1e-8 relative, so its row allows 1e-7.
const CASES: { name: string; dtype: FloatDType; rtol: number; make: () => SeedTrainer }[] = [
  { name: "tapegrad nn", dtype: "float32", rtol: 1e-5, make: () => tapegradNnTrainer(data, init, "float32") },
  {
    name: "tapegrad raw",
    dtype: "float64",
    rtol: 1e-13,
    make: () => tapegradRawTrainer(data, init, "float64"),
  },
  {
    name: "tapegrad raw",
    dtype: "float32",
    rtol: 1e-5,
    make: () => tapegradRawTrainer(data, init, "float32"),
  },
  { name: "TF.js cpu", dtype: "float32", rtol: 1e-5, make: () => tfjsTrainer(data, init) },
  { name: "jax-js", dtype: "float32", rtol: 1e-5, make: () => jaxTrainer(data, init, "float32") },
  { name: "jax-js", dtype: "float64", rtol: 1e-7, make: () => jaxTrainer(data, init, "float64") },
];

describe.each(CASES)("$name $dtype", ({ rtol, make }) => {
  test(`every one of ${EPOCHS} epochs' losses agrees with tapegrad float64`, () => {
    const { losses, accuracy } = run(make());
    expect(losses).toHaveLength(EPOCHS);
    losses.forEach((loss, i) => {
      expect(relative(loss, baseline[i] as number)).toBeLessThan(rtol);
    });
    expect(accuracy).toBeGreaterThan(0);
  });

  test("a second run from reset() repeats the first exactly", () => {
    const trainer = make();
    trainer.reset();
    const first = trainSeed(trainer, 2).losses;
    trainer.reset();
    const second = trainSeed(trainer, 2).losses;
    trainer.dispose();
    expect(second).toEqual(first);
  });
});

test("the report marks a final loss outside the tolerance", () => {
  const report = (system: string, dtype: FloatDType, final: number): RunnerReport => ({
    system,
    dtype,
    backend: "",
    seed: {
      warmupEpochs: 1,
      warmupMs: 1,
      runsMs: [100, 120, 110],
      losses: [1, final],
      accuracies: [{ epoch: 1, accuracy: 0.5 }],
      deterministic: true,
    },
    errors: [],
  });
  const rows = seedRows(
    [
      report("tapegrad-nn", "float64", 0.5),
      report("tapegrad-nn", "float32", 0.50001),
      report("jax-js", "float32", 0.51),
    ],
    [1, 0.5],
  );
  expect(rows.map((r) => r.agrees)).toEqual([true, true, false]);
  expect(rows[2]?.vsTapegrad).toBeCloseTo(1);
  expect(rows[0]?.medianS).toBeCloseTo(0.11);
});
