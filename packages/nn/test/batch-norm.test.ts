import { readFileSync } from "node:fs";
import { Generator, randn, ShapeError, type Tensor, tensor, ValueError } from "@tapegrad/autograd";
import { expectAllClose } from "@tapegrad/autograd/testing";
import { BatchNorm1d, BatchNorm2d, loadSafetensors, saveSafetensors } from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { checkModule } from "./gradcheck-helpers.js";

const f64 = { dtype: "float64" } as const;
const x64 = (shape: number[], seed = 1) => randn(shape, { ...f64, generator: new Generator(seed) });

interface Stored {
  shape: number[];
  data: number[];
}
interface Step {
  x: Stored;
  y: Stored;
  g: Stored;
  gx: Stored;
  gw: Stored;
  gb: Stored;
}
interface Case {
  layer: "BatchNorm1d" | "BatchNorm2d";
  momentum: number | null;
  init: { weight: Stored; bias: Stored };
  steps: Step[];
  running_mean: Stored;
  running_var: Stored;
  num_batches_tracked: number;
  eval: { x: Stored; y: Stored };
}
const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/torch-batchnorm.json", import.meta.url), "utf8"),
) as {
  torch: string;
  cases: Case[];
};
const load = (s: Stored): Tensor => tensor(s.data, { shape: s.shape, dtype: "float64" });
const close = { rtol: 1e-12, atol: 1e-12 };

describe(`BatchNorm against PyTorch ${fixture.torch}`, () => {
  test.each(fixture.cases.map((c) => [`${c.layer} momentum ${c.momentum}`, c] as const))(
    "%s: outputs, gradients, running statistics and evaluation agree",
    (_, c) => {
      const Layer = c.layer === "BatchNorm1d" ? BatchNorm1d : BatchNorm2d;
      const bn = new Layer(3, { ...f64, momentum: c.momentum });
      bn.loadStateDict({ ...bn.stateDict(), weight: load(c.init.weight), bias: load(c.init.bias) });
      for (const step of c.steps) {
        bn.zeroGrad();
        const x = load(step.x);
        x.requiresGrad = true;
        const y = bn.call(x);
        expectAllClose(y, load(step.y), { ...close, message: "output" });
        y.backward(load(step.g));
        expectAllClose(x.grad as Tensor, load(step.gx), { ...close, message: "input gradient" });
        expectAllClose(bn.weight?.grad as Tensor, load(step.gw), { ...close, message: "weight gradient" });
        expectAllClose(bn.bias?.grad as Tensor, load(step.gb), { ...close, message: "bias gradient" });
      }
      expectAllClose(bn.running_mean as Tensor, load(c.running_mean), { ...close, message: "running mean" });
      expectAllClose(bn.running_var as Tensor, load(c.running_var), { ...close, message: "running var" });
      expect(bn.num_batches_tracked?.item()).toBe(c.num_batches_tracked);
      bn.eval();
      expectAllClose(bn.call(load(c.eval.x)), load(c.eval.y), { ...close, message: "evaluation" });
    },
  );
});

describe("BatchNorm layers", () => {
  test("gradients match finite differences in training and in evaluation mode", () => {
    const bn = new BatchNorm2d(2, f64);
    bn.weight = x64([2], 5);
    bn.weight.requiresGrad = true;
    expect(checkModule(bn, [x64([3, 2, 2, 3])])).toBeGreaterThan(0);
    expect(checkModule(new BatchNorm1d(3, f64).eval(), [x64([4, 3])])).toBeGreaterThan(0);
    expect(
      checkModule(new BatchNorm1d(2, { ...f64, trackRunningStats: false }), [x64([3, 2, 4])]),
    ).toBeGreaterThan(0);
  });

  test("the state dict has PyTorch's names, round-trips through safetensors, and loads strictly", () => {
    const a = new BatchNorm2d(3, f64);
    a.call(x64([2, 3, 4, 4]));
    const sd = a.stateDict();
    expect(Object.entries(sd).map(([k, v]) => [k, v.shape, v.dtype])).toEqual([
      ["weight", [3], "float64"],
      ["bias", [3], "float64"],
      ["running_mean", [3], "float64"],
      ["running_var", [3], "float64"],
      ["num_batches_tracked", [], "int32"],
    ]);
    const b = new BatchNorm2d(3, f64);
    b.loadStateDict(loadSafetensors(saveSafetensors(sd)).tensors);
    expect(b.running_mean?.toArray()).toEqual(a.running_mean?.toArray());
    expect(b.num_batches_tracked?.item()).toBe(1);
    const { running_var: _, ...partial } = sd;
    expect(() => b.loadStateDict(partial)).toThrow(/missing "running_var"/);
  });

  test("without running statistics or affine parameters, less is kept", () => {
    const bn = new BatchNorm1d(2, { affine: false, trackRunningStats: false });
    expect(bn.parameters().length).toBe(0);
    expect(Object.keys(bn.stateDict())).toEqual([]);
    expect(
      bn
        .eval()
        .call(
          tensor([
            [1, 2],
            [3, 6],
          ]),
        )
        .toArray(),
    ).toEqual(
      bn
        .train()
        .call(
          tensor([
            [1, 2],
            [3, 6],
          ]),
        )
        .toArray(),
    );
  });

  test("bad settings and inputs get errors that name the layer and the rule", () => {
    expect(() => new BatchNorm2d(0)).toThrow(/^BatchNorm2d: numFeatures must be a positive integer; got 0/);
    expect(() => new BatchNorm1d(2, { momentum: 2 })).toThrow(ValueError);
    const bn = new BatchNorm2d(3);
    expect(() => bn.call(randn([2, 4, 3, 3]))).toThrow(
      /^BatchNorm2d: input \[2, 4, 3, 3\] must have 4 axes with 3 channels on axis 1/,
    );
    expect(() => new BatchNorm1d(3).call(randn([1, 3]))).toThrow(ShapeError);
    expect(() => new BatchNorm1d(3).call(randn([1, 3]))).toThrow(/more than one value per channel/);
    expect(new BatchNorm1d(3).eval().call(randn([1, 3])).shape).toEqual([1, 3]);
  });
});
