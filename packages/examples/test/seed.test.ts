import { readFileSync } from "node:fs";
import { loadSafetensorsFile } from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { isEvalEpoch, SEED_RECIPE, seedModel, trainSeed } from "../src/index.js";

interface Trajectory {
  epochs: number;
  train_loss_per_epoch: number[];
  /** Keyed by epoch: 0, 10, ..., 340 and the last epoch, 349. */
  test_accuracy_every_10_epochs: Record<string, number>;
}

const fixture = (name: string): string => new URL(`fixtures/${name}`, import.meta.url).pathname;
const reference = JSON.parse(readFileSync(fixture("seed-0.trajectory.json"), "utf8")) as Trajectory;

describe("seed recipe", () => {
  test("the reference accuracies are at epochs 0, 10, ..., 340 and 349 (36 values)", () => {
    const epochs = Object.keys(reference.test_accuracy_every_10_epochs).map(Number);
    const expected = Array.from({ length: SEED_RECIPE.epochs }, (_, e) => e).filter((e) =>
      isEvalEpoch(e, SEED_RECIPE.epochs, SEED_RECIPE.evalEvery),
    );
    expect(epochs).toEqual(expected);
    expect(epochs).toHaveLength(36);
  });

  test("from the notebook's initial weights in float64, it replays the notebook's run", async () => {
    const { tensors } = await loadSafetensorsFile(fixture("seed-0.init.safetensors"));
    const run = trainSeed({ dtype: "float64", init: tensors });
    expect(run.history).toHaveLength(350);
    const worst = Math.max(
      ...run.history.map((h, e) => {
        const want = reference.train_loss_per_epoch[e] as number;
        return Math.abs(h.loss - want) / Math.abs(want);
      }),
    );
    expect(worst).toBeLessThan(1e-9);
    const accuracies = Object.fromEntries(
      run.history.flatMap((h) => (h.testAccuracy === null ? [] : [[String(h.epoch), h.testAccuracy]])),
    );
    expect(accuracies).toEqual(reference.test_accuracy_every_10_epochs);
    expect(run.finalLoss).toBe(run.history[349]?.loss);
    expect(run.testAccuracy).toBe(reference.test_accuracy_every_10_epochs["349"]);
  });

  test("seedModel draws the notebook's distributions from the seed, named like PyTorch", () => {
    const a = seedModel({ seed: 4, dtype: "float64" }).stateDict();
    const b = seedModel({ seed: 4, dtype: "float64" }).stateDict();
    expect(Object.keys(a)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]);
    expect(a["0.weight"]?.toArray()).toEqual(b["0.weight"]?.toArray());
    expect(a["0.weight"]?.std().item()).toBeCloseTo(1 / 8, 1);
    expect(a["2.weight"]?.shape).toEqual([16, 32]);
  });

  test("a short float32 run lowers the loss and reports the accuracy after its last epoch", () => {
    const seen: number[] = [];
    const run = trainSeed({ epochs: 12, onEpoch: (r) => seen.push(r.epoch) });
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(run.dtype).toBe("float32");
    expect(run.history.map((h) => h.testAccuracy !== null)).toEqual(
      Array.from({ length: 12 }, (_, e) => e === 0 || e === 10 || e === 11),
    );
    expect(run.finalLoss).toBeLessThan(run.history[0]?.loss as number);
  });
});
