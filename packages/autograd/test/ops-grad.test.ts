// Every sample of every differentiable row, checked against central differences in float64: the full
// Jacobian (gradcheck) of the output weighted by random non-unit factors, so every vjp sees cotangents
// other than 0 and 1 (a rule returning g² instead of g passes with one-hot seeds), and, for order-2 rows,
// the derivatives of the backward pass with a random cotangent (gradgradcheck).

import { gradcheck, gradgradcheck, mul, noGrad, type Tensor, tensor } from "@tapegrad/autograd";
import { describe, expect, test } from "vitest";
import type { DifferentiableSpec, Sample } from "./cases.js";
import { ROWS, type SpecName } from "./op-specs.js";
import { DEFAULT_TOL, drawInputs, hash, noise, prng } from "./support.js";

const DIFFERENTIABLE = ROWS.filter((r): r is [SpecName, DifferentiableSpec] => r[1].differentiable);

describe.each(DIFFERENTIABLE)("%s", (name, spec) => {
  const tol = { ...DEFAULT_TOL, ...spec.tol };
  const inputs = (label: string, s: Sample) =>
    drawInputs(s.shapes, s.domain ?? spec.domain, hash(`${name}/${label}`));

  test.each(spec.samples.map((s) => [s.label, s] as const))("gradcheck: %s", (label, s) => {
    const xs = inputs(label, s);
    const y = noGrad(() => s.call(...xs));
    // Weights in ±[0.5, 1.5): never 0 or 1, so each row of the Jacobian is seeded with a random cotangent.
    const u = noise(y.shape, prng(hash(`${name}/${label}/w`))).data();
    const weights = tensor(
      u.map((v) => (v < 0 ? -0.5 : 0.5) + v),
      { shape: y.shape },
    );
    const report = gradcheck((...zs: Tensor[]) => mul(s.call(...zs), weights), xs, tol);
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
