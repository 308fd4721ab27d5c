// Forward values: every row's hand-computed cases, non-differentiable rows cutting the tape, edge values
// (log near 0, sigmoid at ±300, softmax at ±1000) and the dtype promotion rules.

import {
  add,
  cast,
  type DType,
  div,
  exp,
  grad,
  log,
  logSoftmax,
  logsumexp,
  matmul,
  mean,
  mul,
  onesLike,
  promoteTypes,
  sigmoid,
  softmax,
  softplus,
  sub,
  sum,
  type Tensor,
  tanh,
  tensor,
  variance,
  vjp,
  where,
  zeros,
} from "@tapegrad/autograd";
import { expectAllClose } from "@tapegrad/autograd/testing";
import { describe, expect, test } from "vitest";
import { f64, i32, type NonDifferentiableSpec } from "./cases.js";
import { ROWS, type SpecName } from "./op-specs.js";
import { drawInputs, hash, real } from "./support.js";

function finite(t: Tensor): boolean {
  return Array.from(t.data()).every(Number.isFinite);
}

describe.each(ROWS)("%s", (name, spec) => {
  test.each(spec.forward.map((f) => [f.label, f] as const))("forward: %s", (label, f) => {
    const y = f.run();
    if (f.dtype !== undefined) expect(y.dtype, label).toBe(f.dtype);
    expectAllClose(y, f.expected, {
      rtol: 1e-6,
      atol: 1e-7,
      equalNaN: f.equalNaN ?? false,
      message: `${name}: ${label}`,
    });
  });
});

const NON_DIFFERENTIABLE = ROWS.filter((r): r is [SpecName, NonDifferentiableSpec] => !r[1].differentiable);

describe.each(NON_DIFFERENTIABLE)("%s (not differentiable)", (name, spec) => {
  test.each(spec.samples.map((s) => [s.label, s] as const))(
    "%s: inputs that require grad give a result that does not, and the gradient through it is zero",
    (label, s) => {
      const xs = drawInputs(s.shapes, real, hash(`${name}/${label}`));
      for (const x of xs) x.requiresGrad = true;
      const y = s.call(...xs);
      expect(y.requiresGrad).toBe(false);
      // Mixed into a differentiable expression, it contributes nothing to the gradient.
      const g = grad((x: Tensor) => add(x.sum(), mul(cast(s.call(x, ...xs.slice(1)), "float64"), 0).sum()))(
        xs[0] as Tensor,
      );
      expectAllClose(g, onesLike(xs[0] as Tensor), { message: spec.why });
    },
  );
});

