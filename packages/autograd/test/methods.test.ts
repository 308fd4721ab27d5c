// Every Tensor method is the function of the same name with the tensor as first argument: one table
// checks that each method reaches the right function (a swapped min/max would show here).

import * as T from "@tapegrad/autograd";
import { expectAllClose } from "@tapegrad/autograd/testing";
import { describe, expect, test } from "vitest";

const x = T.tensor(
  [
    [0.5, -1.25, 2],
    [1.5, 0.75, -0.5],
  ],
  { dtype: "float64" },
);
const y = T.tensor([0.25, 2, -1], { dtype: "float64" });
const positive = x.abs().add(0.5);
const idx = T.tensor([1, 0], { dtype: "int32" });

// [method call, the same through the function]
const CASES: Record<string, [() => T.Tensor, () => T.Tensor]> = {
  add: [() => x.add(y), () => T.add(x, y)],
  sub: [() => x.sub(y), () => T.sub(x, y)],
  mul: [() => x.mul(y), () => T.mul(x, y)],
  div: [() => x.div(y), () => T.div(x, y)],
  pow: [() => positive.pow(y), () => T.pow(positive, y)],
  maximum: [() => x.maximum(y), () => T.maximum(x, y)],
  minimum: [() => x.minimum(y), () => T.minimum(x, y)],
  eq: [() => x.eq(0.5), () => T.eq(x, 0.5)],
  ne: [() => x.ne(0.5), () => T.ne(x, 0.5)],
  gt: [() => x.gt(y), () => T.gt(x, y)],
  ge: [() => x.ge(0.75), () => T.ge(x, 0.75)],
  lt: [() => x.lt(y), () => T.lt(x, y)],
  le: [() => x.le(0.75), () => T.le(x, 0.75)],
  neg: [() => x.neg(), () => T.neg(x)],
  exp: [() => x.exp(), () => T.exp(x)],
  expm1: [() => x.expm1(), () => T.expm1(x)],
  log: [() => positive.log(), () => T.log(positive)],
  log1p: [() => positive.log1p(), () => T.log1p(positive)],
  sqrt: [() => positive.sqrt(), () => T.sqrt(positive)],
  abs: [() => x.abs(), () => T.abs(x)],
  sign: [() => x.sign(), () => T.sign(x)],
  sin: [() => x.sin(), () => T.sin(x)],
  cos: [() => x.cos(), () => T.cos(x)],
  tan: [() => x.tan(), () => T.tan(x)],
  tanh: [() => x.tanh(), () => T.tanh(x)],
  sigmoid: [() => x.sigmoid(), () => T.sigmoid(x)],
  relu: [() => x.relu(), () => T.relu(x)],
  leakyRelu: [() => x.leakyRelu({ slope: 0.3 }), () => T.leakyRelu(x, { slope: 0.3 })],
  softplus: [() => x.softplus(), () => T.softplus(x)],
  square: [() => x.square(), () => T.square(x)],
  reciprocal: [() => x.reciprocal(), () => T.reciprocal(x)],
  clamp: [() => x.clamp({ min: 0, max: 1 }), () => T.clamp(x, { min: 0, max: 1 })],
  sum: [() => x.sum({ axis: 1 }), () => T.sum(x, { axis: 1 })],
  mean: [() => x.mean({ axis: 0 }), () => T.mean(x, { axis: 0 })],
  max: [() => x.max({ axis: 1 }), () => T.max(x, { axis: 1 })],
  min: [() => x.min({ axis: 1 }), () => T.min(x, { axis: 1 })],
  variance: [() => x.variance({ correction: 0 }), () => T.variance(x, { correction: 0 })],
  std: [() => x.std({ axis: 1 }), () => T.std(x, { axis: 1 })],
  logsumexp: [() => x.logsumexp({ axis: 0 }), () => T.logsumexp(x, { axis: 0 })],
  argmax: [() => x.argmax({ axis: 1 }), () => T.argmax(x, { axis: 1 })],
  argmin: [() => x.argmin({ axis: 1 }), () => T.argmin(x, { axis: 1 })],
  softmax: [() => x.softmax({ axis: 0 }), () => T.softmax(x, { axis: 0 })],
  logSoftmax: [() => x.logSoftmax(), () => T.logSoftmax(x)],
  matmul: [() => x.matmul(y), () => T.matmul(x, y)],
  reshape: [() => x.reshape([3, 2]), () => T.reshape(x, [3, 2])],
  permute: [() => x.permute([1, 0]), () => T.permute(x, [1, 0])],
  transpose: [() => x.transpose(), () => T.transpose(x)],
  flatten: [() => x.flatten(), () => T.flatten(x)],
  squeeze: [() => x.reshape([1, 6]).squeeze(), () => T.squeeze(T.reshape(x, [1, 6]))],
  unsqueeze: [() => x.unsqueeze(1), () => T.unsqueeze(x, 1)],
  broadcastTo: [() => y.broadcastTo([2, 3]), () => T.broadcastTo(y, [2, 3])],
  slice: [() => x.slice([0, 1], [2, 1]), () => T.slice(x, [0, 1], [2, 1])],
  pad: [() => x.pad([[1, 0]], { value: 2 }), () => T.pad(x, [[1, 0]], { value: 2 })],
  gather: [() => x.gather(idx, { axis: 1 }), () => T.gather(x, idx, { axis: 1 })],
  cast: [() => x.cast("float32"), () => T.cast(x, "float32")],
  where: [() => x.where(x.gt(0), y), () => T.where(x.gt(0), x, y)],
};

describe("Tensor methods", () => {
  test.each(Object.entries(CASES))("x.%s(...) equals the function", (_, [method, fn]) => {
    const a = method();
    const b = fn();
    expect([a.shape, a.dtype]).toEqual([b.shape, b.dtype]);
    expectAllClose(a, b, { rtol: 0, atol: 0, equalNaN: true });
  });

  test("the table covers every method attached in tensor-methods.ts", () => {
    const proto = T.Tensor.prototype;
    const methods = Object.getOwnPropertyNames(proto).filter(
      (n) => typeof Object.getOwnPropertyDescriptor(proto, n)?.value === "function",
    );
    const own = ["constructor", "item", "toArray", "data", "detach", "assign", "toString", "backward"];
    expect(methods.filter((m) => !own.includes(m) && !(m in CASES)).sort()).toEqual([]);
  });
});
