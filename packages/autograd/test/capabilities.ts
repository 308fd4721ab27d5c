// The capability claims of every op (differentiable, second order, forward mode, dtypes), derived from the
// op table and the registry, and the docs page that lists them. capabilities.test.ts checks every claim;
// scripts/capabilities.ts writes the page to docs/guides/op-capabilities.md.

import * as api from "@tapegrad/autograd";
import { type DType, DTypeError } from "@tapegrad/autograd";
import { OPS } from "../src/registry.js";
import type { DTypeClaims, OpSpec, Sample } from "./cases.js";
import { ROWS, type SpecName } from "./op-specs.js";
import type { Domain } from "./support.js";

/** What the table claims for one op. */
export interface Capability {
  readonly name: SpecName;
  readonly kind: "primitive" | "composite";
  /** Exported from `@tapegrad/autograd` (the others are internal primitives the library uses itself). */
  readonly exported: boolean;
  /** Primitives: the op declares a vjp. Composites: the row is gradchecked. */
  readonly differentiable: boolean;
  /** Gradients of gradients are correct (the row's order is 2). */
  readonly secondOrder: boolean;
  /** `jvp` runs and agrees with central differences. */
  readonly forwardMode: boolean;
  readonly dtypes: DTypeClaims;
  /** The call the dtype claims are about. */
  readonly dtypeSample: Sample;
  readonly notes: readonly string[];
}

export const DTYPE_ORDER: readonly DType[] = ["float32", "float64", "int32"];

function inputNames(name: SpecName): readonly string[] {
  return name in OPS ? OPS[name as keyof typeof OPS].inputs : [];
}

/** Where a differentiable row's gradients are checked, when that is narrower than the default [-2, 2]. */
function domainNote(name: SpecName, domain: Domain | readonly Domain[]): string | null {
  if (!Array.isArray(domain)) {
    const d = domain as Domain;
    return d.describe === "[-2, 2]" ? null : `gradients checked on ${d.describe}`;
  }
  const names = inputNames(name);
  const parts = (domain as readonly Domain[]).map((d, i) => `${names[i] ?? `input ${i}`} in ${d.describe}`);
  return `gradients checked on ${parts.join(", ")}`;
}

/** The claims of one row. */
export function capabilityOf(name: SpecName, spec: OpSpec): Capability {
  const primitive = name in OPS;
  const differentiable = primitive ? OPS[name as keyof typeof OPS].vjp !== undefined : spec.differentiable;
  const notes: string[] = [];
  if (spec.note !== undefined) notes.push(spec.note);
  if (!spec.differentiable) notes.push(spec.why);
  for (const e of spec.errors ?? []) if (e.throws === DTypeError) notes.push(`${e.label}: DTypeError`);
  if (spec.differentiable) {
    const d = domainNote(name, spec.domain);
    if (d !== null) notes.push(d);
  }
  return {
    name,
    kind: primitive ? "primitive" : "composite",
    exported: typeof (api as Record<string, unknown>)[name] === "function",
    differentiable,
    secondOrder: spec.differentiable && spec.order === 2,
    forwardMode: spec.forwardMode ?? spec.differentiable,
    dtypes: spec.dtypes,
    dtypeSample: spec.dtypeSample ?? spec.samples[0],
    notes,
  };
}

/** Every op's claims, in registry order (primitives, then composites). */
export const CAPABILITIES: readonly Capability[] = ROWS.map(([name, spec]) => capabilityOf(name, spec));

// The page.

/** Only what changes: `int32 → float32`, `all → int32`, `float32, float64: DTypeError`, or `all kept`. */
export function describeDTypes(claims: DTypeClaims): string {
  const outcomes = DTYPE_ORDER.map((d) => claims[d]);
  const [first] = outcomes;
  if (outcomes.every((o) => o === first))
    return first === "DTypeError" ? "all: DTypeError" : `all → ${first}`;
  const rejected = DTYPE_ORDER.filter((d) => claims[d] === "DTypeError");
  const changed = DTYPE_ORDER.filter((d) => claims[d] !== d && claims[d] !== "DTypeError");
  const parts = [
    ...(rejected.length > 0 ? [`${rejected.join(", ")}: DTypeError`] : []),
    ...(changed.length > 0 ? [changed.map((d) => `${d} → ${claims[d]}`).join(", ")] : []),
  ];
  return parts.length === 0 ? "all kept" : parts.join("; ");
}

