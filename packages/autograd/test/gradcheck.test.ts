// The library's own gradient checkers (users call them on their models): they accept correct rules,
// catch wrong first and second derivatives, and report where; the assert variants throw with the report.
// Also setDetectAnomaly, the global switch of anomaly mode.

import {
  AnomalyError,
  assertGradcheck,
  assertGradgradcheck,
  customVjp,
  GradcheckError,
  gradcheck,
  gradgradcheck,
  log,
  setDetectAnomaly,
  stopGradient,
  type Tensor,
  tensor,
} from "@tapegrad/autograd";
import { describe, expect, test } from "vitest";
import { f64, i32 } from "./cases.js";

// x³ with a rule that is right at first order but detaches x, so its second derivative is wrong (0).
const cubeDetached = customVjp(
  (x: Tensor) => x.pow(3),
  ({ inputs: [x], g }) => [
    g.mul(
      stopGradient(x as Tensor)
        .square()
        .mul(3),
    ),
  ],
);
// x³ whose rule forgets the factor 3.
const cubeWrong = customVjp(
  (x: Tensor) => x.pow(3),
  ({ inputs: [x], g }) => [g.mul((x as Tensor).square())],
);

describe("gradcheck", () => {
  test("passes correct gradients, counting every Jacobian entry", () => {
    const r = gradcheck((a: Tensor, b: Tensor) => a.matmul(b).tanh(), [f64([[1, 2]]), f64([[0.1], [0.2]])]);
    expect(r.ok).toBe(true);
    expect(r.checked).toBe(2 + 2); // one output entry against 2 + 2 input entries
    expect(r.maxAbsError).toBeLessThan(1e-8);
    expect(r.toString()).toMatch(/^gradcheck passed: 4 entries/);
  });

  test("fails a wrong rule and points at the worst entry", () => {
    const r = gradcheck((x: Tensor) => cubeWrong(x), [f64([1, 2])]);
    expect(r.ok).toBe(false);
    expect(r.worst).toMatchObject({ input: 0, inputIndex: [1], outputIndex: [1] });
    expect(r.worst?.analytic).toBeCloseTo(4, 10);
    expect(r.worst?.numeric).toBeCloseTo(12, 5);
    expect(r.toString()).toMatch(
      /^gradcheck FAILED: 4 entries[\s\S]*worst: input 0 at \[1\], output \[1\]: analytic 4/,
    );
  });

  test("int32 inputs are passed through and not checked; the input index refers to the caller's list", () => {
    const r = gradcheck((idx: Tensor, x: Tensor) => cubeWrong(x.gather(idx)), [i32([1]), f64([1, 2])]);
    expect(r.ok).toBe(false);
    expect(r.worst?.input).toBe(1);
    expect(r.checked).toBe(2);
  });

  test("float32 inputs are checked in float64", () => {
    expect(
      gradcheck((x: Tensor) => x.exp().sum(), [tensor([0.5, 1])], { eps: 1e-6, rtol: 1e-6, atol: 1e-9 }).ok,
    ).toBe(true);
  });

  test("assertGradcheck throws a GradcheckError carrying the report", () => {
    expect(() => assertGradcheck((x: Tensor) => x.sin(), [f64([1])])).not.toThrow();
    let caught: unknown;
    try {
      assertGradcheck((x: Tensor) => cubeWrong(x), [f64([2])]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GradcheckError);
    expect((caught as GradcheckError).report.ok).toBe(false);
    expect((caught as Error).message).toMatch(/^gradcheck FAILED/);
  });
});

describe("gradgradcheck", () => {
  test("passes correct second derivatives", () => {
    expect(gradgradcheck((x: Tensor) => x.tanh().mul(x), [f64([0.5, -0.3])]).ok).toBe(true);
  });

  test("catches a rule that is right at first order but wrong at second", () => {
    expect(gradcheck((x: Tensor) => cubeDetached(x), [f64([1, 2])]).ok).toBe(true);
    const r = gradgradcheck((x: Tensor) => cubeDetached(x), [f64([1, 2])]);
    expect(r.ok).toBe(false);
    expect(r.toString()).toMatch(/^gradgradcheck FAILED/);
    expect(() => assertGradgradcheck((x: Tensor) => cubeDetached(x), [f64([1, 2])])).toThrow(GradcheckError);
  });

  test("different seeds draw different cotangents, each of which passes", () => {
    for (const seed of [1, 2, 3])
      expect(gradgradcheck((x: Tensor) => x.exp(), [f64([0.1, 0.2])], { seed }).ok).toBe(true);
  });
});

describe("setDetectAnomaly", () => {
  test("switches anomaly mode globally and returns the previous setting", () => {
    const before = setDetectAnomaly(true);
    try {
      expect(before).toBe(false);
      expect(() => log(tensor([-1]))).toThrow(AnomalyError);
    } finally {
      expect(setDetectAnomaly(before)).toBe(true);
    }
    expect(log(tensor([-1])).item()).toBeNaN();
  });
});
