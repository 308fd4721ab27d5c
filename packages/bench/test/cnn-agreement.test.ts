// The CNN workload's implementations compute the same thing: the same first-batch loss from the shared
// initial weights, the same losses after a few steps with a learning rate large enough for a wrong
// gradient to show, and a report that scales partial epochs and flags a system that disagrees.

import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, test } from "vitest";
import {
  CNN,
  type CnnData,
  type CnnInit,
  type CnnTrainer,
  cnnData,
  loadCnnInit,
  trainCnnEpoch,
} from "../src/cnn.js";
import type { CnnReport, RunnerReport } from "../src/protocol.js";
import { cnnRows } from "../src/report.js";
import { jaxCnnTrainer, useJaxWasm } from "../src/systems/jax.js";
import { tapegradCnnTrainer } from "../src/systems/tapegrad.js";
import { tfjsCnnTrainer, useTfBackend } from "../src/systems/tfjs.js";
import { loadSeedData } from "../src/workload.js";

type Make = (data: CnnData, init: CnnInit, lr?: number) => CnnTrainer;

let data: CnnData;
let init: CnnInit;

beforeAll(async () => {
  data = cnnData(loadSeedData().train);
  init = loadCnnInit();
  await useTfBackend("cpu");
  await useJaxWasm();
});

/** `count` batches of `size` rows from the start of `data`: TF.js cpu's weight gradient is slow at 64. */
function small(size: number, count: number): CnnData {
  const n = size * count;
  const batches = Array.from({ length: count }, (_, b) => ({ start: b * size, end: (b + 1) * size }));
  return { n, x: data.x.slice(0, n * 64), labels: data.labels.slice(0, n), batches };
}

function losses(make: Make, d: CnnData, lr?: number): number[] {
  const trainer = make(d, init, lr);
  try {
    trainer.reset();
    return trainCnnEpoch(trainer, d).batchLosses;
  } finally {
    trainer.dispose();
  }
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

test("the workload is 1500 rows in 23 batches of 64 and a last of 28, pixels in [0, 1]", () => {
  expect(data.n).toBe(1500);
  expect(data.batches).toHaveLength(24);
  expect(data.batches.at(-1)).toEqual({ start: 1472, end: 1500 });
  expect(Math.max(...data.x)).toBe(1);
  expect(init.fc1.weightShape).toEqual([128, 256]);
});

const PEERS: { name: string; make: Make }[] = [
  { name: "TF.js cpu", make: tfjsCnnTrainer },
  { name: "jax-js", make: jaxCnnTrainer },
];

describe.each(PEERS)("$name", ({ make }) => {
  test("the first batch's loss from the shared initial weights agrees with tapegrad's", () => {
    const first = small(CNN.batchSize, 1);
    const [expected] = losses(tapegradCnnTrainer, first);
    const [loss] = losses(make, first);
    expect(relative(loss as number, expected as number)).toBeLessThan(1e-6);
  });

  // At lr 0.5 three steps move the fourth batch's loss by about 1e-2 relative (against lr 0), a thousand
  // times the tolerance, so a gradient that is wrong anywhere shows.
  test("the losses of three steps at lr 0.5 agree with tapegrad's, and repeat after reset()", () => {
    const d = small(8, 4);
    const expected = losses(tapegradCnnTrainer, d, 0.5);
    const untrained = losses(tapegradCnnTrainer, d, 0);
    expect(relative(expected[3] as number, untrained[3] as number)).toBeGreaterThan(1e-3);
    const trainer = make(d, init, 0.5);
    trainer.reset();
    const first = trainCnnEpoch(trainer, d).batchLosses;
    trainer.reset();
    const second = trainCnnEpoch(trainer, d).batchLosses;
    trainer.dispose();
    first.forEach((loss, i) => {
      expect(relative(loss, expected[i] as number)).toBeLessThan(1e-5);
    });
    expect(second).toEqual(first);
  });
});

test("TF.js wasm has the CNN's forward kernels but no conv2d weight gradient (why its row is unsupported)", async () => {
  await import("@tensorflow/tfjs-backend-wasm");
  for (const kernel of ["Conv2D", "Conv2DBackpropInput", "MaxPool", "MaxPoolGrad"]) {
    expect(tf.getKernel(kernel, "wasm")).toBeDefined();
  }
  expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBeUndefined();
});

test("the report scales partial epochs to the whole and checks losses over the same batches", () => {
  const report = (system: string, losses: number[], runsMs: number[], timedRows: number): RunnerReport => {
    const cnn: CnnReport = {
      rows: 1500,
      batches: 24,
      warmupBatches: 24,
      warmupMs: 1,
      timedBatches: losses.length,
      timedRows,
      runsMs,
      batchLosses: losses,
      deterministic: true,
    };
    return { system, dtype: "float32", backend: "", cnn, errors: [] };
  };
  const all = Array.from({ length: 24 }, (_, b) => 2.3 - b * 1e-3);
  const rows = cnnRows(
    [
      report("tapegrad-nn", all, [1000, 1200, 1100], 1500),
      report(
        "tfjs-cpu",
        all.slice(0, 3).map((l) => l * (1 + 1e-7)),
        [30_000],
        192,
      ),
      report(
        "jax-js",
        all.map((l) => l * 1.001),
        [20_000, 21_000],
        1500,
      ),
    ],
    [{ system: "tfjs-wasm", reason: "no kernel" }],
  );
  expect(rows.map((r) => [r.system, r.agrees])).toEqual([
    ["tapegrad-nn", true],
    ["tfjs-cpu", true],
    ["jax-js", false],
    ["tfjs-wasm", false],
  ]);
  expect(rows[0]?.medianS).toBeCloseTo(1.1);
  // 30 s for 192 of 1500 rows.
  expect(rows[1]?.medianS).toBeCloseTo((30 * 1500) / 192);
  expect(rows[1]?.vsTapegrad).toBeCloseTo((30 * 1500) / 192 / 1.1);
  expect(rows[3]?.unsupported).toBe("no kernel");
});
