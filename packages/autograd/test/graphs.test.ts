// Random computation graphs (fast-check): programs of a few instructions over tensors of one shape, with
// chains, shared subexpressions and tensors used several times, checked against finite differences, at
// second order, and against backward()'s accumulation into .grad.

import {
  add,
  avgPool2d,
  conv2d,
  convTranspose2d,
  div,
  exp,
  grad,
  gradcheck,
  log,
  matmul,
  mean,
  mul,
  reshape,
  sigmoid,
  sin,
  softmax,
  sqrt,
  square,
  sub,
  sum,
  type Tensor,
  tanh,
  tensor,
  transpose,
  vjp,
} from "@tapegrad/autograd";
import { checkVjp, expectAllClose } from "@tapegrad/autograd/testing";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DEFAULT_TOL, fcParams, inputsArb, noise, prng } from "./support.js";

// Every instruction maps values of shape [n, m] to a value of shape [n, m]; all are smooth and defined
// everywhere (no kinks, no poles), so finite differences apply anywhere. The image instructions read a
// value as a one-channel [n, m] image and keep its size.
const image = (a: Tensor): Tensor => reshape(a, [1, 1, ...a.shape]);
const KERNEL = [0.5, -0.25, 0.125, 1, 0.75, -0.5, 0.25, 0.5, -1];
const kernelLike = (a: Tensor): Tensor => tensor(KERNEL, { shape: [1, 1, 3, 3], dtype: a.dtype });
const UNARY = {
  conv3x3: (a: Tensor) => reshape(conv2d(image(a), kernelLike(a), null, { padding: "same" }), a.shape),
  convTranspose3x3: (a: Tensor) =>
    reshape(convTranspose2d(image(a), kernelLike(a), null, { padding: 1 }), a.shape),
  avgPool3x3: (a: Tensor) => reshape(avgPool2d(image(a), 3, { stride: 1, padding: 1 }), a.shape),
  sin: (a: Tensor) => sin(a),
  tanh: (a: Tensor) => tanh(a),
  sigmoid: (a: Tensor) => sigmoid(a),
  expTanh: (a: Tensor) => exp(tanh(a)),
  logSquarePlus1: (a: Tensor) => log(add(square(a), 1)),
  sqrtSquarePlus1: (a: Tensor) => sqrt(add(square(a), 1)),
  halve: (a: Tensor) => mul(a, 0.5),
  softmaxRows: (a: Tensor) => softmax(a, { axis: -1 }),
  centre: (a: Tensor) => sub(a, mean(a, { axis: 0, keepDims: true })),
} as const;

const BINARY = {
  add: (a: Tensor, b: Tensor) => add(a, b),
  // a as an image, b as the kernel: both get gradients
  convByB: (a: Tensor, b: Tensor) =>
    reshape(conv2d(image(a), image(mul(b, 0.5)), null, { padding: "same" }), a.shape),
  sub: (a: Tensor, b: Tensor) => sub(a, b),
  mul: (a: Tensor, b: Tensor) => mul(a, b),
  divSafe: (a: Tensor, b: Tensor) => div(a, add(square(b), 1)),
  // a + rowsums of b, broadcast back over the columns
  addRowSums: (a: Tensor, b: Tensor) => add(a, sum(b, { axis: -1, keepDims: true })),
  // (a bᵀ) a, scaled: [n, n] @ [n, m]
  gram: (a: Tensor, b: Tensor) => mul(matmul(matmul(a, transpose(b)), a), 0.25),
} as const;

type Instr =
  | { kind: "unary"; op: keyof typeof UNARY; a: number }
  | { kind: "binary"; op: keyof typeof BINARY; a: number; b: number };

interface Program {
  n: number;
  m: number;
  inputs: number;
  body: Instr[];
}

const instrArb: fc.Arbitrary<Instr> = fc.oneof(
  fc.record({
    kind: fc.constant("unary" as const),
    op: fc.constantFrom(...(Object.keys(UNARY) as (keyof typeof UNARY)[])),
    a: fc.nat(),
  }),
  fc.record({
    kind: fc.constant("binary" as const),
    op: fc.constantFrom(...(Object.keys(BINARY) as (keyof typeof BINARY)[])),
    a: fc.nat(),
    b: fc.nat(),
  }),
);

