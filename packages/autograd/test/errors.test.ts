// Errors: every row's error cases (class + message), then the tape's, the transforms', the creation
// functions' and anomaly mode's. Each is matched by class and by a regex on the message.

import {
  AnomalyError,
  AutogradError,
  arange,
  customVjp,
  DTypeError,
  detectAnomaly,
  exp,
  eye,
  full,
  grad,
  gradients,
  jvp,
  linspace,
  log,
  rand,
  randint,
  randn,
  randperm,
  ShapeError,
  sqrt,
  TapegradError,
  type Tensor,
  tensor,
  ValueError,
  vjp,
  zeros,
} from "@tapegrad/autograd";
import { describe, expect, test } from "vitest";
import { f64, i32 } from "./cases.js";
import { ROWS } from "./op-specs.js";

function expectThrow(run: () => unknown, cls: new (message?: string) => Error, match: RegExp): Error {
  let caught: unknown;
  try {
    run();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${cls.name} matching ${match}`).toBeInstanceOf(cls);
  expect(caught).toBeInstanceOf(TapegradError);
  expect((caught as Error).message).toMatch(match);
  return caught as Error;
}

describe.each(ROWS.filter(([, spec]) => (spec.errors ?? []).length > 0))("%s", (_, spec) => {
  test.each((spec.errors ?? []).map((e) => [e.label, e] as const))("%s", (_label, e) => {
    expectThrow(e.run, e.throws, e.match);
  });
});

describe("the tape", () => {
  test("requiresGrad on int32 is a DTypeError, at creation and when set later", () => {
    expectThrow(
      () => tensor([1, 2], { dtype: "int32", requiresGrad: true }),
      DTypeError,
      /^requiresGrad: only floating-point tensors can require grad; got dtype int32 for a tensor of shape \[2\]/,
    );
    const labels = i32([1]);
    expectThrow(
      () => {
        labels.requiresGrad = true;
      },
      DTypeError,
      /requiresGrad: only floating-point/,
    );
  });

  test("backward() on a non-scalar without a gradient", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expectThrow(
      () => x.mul(2).backward(),
      AutogradError,
      /^backward: the output has shape \[2\]; a gradient is only implied for a one-element output, so pass gradOutput/,
    );
  });

  test("backward() with a gradient of the wrong shape", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expectThrow(
      () => x.mul(2).backward(tensor([1, 2, 3])),
      AutogradError,
      /^backward: gradOutput has shape \[3\] but the output has shape \[2\]/,
    );
  });

  test("backward() on a tensor that does not require grad", () => {
    expectThrow(
      () => tensor([1]).sum().backward(),
      AutogradError,
      /^backward: this tensor does not require grad/,
    );
  });

  test("a second backward through a freed graph names the op and the fix", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward();
    expectThrow(
      () => y.backward(),
      AutogradError,
      /^backward: the graph through 'sum' \(output \[\]\) was freed by an earlier backward; pass \{ retainGraph: true \}/,
    );
    // So does a new output that reuses the freed part.
    const e = x.exp();
    const z = e.sum();
    z.backward();
    expectThrow(
      () => e.mul(2).sum().backward(),
      AutogradError,
      /the graph through 'exp' \(output \[2\]\) was freed/,
    );
  });

  test("gradients(): unused input, and an output that does not require grad", () => {
    const x = tensor([1], { requiresGrad: true });
    const y = tensor([2], { requiresGrad: true });
    expectThrow(
      () => gradients(x.mul(3).sum(), [x, y]),
      AutogradError,
      /^gradients: input 1 \(shape \[1\]\) is not used to compute the outputs; pass \{ allowUnused: true \}/,
    );
    expectThrow(
      () => gradients(tensor([1]).sum(), [x]),
      AutogradError,
      /^gradients: output 0 does not require grad/,
    );
  });

  test("switching requiresGrad off on a non-leaf", () => {
    const y = tensor([1], { requiresGrad: true }).mul(2);
    expectThrow(
      () => {
        y.requiresGrad = false;
      },
      AutogradError,
      /cannot switch off on a tensor produced by an op; use detach\(\)/,
    );
  });

  test("item() of a tensor with several elements", () => {
    expectThrow(
      () => tensor([1, 2]).item(),
      ValueError,
      /^item: only a one-element tensor converts to a number; got shape \[2\]/,
    );
  });
});

describe("the transforms", () => {
  test("grad of a function whose output is not a scalar", () => {
    expectThrow(
      () => grad((x: Tensor) => x.mul(2))(tensor([1, 2])),
      AutogradError,
      /^grad: the function must return a scalar \(one element\); got shape \[2\] \(use vjp or jacobian/,
    );
  });

  test("grad with respect to an int32 argument", () => {
    expectThrow(
      () => grad((x: Tensor) => x.sum())(i32([1, 2])),
      DTypeError,
      /^grad: argument 0 has dtype int32; only float32 and float64 arguments can be differentiated/,
    );
    expectThrow(
      () => grad((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: 1 })(tensor([1]), i32([2])),
      DTypeError,
      /^grad: argument 1 has dtype int32/,
    );
  });

  test("grad of a function returning int32, or a non-tensor argument", () => {
    expectThrow(
      () => grad((x: Tensor) => x.cast("int32").sum())(tensor([1.5])),
      DTypeError,
      /^grad: the function returned dtype int32/,
    );
    expectThrow(
      () => grad((x: Tensor) => x.sum())(3 as unknown as Tensor),
      AutogradError,
      /^grad: argument 0 must be a Tensor/,
    );
  });

  test("vjp with a cotangent of the wrong shape; jvp with mismatched tangents", () => {
    const [, pullback] = vjp((x: Tensor) => x.mul(2), tensor([1, 2]));
    expectThrow(
      () => pullback(tensor([1])),
      AutogradError,
      /^vjp: cotangent has shape \[1\] but the output has shape \[2\]/,
    );
    expectThrow(
      () => jvp((x: Tensor) => x, [tensor([1])], []),
      ShapeError,
      /^jvp: got 1 primals but 0 tangents/,
    );
    expectThrow(
      () => jvp((x: Tensor) => x, [tensor([1])], [tensor([1, 2])]),
      ShapeError,
      /^jvp: tangent 0 has shape \[2\] but primal 0 has shape \[1\]/,
    );
  });

  test("a custom vjp rule with the wrong number or shape of cotangents", () => {
    const few = customVjp(
      (a: Tensor, b: Tensor) => a.mul(b),
      ({ g }) => [g],
      { name: "few" },
    );
    expectThrow(
      () => grad((a: Tensor) => few(a, tensor([2])).sum())(tensor([1])),
      AutogradError,
      /^few: the vjp rule returned 1 cotangents for 2 inputs/,
    );
    const wide = customVjp(
      (a: Tensor) => a.sum(),
      ({ g }) => [g.reshape([1]).broadcastTo([5])],
      { name: "wide" },
    );
    expectThrow(
      () => grad((a: Tensor) => wide(a))(tensor([1, 2])),
      AutogradError,
      /^wide: the vjp rule returned shape \[5\] for input 0 of shape \[2\]/,
    );
  });
});

describe("creation functions", () => {
  test("data whose length does not match the shape", () => {
    expectThrow(
      () => tensor([1, 2, 3], { shape: [2, 2] }),
      ValueError,
      /^tensor: data has 3 elements but shape \[2, 2\] needs 4/,
    );
  });

  test("ragged nested arrays", () => {
    expectThrow(
      () => tensor([[1, 2], [3]]),
      ValueError,
      /^tensor: ragged nested array; \[1\] has length 1, expected 2/,
    );
    expectThrow(() => tensor([[1], 2] as never), ValueError, /^tensor: ragged nested array/);
  });

  test.each([
    [
      "tensor: fraction",
      () => tensor([1.5], { dtype: "int32" }),
      /^tensor: value 1.5 at flat index 0 is not a 32-bit integer/,
    ],
    ["tensor: NaN", () => tensor([0, Number.NaN], { dtype: "int32" }), /^tensor: value NaN at flat index 1/],
    [
      "tensor: Infinity",
      () => tensor([Number.POSITIVE_INFINITY], { dtype: "int32" }),
      /^tensor: value Infinity/,
    ],
    [
      "tensor: out of range",
      () => tensor([2 ** 31], { dtype: "int32" }),
      /^tensor: value 2147483648 .* not a 32-bit integer/,
    ],
    ["full: fraction", () => full([2], 0.5, { dtype: "int32" }), /^full: value 0.5/],
    [
      "arange: fractional values",
      () => arange(0, 1, { step: 0.5, dtype: "int32" }),
      /^arange: value 0.5 at flat index 1/,
    ],
  ] as const)("int32 data must be integers (%s)", (_, run, match) => {
    expectThrow(run, ValueError, match);
  });

  test.each([
    ["arange stop NaN", () => arange(0, Number.NaN), /^arange: stop must be a finite number; got NaN/],
    [
      "arange stop Infinity",
      () => arange(0, Number.POSITIVE_INFINITY),
      /^arange: stop must be a finite number; got Infinity/,
    ],
    [
      "arange start -Infinity",
      () => arange(Number.NEGATIVE_INFINITY, 0),
      /^arange: start must be a finite number/,
    ],
    ["arange step NaN", () => arange(0, 1, { step: Number.NaN }), /^arange: step must be a finite number/],
    ["arange step 0", () => arange(0, 1, { step: 0 }), /^arange: step must not be 0/],
    [
      "linspace stop NaN",
      () => linspace(0, Number.NaN, 3),
      /^linspace: stop must be a finite number; got NaN/,
    ],
    [
      "linspace start Infinity",
      () => linspace(Number.POSITIVE_INFINITY, 1, 3),
      /^linspace: start must be a finite number/,
    ],
    [
      "linspace fractional num",
      () => linspace(0, 1, 2.5),
      /^linspace: num must be a non-negative integer; got 2.5/,
    ],
    ["rand low NaN", () => rand([2], { low: Number.NaN }), /^rand: low must be a finite number; got NaN/],
    [
      "rand high Infinity",
      () => rand([2], { high: Number.POSITIVE_INFINITY }),
      /^rand: high must be a finite number/,
    ],
    ["rand low above high", () => rand([2], { low: 2, high: 1 }), /^rand: low 2 is above high 1/],
    ["randn mean NaN", () => randn([2], { mean: Number.NaN }), /^randn: mean must be a finite number/],
    [
      "randn std Infinity",
      () => randn([2], { std: Number.POSITIVE_INFINITY }),
      /^randn: std must be a finite number/,
    ],
    ["randn negative std", () => randn([2], { std: -1 }), /^randn: std must be non-negative; got -1/],
    [
      "randint fractional bound",
      () => randint(0.5, 3, [2]),
      /^randint: need int32 bounds with low < high; got \[0.5, 3\)/,
    ],
    [
      "randint empty range",
      () => randint(2, 2, [2]),
      /^randint: need int32 bounds with low < high; got \[2, 2\)/,
    ],
    ["randint NaN bound", () => randint(0, Number.NaN, [2]), /^randint: need int32 bounds/],
    ["randperm negative", () => randperm(-1), /^randperm: n must be a non-negative integer; got -1/],
    ["randperm fractional", () => randperm(2.5), /^randperm: n must be a non-negative integer/],
    ["eye fractional", () => eye(1.5), /^eye: sizes must be non-negative integers; got 1.5 x 1.5/],
  ] as const)("NaN, Infinity and fractions where forbidden: %s", (_, run, match) => {
    expectThrow(run, ValueError, match);
  });

  test("shapes with negative or fractional sizes, and random draws of int32", () => {
    expectThrow(
      () => zeros([2, -1]),
      ShapeError,
      /^full: invalid shape \[2, -1\]; every size must be a non-negative integer/,
    );
    expectThrow(() => rand([1.5]), ShapeError, /^rand: invalid shape \[1.5\]/);
    expectThrow(
      () => rand([2], { dtype: "int32" }),
      DTypeError,
      /^rand: dtype must be float32 or float64; got int32 \(use randint\)/,
    );
    expectThrow(() => tensor([1], { dtype: "int8" as never }), DTypeError, /^tensor: unknown dtype "int8"/);
  });

  test("NaN and Infinity are allowed in floating-point data", () => {
    expect(tensor([Number.NaN, Number.POSITIVE_INFINITY]).size).toBe(2);
    expect(full([1], Number.NaN).item()).toBeNaN();
  });
});

describe("anomaly mode", () => {
  test("reports the first op whose forward makes NaN from finite inputs, by name", () => {
    const x = tensor([1, -1], { requiresGrad: true });
    const e = expectThrow(
      () => detectAnomaly(() => log(x).mul(2).sum()),
      AnomalyError,
      /^anomaly: 'log' produced NaN or Infinity in its forward pass from finite inputs \(\[2\] float32\)/,
    );
    expect(e.message).toMatch(/recorded at:/);
  });

  test("reports Infinity too, and only the op that made it (not the ops that carried it on)", () => {
    expectThrow(
      () => detectAnomaly(() => exp(tensor([100])).mul(2)),
      AnomalyError,
      /^anomaly: 'exp' produced/,
    );
    // Outside anomaly mode nothing is checked.
    expect(
      exp(tensor([100]))
        .mul(2)
        .item(),
    ).toBe(Number.POSITIVE_INFINITY);
    // Inputs that already hold NaN are not an anomaly of the op that receives them.
    expect(detectAnomaly(() => f64([Number.NaN]).mul(2).item())).toBeNaN();
  });

  test("reports the op whose backward makes NaN or Infinity from a finite gradient, with where it was recorded", () => {
    const x = f64([0, 4]);
    x.requiresGrad = true;
    const e = expectThrow(
      () =>
        detectAnomaly(() => {
          const y = sqrt(x).mul(3).sum();
          y.backward();
        }),
      AnomalyError,
      /^anomaly: the backward of 'sqrt' produced NaN or Infinity for input 'x' \[2\] from a finite gradient/,
    );
    expect(e.message).toMatch(/recorded at:\n.*errors\.test\.ts/);
  });

  test("a backward recorded outside anomaly mode still names the op", () => {
    const x = f64([0]);
    x.requiresGrad = true;
    const y = sqrt(x).sum();
    expectThrow(
      () => detectAnomaly(() => y.backward()),
      AnomalyError,
      /the backward of 'sqrt' .*\n\(recorded before anomaly mode was on\)/,
    );
  });

  test("anomaly mode is off again after detectAnomaly returns or throws", () => {
    try {
      detectAnomaly(() => log(tensor([-1])));
    } catch {
      // expected
    }
    expect(log(tensor([-1])).item()).toBeNaN();
  });
});
