// Every Module class @tapegrad/nn exports has a row here and is gradchecked in float64 with respect to its
// float inputs and all its parameters: a layer or loss added without a row fails the first test. (The
// per-layer suites check more settings; this table is the guard that nothing is left out.)

import { Generator, rand, randn, type Tensor, tensor } from "@tapegrad/autograd";
import * as nn from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { checkModule } from "./gradcheck-helpers.js";

const f64 = { dtype: "float64" } as const;
const gen = (seed: number) => new Generator(seed);
const x64 = (shape: number[], seed = 1) => randn(shape, { ...f64, generator: gen(seed) });
/** Values in ±[0.1, 2): away from the kinks of relu-like layers and the ties of max pooling. */
const awayFromZero = (shape: number[], seed = 1) =>
  rand(shape, { ...f64, low: 0.1, high: 2, generator: gen(seed) }).mul(
    rand(shape, { ...f64, generator: gen(seed + 1) })
      .gt(0.5)
      .cast("float64")
      .mul(2)
      .sub(1),
  );
const labels = (values: number[]) => tensor(values, { dtype: "int32" });

interface Row {
  make: () => nn.Module;
  /** Inputs; int32 ones are held fixed, float ones are checked with the parameters. */
  inputs: () => Tensor[];
}

const ROWS: Record<string, Row> = {
  Linear: { make: () => new nn.Linear(3, 2, { ...f64, generator: gen(0) }), inputs: () => [x64([4, 3])] },
  FullyConnect: {
    make: () => new nn.FullyConnect(3, 2, { ...f64, init: "notebook", generator: gen(0) }),
    inputs: () => [x64([2, 3])],
  },
  Conv2d: {
    make: () => new nn.Conv2d(2, 3, 3, { ...f64, padding: 1, stride: 2, generator: gen(0) }),
    inputs: () => [x64([2, 2, 5, 5])],
  },
  ConvTranspose2d: {
    make: () => new nn.ConvTranspose2d(2, 2, 3, { ...f64, stride: 2, padding: 1, generator: gen(0) }),
    inputs: () => [x64([1, 2, 3, 3])],
  },
  MaxPool2d: { make: () => new nn.MaxPool2d(2), inputs: () => [x64([1, 2, 4, 4])] },
  AvgPool2d: {
    make: () => new nn.AvgPool2d(3, { stride: 1, padding: 1 }),
    inputs: () => [x64([1, 2, 4, 4])],
  },
  AdaptiveAvgPool2d: { make: () => new nn.AdaptiveAvgPool2d([2, 3]), inputs: () => [x64([1, 2, 5, 7])] },
  AdaptiveMaxPool2d: { make: () => new nn.AdaptiveMaxPool2d([2, 3]), inputs: () => [x64([1, 2, 5, 7])] },
  BatchNorm1d: { make: () => new nn.BatchNorm1d(3, f64), inputs: () => [x64([4, 3])] },
  BatchNorm2d: { make: () => new nn.BatchNorm2d(2, f64), inputs: () => [x64([2, 2, 3, 3])] },
  LayerNorm: { make: () => new nn.LayerNorm([2, 3], f64), inputs: () => [x64([3, 2, 3])] },
  Embedding: {
    make: () => new nn.Embedding(4, 3, { ...f64, generator: gen(0) }),
    inputs: () => [labels([0, 3, 3, 1])],
  },
  Sigmoid: { make: () => new nn.Sigmoid(), inputs: () => [x64([3, 2])] },
  Tanh: { make: () => new nn.Tanh(), inputs: () => [x64([3, 2])] },
  ReLU: { make: () => new nn.ReLU(), inputs: () => [awayFromZero([3, 2])] },
  LeakyReLU: { make: () => new nn.LeakyReLU({ slope: 0.2 }), inputs: () => [awayFromZero([3, 2])] },
  SiLU: { make: () => new nn.SiLU(), inputs: () => [x64([3, 2])] },
  Softmax: { make: () => new nn.Softmax(), inputs: () => [x64([3, 4])] },
  Dropout: {
    make: () => new nn.Dropout(0.5, { generator: gen(0) }),
    inputs: () => [x64([4, 3])],
  },
  Flatten: { make: () => new nn.Flatten(), inputs: () => [x64([2, 2, 3])] },
  Unflatten: { make: () => new nn.Unflatten(1, [2, 3]), inputs: () => [x64([2, 6])] },
  Sequential: {
    make: () =>
      new nn.Sequential(
        new nn.Linear(3, 4, { ...f64, generator: gen(1) }),
        new nn.Tanh(),
        new nn.Linear(4, 2, { ...f64, generator: gen(2) }),
      ),
    inputs: () => [x64([2, 3])],
  },
  QuadraticLoss: { make: () => new nn.QuadraticLoss(), inputs: () => [x64([3, 4]), labels([0, 3, 1])] },
  MSELoss: { make: () => new nn.MSELoss(), inputs: () => [x64([3, 2]), x64([3, 2], 7)] },
  CrossEntropyLoss: {
    make: () => new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }),
    inputs: () => [x64([3, 4]), labels([0, 3, 1])],
  },
  BCELoss: {
    make: () => new nn.BCELoss(),
    inputs: () => [rand([3, 2], { ...f64, low: 0.1, high: 0.9, generator: gen(3) }), x64([3, 2]).sigmoid()],
  },
  BCEWithLogitsLoss: {
    make: () => new nn.BCEWithLogitsLoss(),
    inputs: () => [x64([3, 2]), x64([3, 2], 4).sigmoid()],
  },
};

/** Abstract bases, checked through their subclasses. */
const ABSTRACT: unknown[] = [nn.BatchNorm];

/** The exported classes that are Modules (the base class and abstract bases aside), by export name. */
const exportedModules = Object.entries(nn)
  .filter(([, v]) => typeof v === "function" && v.prototype instanceof nn.Module && !ABSTRACT.includes(v))
  .map(([name]) => name)
  .sort();

describe("every exported Module", () => {
  test("has a row in this table", () => {
    expect(exportedModules.length).toBeGreaterThan(20);
    expect(Object.keys(ROWS).sort()).toEqual(exportedModules);
  });

  test.each(Object.entries(ROWS))("%s: gradients match finite differences", (_, row) => {
    const module = row.make();
    const inputs = row.inputs();
    const float = inputs.filter((x) => x.dtype !== "int32");
    const fixed = inputs.filter((x) => x.dtype === "int32");
    // Bind the int32 inputs (labels, ids) so that only float inputs and parameters are perturbed.
    const bound = new (class extends nn.Module {
      inner = module;
      forward(...xs: Tensor[]): Tensor {
        const all: Tensor[] = [];
        let f = 0;
        let i = 0;
        for (const x of inputs) all.push(x.dtype === "int32" ? (fixed[i++] as Tensor) : (xs[f++] as Tensor));
        return this.inner.call(...all) as Tensor;
      }
    })();
    // Dropout draws a new mask per call; finite differences need the same mask, so it is checked in
    // eval mode here (its training-mode gradient is checked with a fixed mask in layers.test.ts).
    if (module instanceof nn.Dropout) bound.eval();
    expect(checkModule(bound, float)).toBeGreaterThan(0);
  });
});
