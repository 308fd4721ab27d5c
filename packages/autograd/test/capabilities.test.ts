// Every claim of the capability page, checked in both directions from the op table: what the tests
// observe must equal what the row claims, so a claimed capability that fails and a working one that is not
// claimed both fail here. First-order gradients (ops-grad.test.ts), second-order ones of order-2 rows
// (ops-grad.test.ts) and unrecorded results of non-differentiable rows (forward.test.ts) are checked by
// those suites on the same rows and samples; this file checks the rest and that the page is up to date.

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  cast,
  type DType,
  DTypeError,
  gradgradcheck,
  jvp,
  noGrad,
  type Tensor,
  tensor,
} from "@tapegrad/autograd";
import { describe, expect, test } from "vitest";
import { CAPABILITIES, type Capability, DTYPE_ORDER, renderCapabilityPage } from "./capabilities.js";
import type { DTypeOutcome, OpSpec, Sample } from "./cases.js";
import { OP_SPECS } from "./op-specs.js";
import { DEFAULT_TOL, drawInputs, hash, noise, prng, real } from "./support.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const PAGE = "docs/guides/op-capabilities.md";
const REGENERATE = "npx tsx --conditions=source packages/autograd/scripts/capabilities.ts";

const specOf = (c: Capability): OpSpec => OP_SPECS[c.name];
const tolOf = (c: Capability) => {
  const spec = specOf(c);
  return { ...DEFAULT_TOL, ...(spec.differentiable ? spec.tol : {}) };
};

/** The sample's float64 inputs, drawn as the gradient suites draw them (same seeds and domains). */
function inputsOf(c: Capability, s: Sample): Tensor[] {
  const spec = specOf(c);
  const domain = s.domain ?? (spec.differentiable ? spec.domain : real);
  return drawInputs(s.shapes, domain, hash(`${c.name}/${s.label}`));
}

type ForwardResult = { ok: true; zero: boolean } | { ok: false; why: string };

/** jvp along a random tangent against central differences along it, element by element. */
function forwardCheck(c: Capability, s: Sample): ForwardResult {
  const { eps, rtol, atol } = tolOf(c);
  const xs = inputsOf(c, s);
  const rnd = prng(hash(`${c.name}/${s.label}/jvp`));
  const vs = xs.map((x) => noise(x.shape, rnd));
  let tangent: Float64Array;
  try {
    tangent = Float64Array.from(jvp(s.call, xs, vs)[1].data());
  } catch (e) {
    return { ok: false, why: `jvp threw ${(e as Error).name}: ${(e as Error).message}` };
  }
  const shifted = (sign: number) =>
    noGrad(() => s.call(...xs.map((x, i) => x.add((vs[i] as Tensor).mul(sign * eps)))))
      .cast("float64")
      .data();
  const [plus, minus] = [shifted(1), shifted(-1)];
  for (let i = 0; i < tangent.length; i++) {
    const fd = ((plus[i] as number) - (minus[i] as number)) / (2 * eps);
    const t = tangent[i] as number;
    if (!(Math.abs(t - fd) <= atol + rtol * Math.abs(fd))) {
      return { ok: false, why: `tangent element ${i} is ${t}, central differences give ${fd}` };
    }
  }
  return { ok: true, zero: tangent.every((t) => t === 0) };
}

describe("the capability page", () => {
  test(`${PAGE} is what the generator writes now`, () => {
    const committed = readFileSync(join(root, PAGE), "utf8");
    expect(committed, `${PAGE} is out of date; regenerate it with \`${REGENERATE}\``).toBe(
      renderCapabilityPage(),
    );
  });

  test("lists every row of the op table once", () => {
    expect(CAPABILITIES.map((c) => c.name)).toEqual(Object.keys(OP_SPECS));
  });
});

describe.each(CAPABILITIES.map((c) => [c.name, c] as const))("%s", (_, c) => {
  const spec = specOf(c);

  test("differentiable: the claim is the row's kind, so the row sits in the suite that checks it", () => {
    // A differentiable row is gradchecked on every sample (ops-grad.test.ts); the result of any other
    // does not require grad when its inputs do (forward.test.ts).
    expect(c.differentiable).toBe(spec.differentiable);
  });

  // Order-2 rows pass gradgradcheck on every sample in ops-grad.test.ts; a first-order claim needs the
  // converse: some sample where gradients of gradients are wrong (or cannot be taken).
  if (c.differentiable && !c.secondOrder) {
    test("second order: not claimed, so gradgradcheck fails on some sample", () => {
      const passing = spec.samples.filter((s) => {
        try {
          return gradgradcheck(s.call, inputsOf(c, s), { ...tolOf(c), seed: hash(s.label) }).ok;
        } catch {
          return false;
        }
      });
      expect(
        passing.length,
        `gradgradcheck passes on every sample (${passing.map((s) => s.label).join("; ")}): claim order 2`,
      ).toBeLessThan(spec.samples.length);
    });
  }

  test(`forward mode: ${c.forwardMode ? "claimed" : "not claimed"}, and jvp agrees with that on the samples`, () => {
    const results = spec.samples.map((s) => [s.label, forwardCheck(c, s)] as const);
    const failures = results.flatMap(([label, r]) => (r.ok ? [] : [`${label}: ${r.why}`]));
    if (c.forwardMode) {
      expect(failures, "jvp disagrees with central differences").toEqual([]);
      // An op that is not recorded is listed with a zero tangent: that is all jvp can give through it.
      if (!c.differentiable) expect(results.every(([, r]) => r.ok && r.zero)).toBe(true);
    } else {
      expect(
        failures.length,
        "jvp agrees with central differences on every sample: claim forwardMode",
      ).toBeGreaterThan(0);
    }
  });

  test.each(DTYPE_ORDER.map((d) => [d, c.dtypes[d]] as const))(
    "dtypes: %s inputs give %s",
    (dtype: DType, claimed: DTypeOutcome) => {
      const s = c.dtypeSample;
      const xs = inputsOf(c, s).map((x) => cast(x, dtype));
      let observed: DTypeOutcome;
      try {
        observed = s.call(...xs).dtype;
      } catch (e) {
        if (!(e instanceof DTypeError)) throw e;
        observed = "DTypeError";
      }
      expect(observed, `${s.label} on ${dtype} inputs`).toBe(claimed);
    },
  );
});

test("jvp of a function with an int32 result throws a DTypeError that names jvp", () => {
  expect(() => jvp((x: Tensor) => x.gt(0), [tensor([1, -1])], [tensor([1, 1])])).toThrow(DTypeError);
  expect(() => jvp((x: Tensor) => x.argmax(), [tensor([1, -1])], [tensor([1, 1])])).toThrow(
    /^jvp: the function returned dtype int32; it must be floating point$/,
  );
});
