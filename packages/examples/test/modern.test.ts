import { zeros } from "@tapegrad/autograd";
import { describe, expect, test } from "vitest";
import { MODERN_RECIPE, modernModel, trainModern } from "../src/index.js";

describe("modern recipe", () => {
  test(`reaches at least 97% test accuracy on rows 1500..1795 in ${MODERN_RECIPE.epochs} epochs`, () => {
    const run = trainModern();
    expect(run.epochs).toBe(MODERN_RECIPE.epochs);
    expect(run.history.every((h) => h.testAccuracy !== null)).toBe(true);
    expect(run.testAccuracy).toBeGreaterThanOrEqual(0.97);
    expect(run.finalLoss).toBeLessThan(run.history[0]?.loss as number);
  });

  test("the same seed gives the same run; another seed another one", () => {
    const a = trainModern({ epochs: 1, seed: 7 });
    const b = trainModern({ epochs: 1, seed: 7 });
    const c = trainModern({ epochs: 1, seed: 8 });
    expect(a.finalLoss).toBe(b.finalLoss);
    expect(c.finalLoss).not.toBe(a.finalLoss);
  });

  test("the model is the convolutional network of MODERN_RECIPE and outputs logits", () => {
    const model = modernModel({ dtype: "float64" });
    expect(Object.entries(model.stateDict()).map(([name, p]) => [name, p.shape])).toEqual([
      ["1.weight", [32, 1, 3, 3]],
      ["1.bias", [32]],
      ["3.weight", [32, 32, 3, 3]],
      ["3.bias", [32]],
      ["6.weight", [64, 32, 3, 3]],
      ["6.bias", [64]],
      ["10.weight", [128, 256]],
      ["10.bias", [128]],
      ["13.weight", [10, 128]],
      ["13.bias", [10]],
    ]);
    expect(model.parameters()[0]?.dtype).toBe("float64");
    expect(model.call(zeros([2, 64], { dtype: "float64" })).shape).toEqual([2, 10]);
  });
});