describe("edge values", () => {
  test("log near 0: large negative but finite, -Infinity at 0, and a finite 1/x gradient", () => {
    const x = f64([1e-300, 5e-324, 1e-30]);
    expectAllClose(log(x), [Math.log(1e-300), Math.log(5e-324), Math.log(1e-30)]);
    expect(log(f64([0])).item()).toBe(-Infinity);
    expectAllClose(grad((t: Tensor) => log(t).sum())(f64([1e-300])), [1e300]);
    // float32: the smallest normal still has a finite log.
    expect(finite(log(tensor([1.1754943508222875e-38])))).toBe(true);
  });

  test("sigmoid at ±300 is exactly 1 and e⁻³⁰⁰ (no NaN or Infinity), with finite gradients", () => {
    expectAllClose(sigmoid(f64([300, -300])), [1, Math.exp(-300)], { rtol: 1e-12 });
    const y32 = sigmoid(tensor([300, -300, 1000, -1000]));
    expect(y32.toArray()).toEqual([1, 0, 1, 0]);
    const g = grad((x: Tensor) => sigmoid(x).sum())(f64([300, -300]));
    expectAllClose(g, [0, Math.exp(-300)], { rtol: 1e-12, atol: 0 });
  });

  test("softplus and tanh at ±1000 stay finite", () => {
    expectAllClose(softplus(tensor([1000, -1000])), [1000, 0]);
    expectAllClose(tanh(tensor([1000, -1000])), [1, -1]);
    expectAllClose(grad((x: Tensor) => softplus(x).sum())(f64([1000, -1000])), [1, 0]);
  });

  test.each(["float32", "float64"] as DType[])(
    "softmax, logSoftmax and logsumexp at ±1000 in %s",
    (dtype) => {
      const x = tensor([1000, -1000, 1000], { dtype });
      expectAllClose(softmax(x), [0.5, 0, 0.5], { atol: 1e-7 });
      expectAllClose(logSoftmax(x), [-Math.LN2, -2000 - Math.LN2, -Math.LN2], { rtol: 1e-6 });
      expectAllClose(logsumexp(x), 1000 + Math.LN2, { rtol: 1e-6 });
      const neg = tensor([-1000, -1000], { dtype });
      expectAllClose(logsumexp(neg), -1000 + Math.LN2, { rtol: 1e-6 });
      for (const y of [softmax(x), logSoftmax(x), logsumexp(x), logsumexp(neg), softmax(neg)]) {
        expect(finite(y), y.toString()).toBe(true);
      }
    },
  );

  test("their gradients at ±1000 are finite and exact", () => {
    const x = f64([1000, -1000, 1000]);
    expectAllClose(grad((t: Tensor) => logsumexp(t))(x), [0.5, 0, 0.5]);
    const [, pullback] = vjp((t: Tensor) => logSoftmax(t), x);
    // d/dx Σ uᵢ logSoftmax(x)ᵢ = u - softmax(x)·Σu
    expectAllClose(pullback(f64([1, 0, 0]))[0] as Tensor, [0.5, 0, -0.5]);
    const [, pullbackSoftmax] = vjp((t: Tensor) => softmax(t), x);
    expectAllClose(pullbackSoftmax(f64([1, 0, 0]))[0] as Tensor, [0.25, 0, -0.25]);
  });

  test("reductions over an empty axis: Σ is 0, log Σ exp is -Infinity, mean and variance are NaN", () => {
    const empty = f64([]);
    expect(sum(empty).item()).toBe(0);
    expect(logsumexp(empty).item()).toBe(Number.NEGATIVE_INFINITY);
    expect(logsumexp(zeros([2, 0], { dtype: "float64" }), { axis: 1 }).toArray()).toEqual([
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    expect(mean(empty).item()).toBeNaN();
    expect(variance(empty).item()).toBeNaN();
    expect(softmax(zeros([2, 0])).shape).toEqual([2, 0]);
    expect(logSoftmax(empty).shape).toEqual([0]);
  });

  test("exp overflows to Infinity and underflows to 0 as IEEE says", () => {
    expect(exp(tensor([1000, -1000])).toArray()).toEqual([Infinity, 0]);
  });

  test("the gradient at a kink: relu, abs and sign give 0 at 0; clamp includes its bounds", () => {
    const at0 = f64([0]);
    expect(grad((x: Tensor) => x.relu().sum())(at0).toArray()).toEqual([0]);
    expect(grad((x: Tensor) => x.abs().sum())(at0).toArray()).toEqual([0]);
    expect(grad((x: Tensor) => x.clamp({ min: 0, max: 1 }).sum())(f64([0, 1, 2])).toArray()).toEqual([
      1, 1, 0,
    ]);
  });

  test("ties share the gradient evenly, exactly, in float64", () => {
    const g = grad((x: Tensor) => x.max())(f64([1, 3, 3, 3]));
    expect(g.toArray()).toEqual([0, 1 / 3, 1 / 3, 1 / 3]);
    const [ga, gb] = grad((a: Tensor, b: Tensor) => a.maximum(b).sum(), { argnums: [0, 1] })(
      f64([2]),
      f64([2]),
    );
    expect([ga?.item(), gb?.item()]).toEqual([0.5, 0.5]);
  });

  test("pow at a base of 0 takes the limits, as PyTorch does: no NaN from 0·∞", () => {
    const at = (a: number, b: number) =>
      grad((x: Tensor, y: Tensor) => x.pow(y).sum(), { argnums: [0, 1] })(f64([a]), f64([b])).map((t) =>
        t.item(),
      );
    expect(at(0, 2)).toEqual([0, 0]); // d/da a² = 2a, d/db aᵇ = aᵇ log a → 0
    expect(at(0, 0)).toEqual([0, 0]); // d/da a⁰ = 0
    expect(at(0, 0.5)).toEqual([Number.POSITIVE_INFINITY, 0]); // √a has an infinite slope at 0
    expect(at(2, 0)).toEqual([0, Math.LN2]);
    expect(grad((x: Tensor) => x.pow(0).sum())(f64([0, 3])).toArray()).toEqual([0, 0]);
  });

  test("sqrt at 0 has an infinite gradient", () => {
    expect(grad((x: Tensor) => x.sqrt().sum())(f64([0])).item()).toBe(Infinity);
  });
});

describe("dtype promotion", () => {
  const cases: [string, () => Tensor, DType][] = [
    ["int32 + int32", () => add(i32([1]), i32([2])), "int32"],
    ["int32 + float32", () => add(i32([1]), tensor([2])), "float32"],
    ["int32 + float64", () => add(i32([1]), f64([2])), "float64"],
    ["float32 + float64", () => add(tensor([1]), f64([2])), "float64"],
    ["int32 + integer number", () => add(i32([1]), 2), "int32"],
    ["int32 + fractional number", () => add(i32([1]), 2.5), "float32"],
    ["fractional number - int32", () => sub(2.5, i32([1])), "float32"],
    ["float64 + number stays float64", () => add(f64([1]), 2.5), "float64"],
    ["float32 * number stays float32", () => mul(tensor([1]), 1e-300), "float32"],
    ["number + number", () => add(1, 2), "float32"],
    ["int32 / int32", () => div(i32([7]), i32([2])), "float32"],
    ["int32 / number", () => div(i32([7]), 2), "float32"],
    ["float64 / int32", () => div(f64([7]), i32([2])), "float64"],
    ["exp of int32", () => exp(i32([0])), "float32"],
    ["mean of int32", () => mean(i32([1, 2])), "float32"],
    ["int32 @ int32", () => matmul(i32([[1]]), i32([[2]])), "int32"],
    ["int32 @ float64", () => matmul(i32([[1]]), f64([[2]])), "float64"],
    ["comparison", () => tensor([1]).gt(f64([0])), "int32"],
    ["where(cond, int32, fractional number)", () => where(i32([1]), i32([3]), 0.5), "float32"],
    ["where(cond, float32, float64)", () => where(i32([1]), tensor([3]), f64([0.5])), "float64"],
  ];
  test.each(cases)("%s", (_, run, dtype) => {
    expect(run().dtype).toBe(dtype);
  });

  test("values survive promotion: int32 division is true division, float32 operands are rounded first", () => {
    expectAllClose(div(i32([7, -7]), i32([2, 2])), [3.5, -3.5]);
    expect(add(tensor([0.1]), f64([0.2])).item()).toBe(Math.fround(0.1) + 0.2);
    expect(add(i32([1]), 2.5).item()).toBe(3.5);
  });

  test("promoteTypes is the rank order int32 < float32 < float64, symmetric", () => {
    const order: DType[] = ["int32", "float32", "float64"];
    for (const a of order) {
      for (const b of order) {
        const wider = order[Math.max(order.indexOf(a), order.indexOf(b))];
        expect(promoteTypes(a, b)).toBe(wider);
      }
    }
  });

  test("the gradient of a float32 input is float32 even when the graph promotes to float64", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(f64([0.5, 0.25]))
      .sum()
      .backward();
    expect(x.grad?.dtype).toBe("float32");
    expectAllClose(x.grad as Tensor, [0.5, 0.25]);
  });
});