const programArb: fc.Arbitrary<Program> = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  m: fc.integer({ min: 1, max: 3 }),
  inputs: fc.integer({ min: 1, max: 3 }),
  body: fc.array(instrArb, { minLength: 1, maxLength: 8 }),
});

/** Runs a program: each instruction reads earlier values (inputs first; index modulo the count so far). */
function run(p: Program, xs: Tensor[]): Tensor {
  const values = [...xs];
  const at = (i: number): Tensor => values[i % values.length] as Tensor;
  for (const ins of p.body) {
    values.push(ins.kind === "unary" ? UNARY[ins.op](at(ins.a)) : BINARY[ins.op](at(ins.a), at(ins.b)));
  }
  // The output mixes the last value with one earlier value, so an early result is used again at the end.
  return add(values[values.length - 1] as Tensor, mul(at(p.body.length), 0.5));
}

function describeProgram(p: Program): string {
  const names = Array.from({ length: p.inputs }, (_, i) => `x${i}`);
  const lines = p.body.map((ins) => {
    const arg = (i: number) => names[i % names.length];
    const rhs = ins.kind === "unary" ? `${ins.op}(${arg(ins.a)})` : `${ins.op}(${arg(ins.a)}, ${arg(ins.b)})`;
    names.push(`v${names.length}`);
    return `${names[names.length - 1]} = ${rhs}`;
  });
  return `[${p.n}, ${p.m}] inputs ${p.inputs}:\n  ${lines.join("\n  ")}`;
}

const cases = programArb.chain((p) =>
  fc.tuple(
    fc.constant(p),
    inputsArb(
      Array.from({ length: p.inputs }, () => [p.n, p.m]),
      { describe: "[-1.5, 1.5]", min: -1.5, max: 1.5 },
    ),
    fc.integer(),
  ),
);

describe("random composite graphs", () => {
  test("the full Jacobian matches central differences", () => {
    fc.assert(
      fc.property(cases, ([p, xs]) => {
        const r = gradcheck((...zs: Tensor[]) => run(p, zs), xs, DEFAULT_TOL);
        if (!r.ok) throw new Error(`${describeProgram(p)}\n${r}`);
      }),
      fcParams(),
    );
  });

  test("the backward pass matches central differences (second order)", () => {
    fc.assert(
      fc.property(cases, ([p, xs, seed]) => {
        const rnd = prng(seed);
        const u = noise([p.n, p.m], rnd);
        const backward = (...args: Tensor[]): Tensor => {
          const [, pullback] = vjp((...zs: Tensor[]) => run(p, zs), ...args.slice(0, xs.length));
          return pullback(args[xs.length] as Tensor).reduce(
            (acc, g) => add(acc, sum(mul(g, g))),
            tensor(0, { dtype: "float64" }),
          );
        };
        const r = checkVjp(backward, [...xs, u], { ...DEFAULT_TOL, seed });
        if (!r.ok) throw new Error(`${describeProgram(p)}\n${r}`);
      }),
      fcParams(),
    );
  });

  test("backward() accumulates into .grad what vjp returns, for every leaf however often it is used", () => {
    fc.assert(
      fc.property(cases, ([p, xs, seed]) => {
        const u = noise([p.n, p.m], prng(seed));
        const [, pullback] = vjp((...zs: Tensor[]) => run(p, zs), ...xs);
        const expected = pullback(u);
        const leaves = xs.map((x) => tensor(x.data(), { shape: x.shape, requiresGrad: true }));
        run(p, leaves).backward(u);
        leaves.forEach((leaf, i) => {
          // A leaf the output does not depend on keeps .grad null; its gradient is zero.
          const g = leaf.grad ?? mul(leaf, 0);
          expectAllClose(g, expected[i] as Tensor, { rtol: 1e-12, atol: 1e-14, message: describeProgram(p) });
        });
      }),
      fcParams(),
    );
  });

  test("a leaf used k times in a sum gets k times its gradient", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.double({ min: -2, max: 2, noNaN: true }), (k, v) => {
        const g = grad((x: Tensor) =>
          Array.from({ length: k - 1 }, () => x)
            .reduce((acc, y) => add(acc, sin(y)), sin(x))
            .sum(),
        )(tensor([v], { dtype: "float64" }));
        expect(g.item()).toBeCloseTo(k * Math.cos(v), 12);
      }),
      fcParams(),
    );
  });
});
