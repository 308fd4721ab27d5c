// The transforms and the tape's user-facing behaviour: nesting, hessian, argnums, valueAndGrad, jacobian,
// jvp, customVjp (also at second order), stopGradient, noGrad, accumulation, retainGraph, createGraph,
// and the graph being released after backward.

import {
  AutogradError,
  add,
  customVjp,
  enableGrad,
  exp,
  grad,
  gradcheck,
  gradients,
  hessian,
  jacobian,
  jvp,
  mul,
  noGrad,
  stopGradient,
  sum,
  type Tensor,
  tanh,
  tensor,
  traceGraph,
  valueAndGrad,
  vjp,
} from "@tapegrad/autograd";
import { expectAllClose } from "@tapegrad/autograd/testing";
import { describe, expect, test } from "vitest";
import { f64 } from "./cases.js";

const x64 = (data: number[], requiresGrad = false) => tensor(data, { dtype: "float64", requiresGrad });

describe("grad and nesting", () => {
  test("the derivative at x=1 of x ↦ x·(d/dy (x+y) at y=1) is 1 (no perturbation confusion)", () => {
    const inner = (x: Tensor) => grad((y: Tensor) => add(x, y).sum())(f64(1));
    const outer = grad((x: Tensor) => mul(x, inner(x)).sum());
    expect(outer(f64(1)).item()).toBe(1);
  });

  test("an inner grad that does depend on x is differentiated through", () => {
    // d/dx [x · d/dy (x·y)] = d/dx [x · x] = 2x
    const f = grad((x: Tensor) => mul(x, grad((y: Tensor) => mul(x, y).sum())(f64(1))).sum());
    expect(f(f64(3)).item()).toBe(6);
  });

  test("grad(grad(grad(f))) of x⁴ is 24x", () => {
    const f = (x: Tensor) => x.pow(4).sum();
    expect(grad(grad(grad(f)))(f64(0.5)).item()).toBeCloseTo(12, 12);
  });

  test("the hessian of a cubic equals the analytic matrix", () => {
    // f = Σ xᵢ³ + x₀x₁x₂: H = diag(6x) + the symmetric cross terms
    const f = (x: Tensor) =>
      add(
        x.pow(3).sum(),
        x
          .slice([0], [1])
          .mul(x.slice([1], [1]))
          .mul(x.slice([2], [1]))
          .sum(),
      );
    const x = f64([1, 2, 3]);
    const H = hessian(f)(x);
    expect(H.shape).toEqual([3, 3]);
    expectAllClose(H, [
      [6, 3, 2],
      [3, 12, 1],
      [2, 1, 18],
    ]);
  });

  test("the hessian of a quadratic form xᵀAx is A + Aᵀ", () => {
    const A = f64([
      [1, 2],
      [0, 3],
    ]);
    const H = hessian((x: Tensor) => x.matmul(A.matmul(x)))(f64([0.3, -0.7]));
    expectAllClose(H, [
      [2, 2],
      [2, 6],
    ]);
  });

  test("grad with an argnums list returns a list in that order; one index returns one tensor", () => {
    const f = (a: Tensor, b: Tensor, c: Tensor) => a.mul(b).mul(c).sum();
    const [a, b, c] = [f64([2]), f64([3]), f64([5])];
    const [dc, da] = grad(f, { argnums: [2, 0] })(a, b, c);
    expect([dc?.item(), da?.item()]).toEqual([6, 15]);
    expect(grad(f, { argnums: 1 })(a, b, c).item()).toBe(10);
  });

  test("grad keeps each argument's shape and leaves .grad of the inputs alone", () => {
    const plain = grad((t: Tensor) => t.square().sum())(x64([1, 2, 3]));
    expect(plain.shape).toEqual([3]);
    expect(plain.requiresGrad).toBe(false);
    const x = x64([1, 2, 3], true);
    const g = grad((t: Tensor) => t.square().sum())(x);
    expect(x.grad).toBeNull();
    // grad composes with the tape: at a leaf that requires grad, the gradient is itself differentiable.
    expect(g.requiresGrad).toBe(true);
    g.sum().backward(); // d/dx Σ 2x = 2
    expect(x.grad?.toArray()).toEqual([2, 2, 2]);
  });

  test("valueAndGrad returns the value (detached) and the gradient from one pass", () => {
    const [v, g] = valueAndGrad((x: Tensor) => x.square().sum())(f64([3, 4]));
    expect(v.item()).toBe(25);
    expect(v.requiresGrad).toBe(false);
    expect(g.toArray()).toEqual([6, 8]);
    const [v2, gs] = valueAndGrad((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(
      f64([2]),
      f64([7]),
    );
    expect(v2.item()).toBe(14);
    expect(gs.map((t) => t.item())).toEqual([7, 2]);
  });

  test("an argument the function does not use gets a zero gradient", () => {
    const [, db] = grad((a: Tensor, _b: Tensor) => a.sum(), { argnums: [0, 1] })(f64([1]), f64([1, 2]));
    expect(db?.toArray()).toEqual([0, 0]);
  });
});

describe("vjp, jvp, jacobian", () => {
  test("jacobian shapes are [...out, ...arg], for each argnum", () => {
    const f = (a: Tensor, b: Tensor) => a.matmul(b).tanh(); // [2, 3] @ [3] -> [2]
    const [a, b] = [
      f64([
        [1, 2, 3],
        [4, 5, 6],
      ]).mul(0.1),
      f64([1, -1, 0.5]),
    ];
    expect(jacobian(f)(a, b).shape).toEqual([2, 2, 3]);
    const [ja, jb] = jacobian(f, { argnums: [0, 1] })(a, b);
    expect(ja?.shape).toEqual([2, 2, 3]);
    expect(jb?.shape).toEqual([2, 3]);
    expect(jacobian((x: Tensor) => x.sum())(f64([[1, 2]])).shape).toEqual([1, 2]);
  });

  test("the jacobian of an elementwise map is diagonal", () => {
    const J = jacobian((x: Tensor) => x.mul(x))(f64([1, 2, 3]));
    expectAllClose(J, [
      [2, 0, 0],
      [0, 4, 0],
      [0, 0, 6],
    ]);
  });

  test("the pullback can be called many times and is linear", () => {
    const [y, pullback] = vjp((a: Tensor) => a.exp(), f64([0, 1]));
    expectAllClose(y, [1, Math.E]);
    expectAllClose(pullback(f64([1, 0]))[0] as Tensor, [1, 0]);
    expectAllClose(pullback(f64([0, 2]))[0] as Tensor, [0, 2 * Math.E]);
  });

  test("jvp computes J·v for several primals", () => {
    const f = (a: Tensor, b: Tensor) => a.mul(b).add(a.sin());
    const [y, t] = jvp(f, [f64([1, 2]), f64([3, 4])], [f64([1, 0]), f64([0, 1])]);
    expectAllClose(y, [3 + Math.sin(1), 8 + Math.sin(2)]);
    // d = (b + cos a)·da + a·db
    expectAllClose(t, [3 + Math.cos(1), 2]);
  });

  test("transforms compose in every order: jvp(grad f) is a Hessian-vector product, jvp of jvp, grad of jvp", () => {
    // f = Σ x³ + x₀x₁: H at [1, 2] = [[6, 1], [1, 12]]
    const f = (x: Tensor) =>
      add(
        x.pow(3).sum(),
        x
          .slice([0], [1])
          .mul(x.slice([1], [1]))
          .sum(),
      );
    expect(jvp(grad(f), [f64([1, 2])], [f64([1, 0])])[1].toArray()).toEqual([6, 1]);
    expect(jacobian(jacobian(f))(f64([1, 2])).toArray()).toEqual([
      [6, 1],
      [1, 12],
    ]);
    const cube = (y: Tensor) => y.pow(3);
    const d1 = (x: Tensor) => jvp(cube, [x], [f64([1])])[1];
    expect(jvp(d1, [f64([2])], [f64([1])])[1].toArray()).toEqual([12]);
    const dsin = (x: Tensor) => jvp((y: Tensor) => y.sin(), [x], [f64([1])])[1].sum();
    expect(grad(dsin)(f64([0.5])).item()).toBeCloseTo(-Math.sin(0.5), 14);
  });

  test("a gradient computed inside the tape carries its dependence on closed-over tensors", () => {
    const w = x64([3], true);
    const gx = grad((t: Tensor) => t.mul(w).square().sum())(f64([2])); // 2t·w² = 36
    expect(gx.item()).toBe(36);
    gx.sum().backward(); // d/dw 2t·w² = 4t·w = 24
    expect(w.grad?.item()).toBe(24);
  });

  test("jvp of a function that ignores its input is zero", () => {
    const [, t] = jvp((_a: Tensor) => f64([1, 2]), [f64([1])], [f64([1])]);
    expect(t.toArray()).toEqual([0, 0]);
  });

  test("gradients() differentiates with respect to intermediate tensors and can allow unused inputs", () => {
    const x = x64([1, 2], true);
    const h = x.mul(3);
    const y = h.square().sum();
    const [dh, dx] = gradients(y, [h, x], { retainGraph: true });
    expect(dh?.toArray()).toEqual([6, 12]);
    expect(dx?.toArray()).toEqual([18, 36]);
    const unused = x64([5], true);
    expect(gradients(y, [unused], { allowUnused: true })).toEqual([null]);
  });
});

describe("customVjp", () => {
  test("the rule replaces the derivative (a straight-through estimator)", () => {
    const ste = customVjp(
      (x: Tensor) => x.clamp({ min: 0, max: 1 }),
      ({ g }) => [g],
    );
    expect(ste(f64([5])).item()).toBe(1);
    expect(grad((x: Tensor) => ste(x).sum())(f64([5])).item()).toBe(1);
  });

  test("a rule written with tapegrad ops is differentiated again: second order goes through it", () => {
    // cube computed outside the tape; its rule 3x²·g is written with ops, so grad(grad(cube)) = 6x.
    const cube = customVjp(
      (x: Tensor) =>
        tensor(
          x.data().map((v) => v ** 3),
          { shape: x.shape },
        ),
      ({ inputs: [x], g }) => [g.mul(3).mul((x as Tensor).square())],
    );
    const f = (x: Tensor) => cube(x).sum();
    expect(grad(f)(f64([2])).item()).toBe(12);
    expect(grad(grad(f))(f64([2])).item()).toBe(12);
    expect(grad(grad(f))(f64([-1])).item()).toBe(-6);
  });

  test("the rule sees the output and a cotangent of its shape; gradcheck accepts a correct rule", () => {
    const softExp = customVjp(
      (x: Tensor) => x.exp(),
      ({ out, g }) => [g.mul(out)],
      { name: "softExp" },
    );
    expect(gradcheck((x: Tensor) => softExp(x), [f64([0.1, -0.4])]).ok).toBe(true);
  });

  test("a cotangent in a broadcast shape is summed back to the input's shape", () => {
    const addBias = customVjp(
      (a: Tensor, b: Tensor) => a.add(b),
      ({ g }) => [g, g],
    );
    const [, db] = grad((a: Tensor, b: Tensor) => addBias(a, b).sum(), { argnums: [0, 1] })(
      f64([
        [1, 2],
        [3, 4],
      ]),
      f64([1, 1]),
    );
    expect(db?.toArray()).toEqual([2, 2]);
  });
});

describe("stopGradient and noGrad", () => {
  test("stopGradient blocks the gradient but keeps the value", () => {
    expect(grad((x: Tensor) => x.mul(stopGradient(x)).sum())(f64([3])).item()).toBe(3);
    const x = x64([2], true);
    const s = stopGradient(x.mul(2));
    expect(s.requiresGrad).toBe(false);
    expect(s.item()).toBe(4);
  });

  test("nothing is recorded under noGrad; enableGrad switches it back on inside", () => {
    const w = x64([1, 2], true);
    const y = noGrad(() => w.mul(3));
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    expect(() => y.sum().backward()).toThrow(AutogradError);
    expect(noGrad(() => enableGrad(() => w.mul(3))).requiresGrad).toBe(true);
  });

  test("noGrad restores recording after an exception", () => {
    expect(() =>
      noGrad(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(x64([1], true).mul(2).requiresGrad).toBe(true);
  });

  test("grad still works when called inside noGrad", () => {
    expect(noGrad(() => grad((x: Tensor) => x.square().sum())(f64([3]))).item()).toBe(6);
  });
});

describe("backward()", () => {
  test("a tensor used twice gets the sum of both uses", () => {
    const x = x64([1, 2], true);
    x.mul(x).add(x).sum().backward(); // d(x² + x) = 2x + 1
    expect(x.grad?.toArray()).toEqual([3, 5]);
  });

  test("calling backward again accumulates into .grad until it is reset", () => {
    const x = x64([1, 2], true);
    x.square().sum().backward();
    x.square().sum().backward();
    expect(x.grad?.toArray()).toEqual([4, 8]);
    x.grad = null;
    x.mul(3).sum().backward();
    expect((x.grad as Tensor | null)?.toArray()).toEqual([3, 3]);
  });

  test("a non-scalar output takes a gradOutput of its shape", () => {
    const x = x64([1, 2], true);
    x.square().backward(f64([1, -1]));
    expect(x.grad?.toArray()).toEqual([2, -4]);
  });

  test("retainGraph keeps the graph for another backward, which adds to .grad", () => {
    const x = x64([1, 2], true);
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expectAllClose(x.grad as Tensor, [2 * Math.E, 2 * Math.exp(2)]);
    expect(() => y.backward()).toThrow(/was freed by an earlier backward/);
  });

  test("createGraph records the backward pass, so .grad can be differentiated again", () => {
    const x = x64([2], true);
    x.pow(3).sum().backward(undefined, { createGraph: true });
    const g = x.grad as Tensor;
    expect(g.item()).toBe(12);
    expect(g.requiresGrad).toBe(true);
    const [d2] = gradients(g.sum(), [x]);
    expect(d2?.item()).toBe(12);
  });

  test("without createGraph, .grad is a plain leaf", () => {
    const x = x64([2], true);
    x.pow(3).sum().backward();
    expect(x.grad?.requiresGrad).toBe(false);
    expect(x.grad?.isLeaf).toBe(true);
  });

  test("after backward the graph is released: nodes drop their inputs, and a second backward throws", () => {
    const x = x64([1, 2], true);
    const h = tanh(x.mul(2));
    const y = sum(exp(h));
    // x, the constant 2, mul, tanh, exp, sum
    expect(traceGraph(y).nodes.map((n) => n.op)).toEqual(["leaf", "leaf", "mul", "tanh", "exp", "sum"]);
    y.backward();
    // The recorded ops no longer hold on to their inputs, so intermediate values can be collected.
    expect(traceGraph(y).nodes.map((n) => n.op)).toEqual(["sum"]);
    expect(traceGraph(h).nodes.map((n) => n.op)).toEqual(["tanh"]);
    expect(() => y.backward()).toThrow(/the graph through 'sum' \(output \[\]\) was freed/);
    expect(x.grad).not.toBeNull();
  });

  test("gradients() and the transforms keep the graph: the caller's backward still works afterwards", () => {
    const x = x64([1, 2], true);
    const y = x.square().sum();
    gradients(y, [x], { retainGraph: true });
    y.backward();
    expect(x.grad?.toArray()).toEqual([2, 4]);
  });

  test("casting to int32 leaves the tape instead of failing", () => {
    const x = tensor([1.7, -2.2], { requiresGrad: true });
    const labels = x.cast("int32");
    expect(labels.requiresGrad).toBe(false);
    expect(labels.toArray()).toEqual([1, -2]);
    x.mul(labels).sum().backward();
    expect(x.grad?.toArray()).toEqual([1, -2]);
  });

  test("a float32 leaf through a float64 computation gets a float32 gradient", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.cast("float64").square().sum().backward();
    expect(x.grad?.dtype).toBe("float32");
    expect(x.grad?.toArray()).toEqual([2, 4]);
  });
});
