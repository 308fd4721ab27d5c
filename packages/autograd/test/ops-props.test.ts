// Properties of every differentiable row on random shapes and values (fast-check; FC_SEED replays a run):
// the vjp matches finite differences, float32 agrees with float64 forward, gradients have their inputs'
// shapes, the vjp is linear in the cotangent, using the inputs twice doubles their gradients, jvp agrees
// with vjp, and for order-2 rows the backward pass itself matches finite differences.

import { add, concat, flatten, jvp, mul, type Tensor, vjp } from "@tapegrad/autograd";
import { allClose, checkVjp, expectAllClose } from "@tapegrad/autograd/testing";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { DifferentiableSpec, Sample } from "./cases.js";
import { ROWS, type SpecName } from "./op-specs.js";
import { DEFAULT_TOL, fcParams, inputsArb, noise, prng } from "./support.js";

const DIFFERENTIABLE = ROWS.filter((r): r is [SpecName, DifferentiableSpec] => r[1].differentiable);

/** ⟨a, b⟩ and Σ|aᵢbᵢ| (the scale a rounding error is relative to). */
function dot(a: Tensor, b: Tensor): [number, number] {
  const x = a.data();
  const y = b.data();
  let s = 0;
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    s += (x[i] as number) * (y[i] as number);
    m += Math.abs((x[i] as number) * (y[i] as number));
  }
  return [s, m];
}

function fail(s: Sample, what: string): never {
  throw new Error(`${s.label}: ${what}`);
}

describe.each(DIFFERENTIABLE)("%s", (_, spec) => {
  const tol = { ...DEFAULT_TOL, ...spec.tol };
  // Linearity, doubling and jvp = vjpᵀ are identities up to rounding; a row that computes in float32
  // (cast's round trip) loosens them with its own tolerance.
  const exact = { rtol: spec.tol?.rtol ?? 1e-10, atol: spec.tol?.atol ?? 1e-12 };
  const cases = spec.random.chain((s) =>
    fc.tuple(fc.constant(s), inputsArb(s.shapes, s.domain ?? spec.domain), fc.integer()),
  );
  const property = (check: (s: Sample, xs: Tensor[], rnd: () => number, seed: number) => void) => () =>
    fc.assert(
      fc.property(cases, ([s, xs, seed]) => check(s, xs, prng(seed), seed)),
      fcParams(),
    );

  test(
    "⟨vjp(u), v⟩ matches ⟨u, central differences along v⟩",
    property((s, xs, _rnd, seed) => {
      const r = checkVjp(s.call, xs, { ...tol, seed });
      if (!r.ok) fail(s, r.toString());
    }),
  );

  test(
    "the float32 forward agrees with the float64 one",
    property((s, xs) => {
      const y64 = s.call(...xs);
      const y32 = s.call(...xs.map((x) => x.cast("float32")));
      expectAllClose(y32.cast("float64"), y64, { rtol: 1e-4, atol: 1e-5, message: s.label });
    }),
  );

  test(
    "every input gradient has exactly its input's shape and dtype",
    property((s, xs, rnd) => {
      const [y, pullback] = vjp(s.call, ...xs);
      const gs = pullback(noise(y.shape, rnd));
      expect(gs.length).toBe(xs.length);
      gs.forEach((g, i) => {
        const x = xs[i] as Tensor;
        if (g.shape.join() !== x.shape.join() || g.ndim !== x.ndim || g.dtype !== x.dtype) {
          fail(s, `gradient ${i} is [${g.shape}] ${g.dtype}; input is [${x.shape}] ${x.dtype}`);
        }
      });
    }),
  );

  test(
    "the vjp is linear in the cotangent",
    property((s, xs, rnd) => {
      const [y, pullback] = vjp(s.call, ...xs);
      const [u1, u2] = [noise(y.shape, rnd), noise(y.shape, rnd)];
      const [a, b] = [2 * rnd() - 1, 2 * rnd() - 1];
      const combined = pullback(add(mul(u1, a), mul(u2, b)));
      const g1 = pullback(u1);
      const g2 = pullback(u2);
      combined.forEach((g, i) => {
        const expected = add(mul(g1[i] as Tensor, a), mul(g2[i] as Tensor, b));
        if (!allClose(g, expected, exact)) fail(s, `gradient ${i} is not linear in u`);
      });
    }),
  );

  test(
    "using the inputs twice doubles their gradients",
    property((s, xs, rnd) => {
      const [y, pullback] = vjp(s.call, ...xs);
      const u = noise(y.shape, rnd);
      const once = pullback(u);
      const [, pullbackTwice] = vjp((...zs: Tensor[]) => add(s.call(...zs), s.call(...zs)), ...xs);
      pullbackTwice(u).forEach((g, i) => {
        if (!allClose(g, mul(once[i] as Tensor, 2), exact)) {
          fail(s, `gradient ${i} of f(x) + f(x) is not twice that of f(x)`);
        }
      });
    }),
  );

  test(
    "⟨vjp(u), v⟩ equals ⟨u, jvp(v)⟩",
    property((s, xs, rnd) => {
      const [y, pullback] = vjp(s.call, ...xs);
      const u = noise(y.shape, rnd);
      const vs = xs.map((x) => noise(x.shape, rnd));
      const [y2, tangent] = jvp(s.call, xs, vs);
      if (!allClose(y2, y, { rtol: 0, atol: 0 })) fail(s, "jvp's primal output differs from vjp's");
      let lhs = 0;
      let scale = 0;
      pullback(u).forEach((g, i) => {
        const [d, m] = dot(g, vs[i] as Tensor);
        lhs += d;
        scale += m;
      });
      const [rhs, scaleR] = dot(u, tangent);
      if (Math.abs(lhs - rhs) > exact.atol + exact.rtol * Math.max(scale, scaleR))
        fail(s, `⟨vjp(u), v⟩ = ${lhs} but ⟨u, jvp(v)⟩ = ${rhs}`);
    }),
  );

  if (spec.order === 2) {
    test(
      "second order: the backward pass matches central differences",
      property((s, xs, rnd, seed) => {
        const [y] = vjp(s.call, ...xs);
        const u = noise(y.shape, rnd);
        const backward = (...args: Tensor[]): Tensor => {
          const [, pullback] = vjp(s.call, ...args.slice(0, xs.length));
          return concat(pullback(args[xs.length] as Tensor).map((g) => flatten(g)));
        };
        const r = checkVjp(backward, [...xs, u], { ...tol, seed: seed + 1 });
        if (!r.ok) fail(s, r.toString());
      }),
    );
  }
});
