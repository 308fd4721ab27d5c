// tapegrad against PyTorch: values and gradients of conv2d, convTranspose2d, maxPool2d, avgPool2d and the
// adaptive poolings on the float64 inputs stored in fixtures/torch-conv.json (written by
// scripts/torch-conv-reference.py), for the options both libraries share: stride, padding (numbers,
// pairs, "same"), output padding, dilation, groups, countIncludePad, ceilMode, output sizes.

import { readFileSync } from "node:fs";
import {
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  avgPool2d,
  conv2d,
  convTranspose2d,
  maxPool2d,
  type Tensor,
  tensor,
  vjp,
} from "@tapegrad/autograd";
import { expectAllClose } from "@tapegrad/autograd/testing";
import { describe, test } from "vitest";

interface Stored {
  shape: number[];
  data: number[];
}
interface Case {
  op: "conv2d" | "convTranspose2d" | "maxPool2d" | "avgPool2d" | "adaptiveAvgPool2d" | "adaptiveMaxPool2d";
  kernel?: number | [number, number];
  options: Record<string, unknown>;
  inputs: Stored[];
  output: Stored;
  cotangent: Stored;
  grads: Stored[];
}

const fixture = JSON.parse(readFileSync(new URL("./fixtures/torch-conv.json", import.meta.url), "utf8")) as {
  torch: string;
  cases: Case[];
};
const load = (s: Stored): Tensor => tensor(s.data, { shape: s.shape, dtype: "float64" });

function run(c: Case): (...xs: Tensor[]) => Tensor {
  const o = c.options;
  switch (c.op) {
    case "conv2d":
      return (x, w, b) => conv2d(x, w, b ?? null, o);
    case "convTranspose2d":
      return (x, w, b) => convTranspose2d(x, w, b ?? null, o);
    case "maxPool2d":
      return (x) => maxPool2d(x, c.kernel!, o);
    case "avgPool2d":
      return (x) => avgPool2d(x, c.kernel!, o);
    case "adaptiveAvgPool2d":
      return (x) => adaptiveAvgPool2d(x, c.kernel!);
    case "adaptiveMaxPool2d":
      return (x) => adaptiveMaxPool2d(x, c.kernel!);
  }
}

describe(`PyTorch ${fixture.torch} reference`, () => {
  test.each(
    fixture.cases.map((c) => [`${c.op} ${JSON.stringify({ kernel: c.kernel, ...c.options })}`, c] as const),
  )("%s: same value and gradients", (label, c) => {
    const [y, pullback] = vjp(run(c), ...c.inputs.map(load));
    expectAllClose(y, load(c.output), { rtol: 1e-12, atol: 1e-12, message: `${label}: value` });
    pullback(load(c.cotangent)).forEach((g, i) => {
      expectAllClose(g, load(c.grads[i]!), { rtol: 1e-12, atol: 1e-12, message: `${label}: gradient ${i}` });
    });
  });
});
