// The op table covers the registry exactly, so an op added without test samples fails here as well as
// in the typecheck.

import { readdirSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { COMPOSITES, OPS } from "../src/registry.js";
import { OP_SPECS, ROWS } from "./op-specs.js";

// Every module of src/ops, listed from the directory: a new file of ops is covered without editing this test.
const OPS_DIR = new URL("../src/ops/", import.meta.url);
const OP_MODULES: Record<string, unknown>[] = await Promise.all(
  readdirSync(OPS_DIR)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => import(new URL(f, OPS_DIR).href) as Promise<Record<string, unknown>>),
);

describe("op table", () => {
  test("its keys are exactly the registry's primitives and composites", () => {
    const registry = [...Object.keys(OPS), ...Object.keys(COMPOSITES)].sort();
    expect(Object.keys(OP_SPECS).sort()).toEqual(registry);
  });

  test("every op declared in src/ops is in the registry (so it has a row)", () => {
    expect(OP_MODULES.length).toBeGreaterThan(5);
    const declared = OP_MODULES.flatMap((m) =>
      Object.values(m).filter(
        (v): v is { name: string } =>
          typeof v === "object" && v !== null && "forward" in v && "inputs" in v && "name" in v,
      ),
    );
    const registered = new Set<unknown>(Object.values(OPS));
    expect(declared.filter((op) => !registered.has(op)).map((op) => op.name)).toEqual([]);
    expect(declared.length).toBe(Object.keys(OPS).length);
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
