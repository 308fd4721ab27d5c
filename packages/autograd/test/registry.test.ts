// The op table covers the registry exactly, so an op added without test samples fails here as well as
// in the typecheck.

import { describe, expect, test } from "vitest";
import { COMPOSITES, OPS } from "../src/registry.js";
import { OP_SPECS, ROWS } from "./op-specs.js";

describe("op table", () => {
  test("its keys are exactly the registry's primitives and composites", () => {
    const registry = [...Object.keys(OPS), ...Object.keys(COMPOSITES)].sort();
    expect(Object.keys(OP_SPECS).sort()).toEqual(registry);
  });

  test("every primitive's name field equals its registry key", () => {
    for (const [key, op] of Object.entries(OPS)) expect(op.name).toBe(key);
  });

  test("rows of ops without a vjp are marked non-differentiable, and the others differentiable", () => {
    for (const [key, op] of Object.entries(OPS)) {
      const spec = OP_SPECS[key as keyof typeof OPS];
      expect({ key, differentiable: spec.differentiable }).toEqual({
        key,
        differentiable: op.vjp !== undefined,
      });
    }
  });

  test.each(ROWS.filter(([name, spec]) => name in COMPOSITES && spec.differentiable))(
    "composite %s: every sample carries the definition it must match",
    (_, spec) => {
      for (const s of spec.samples) expect(s.reference, s.label).toBeTypeOf("function");
    },
  );
});