const yesNo = (b: boolean): string => (b ? "yes" : "no");

function forwardCell(c: Capability): string {
  if (c.differentiable) return yesNo(c.forwardMode);
  return c.forwardMode ? "zero tangent" : "no";
}

function row(c: Capability): string[] {
  return [
    `\`${c.name}\``,
    c.exported ? c.kind : `${c.kind} (internal)`,
    yesNo(c.differentiable),
    c.differentiable ? yesNo(c.secondOrder) : "—",
    forwardCell(c),
    describeDTypes(c.dtypes),
    c.notes.join("; "),
  ];
}

/** A Markdown table with padded columns, as biome formats it. */
function table(header: readonly string[], body: readonly (readonly string[])[]): string {
  const rows = body.map((r) => r.map((cell) => cell.replaceAll("|", "\\|")));
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const count = (p: (c: Capability) => boolean): number => CAPABILITIES.filter(p).length;

/** The whole docs page, docs/guides/op-capabilities.md. */
export function renderCapabilityPage(): string {
  const primitives = count((c) => c.kind === "primitive");
  const composites = count((c) => c.kind === "composite");
  const summary =
    `${CAPABILITIES.length} ops: ${primitives} primitives (${count((c) => c.kind === "primitive" && !c.exported)} ` +
    `of them internal) and ${composites} composites.\n${count((c) => c.differentiable)} are differentiable, ` +
    `${count((c) => c.secondOrder)} of them to second order; ${count((c) => c.differentiable && c.forwardMode)} ` +
    `work in forward mode, and \`jvp\` passes a zero tangent through ` +
    `${count((c) => !c.differentiable && c.forwardMode)} more.`;
  const header = ["op", "kind", "differentiable", "second order", "forward mode", "dtypes", "notes"];
  return `---
title: Op capabilities
---

# Op capabilities

What every op of \`@tapegrad/autograd\` supports. The table is generated from the op registry and the
test table that drives the gradient tests (\`packages/autograd/test/op-specs.ts\`), and the test suite
checks every entry in both directions: a capability that is claimed but fails, or one that works but is
not claimed, fails the tests (\`packages/autograd/test/capabilities.test.ts\`). Regenerate the page with
\`npx tsx --conditions=source packages/autograd/scripts/capabilities.ts\`.

${summary}

## What the columns mean

- **kind**: a _primitive_ declares its forward kernel and its vector-Jacobian rule (vjp); a _composite_ is
  built from primitives and has no rule of its own. _Internal_ primitives are not exported; the library
  uses them itself (in backward passes and nested transforms).
- **differentiable**: _yes_ means the gradient matches central finite differences in float64
  (\`gradcheck\`) on every sample of the op's row. _no_ means the op is not recorded on the tape: its result
  never requires grad, and a gradient through it is zero.
- **second order**: gradients of gradients match finite differences (\`gradgradcheck\`) on every sample,
  so \`grad(grad(f))\`, \`hessian\` and a \`grad\` inside a differentiated function work through the op.
  Where it is _no_, \`gradgradcheck\` fails on some sample; _—_ marks an op that is not differentiable.
- **forward mode**: \`jvp\` runs and its tangent agrees with central finite differences on every sample.
  _zero tangent_: the op is not differentiable but piecewise constant, and \`jvp\` gives its zero tangent.
  _no_: \`jvp\` throws or disagrees on some sample (\`jvp\` of an int32 result throws a \`DTypeError\`).
- **dtypes**: what the op returns when all its inputs are float32, float64 or int32, checked by calling it
  with its inputs cast to each. Only the dtypes that change are listed, the others are kept:
  \`int32 → float32\` means int32 input gives a float32 result, \`all → int32\` that every input dtype
  gives int32, and \`float32, float64: DTypeError\` that the op rejects those dtypes with a
  \`DTypeError\`. Plain numbers mixed with tensors follow the [promotion rule](./tensors-and-broadcasting.md).
- **notes**: why an op is not differentiable, which inputs raise \`DTypeError\`, and where the range on
  which gradients were checked is narrower than [-2, 2] (away from kinks, poles and ties).

## The table

${table(header, CAPABILITIES.map(row))}
`;
}
