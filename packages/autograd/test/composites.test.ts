// Composites have no vjp of their own; each must equal its definition (the same function spelled out from
// other ops, in its table row) in value and in gradient, on the fixed samples and on random ones.

import { type Tensor, vjp } from "@tapegrad/autograd";
import { expectAllClose } from "@tapegrad/autograd/testing";
import fc from "fast-check";
import { describe, test } from "vitest";
import { COMPOSITES } from "../src/registry.js";
import type { DifferentiableSpec, Sample } from "./cases.js";
import { ROWS, type SpecName } from "./op-specs.js";
import { drawInputs, fcParams, hash, inputsArb, noise, prng } from "./support.js";

const COMPOSITE_ROWS = ROWS.filter(
  (r): r is [SpecName, DifferentiableSpec] => r[0] in COMPOSITES && r[1].differentiable,
);

function matchesDefinition(s: Sample, xs: Tensor[], rnd: () => number): void {
  const reference = s.reference;
  if (reference === undefined) throw new Error(`${s.label}: the sample has no reference definition`);
  const [y, pullback] = vjp(s.call, ...xs);
  const [r, pullbackRef] = vjp(reference, ...xs);
  expectAllClose(y, r, { rtol: 1e-10, atol: 1e-12, message: `${s.label}: value` });
  const u = noise(y.shape, rnd);
  const gs = pullback(u);
  pullbackRef(u).forEach((g, i) => {
    expectAllClose(gs[i] as Tensor, g, { rtol: 1e-9, atol: 1e-12, message: `${s.label}: gradient ${i}` });
  });
}

describe.each(COMPOSITE_ROWS)("%s", (name, spec) => {
  test.each(spec.samples.map((s) => [s.label, s] as const))("matches its definition: %s", (label, s) => {
    const xs = drawInputs(s.shapes, s.domain ?? spec.domain, hash(`${name}/${label}`));
    matchesDefinition(s, xs, prng(hash(label)));
  });

  test("matches its definition on random shapes and values", () => {
    const cases = spec.random.chain((s) =>
      fc.tuple(fc.constant(s), inputsArb(s.shapes, s.domain ?? spec.domain), fc.integer()),
    );
    fc.assert(
      fc.property(cases, ([s, xs, seed]) => matchesDefinition(s, xs, prng(seed))),
      fcParams(),
    );
  });
});
