// Every sample of every differentiable row, checked against central differences in float64: the full
// Jacobian (gradcheck) and, for order-2 rows, the derivatives of the backward pass with a random
// cotangent (gradgradcheck).

import { gradcheck, gradgradcheck } from "@tapegrad/autograd";
import { describe, expect, test } from "vitest";
import type { DifferentiableSpec } from "./cases.js";
import { ROWS, type SpecName } from "./op-specs.js";
import { DEFAULT_TOL, drawInputs, hash } from "./support.js";

const DIFFERENTIABLE = ROWS.filter((r): r is [SpecName, DifferentiableSpec] => r[1].differentiable);

describe.each(DIFFERENTIABLE)("%s", (name, spec) => {
  const tol = { ...DEFAULT_TOL, ...spec.tol };
  const inputs = (label: string, s: DifferentiableSpec["samples"][number]) =>
    drawInputs(s.shapes, s.domain ?? spec.domain, hash(`${name}/${label}`));

  test.each(spec.samples.map((s) => [s.label, s] as const))("gradcheck: %s", (label, s) => {
    const report = gradcheck(s.call, inputs(label, s), tol);
    expect(report.ok, report.toString()).toBe(true);
    expect(report.checked).toBeGreaterThan(0);
  });

  if (spec.order === 2) {
    test.each(spec.samples.map((s) => [s.label, s] as const))("gradgradcheck: %s", (label, s) => {
      const report = gradgradcheck(s.call, inputs(label, s), { ...tol, seed: hash(label) });
      expect(report.ok, report.toString()).toBe(true);
    });
  }
});
