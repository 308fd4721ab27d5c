// Tensors and creation functions: values, shapes and dtypes of every creation function, the Tensor
// accessors, detach, and in-place assign with the tape's check that saved values were not overwritten.

import {
  AutogradError,
  arange,
  eye,
  full,
  grad,
  linspace,
  noGrad,
  ones,
  onesLike,
  ShapeError,
  scalar,
  type Tensor,
  tensor,
  zeros,
  zerosLike,
} from "@tapegrad/autograd";
import { describe, expect, test } from "vitest";

describe("creation", () => {
  test("tensor infers shape from nested arrays and dtype from typed arrays", () => {
    const a = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([a.shape, a.dtype, a.size, a.ndim]).toEqual([[2, 3], "float32", 6, 2]);
    expect(tensor(new Float64Array([1, 2])).dtype).toBe("float64");
    expect(tensor(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(tensor(new Int32Array([1, 2]), { dtype: "float32" }).dtype).toBe("float32");
    expect(tensor([[[]]]).shape).toEqual([1, 1, 0]);
    expect(tensor(5).shape).toEqual([]);
  });

  test("tensor copies its data: later writes to the source do not show", () => {
    const src = new Float32Array([1, 2]);
    const t = tensor(src);
    src[0] = 9;
    expect(t.toArray()).toEqual([1, 2]);
  });

  test("tensor with shape takes flat data in row-major order", () => {
    expect(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(tensor([7], { shape: [] }).item()).toBe(7);
  });

  test("scalar, full, zeros, ones and the -like variants", () => {
    expect([scalar(3).shape, scalar(3).item()]).toEqual([[], 3]);
    expect(full([2, 2], 1.5, { dtype: "float64" }).toArray()).toEqual([
      [1.5, 1.5],
      [1.5, 1.5],
    ]);
    expect(zeros([3], { dtype: "int32" }).toArray()).toEqual([0, 0, 0]);
    expect(ones([0, 2]).size).toBe(0);
    const x = tensor([1, 2], { dtype: "float64" });
    expect([zerosLike(x).dtype, zerosLike(x).toArray()]).toEqual(["float64", [0, 0]]);
    expect(onesLike(x, { dtype: "int32" }).dtype).toBe("int32");
    expect(zeros([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  test("arange follows NumPy: half-open, negative and fractional steps", () => {
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
    expect(arange(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(arange(3, 0, { step: -1 }).toArray()).toEqual([3, 2, 1]);
    expect(arange(1, 2, { step: 0.25 }).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(0, 0.3, { step: 0.1, dtype: "float64" }).size).toBe(3);
    expect(arange(5, 2).size).toBe(0);
    expect(arange(3, undefined, { dtype: "int32" }).dtype).toBe("int32");
  });

  test("linspace includes both ends", () => {
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(2, 5, 1).toArray()).toEqual([2]);
    expect(linspace(0, 1, 0).size).toBe(0);
    expect(linspace(1, 0, 3, { dtype: "float64" }).toArray()).toEqual([1, 0.5, 0]);
    expect(linspace(0, 0.3, 4, { dtype: "float64" }).data()[3]).toBe(0.3);
  });

  test("eye, square and rectangular", () => {
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, 3, { dtype: "int32" }).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(eye(0).shape).toEqual([0, 0]);
  });
});

describe("Tensor accessors", () => {
  test("toArray nests by shape; data() is a copy", () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensor(2).toArray()).toBe(2);
    const d = t.data();
    d[0] = 100;
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  test("ids are unique; leaves and non-leaves", () => {
    const x = tensor([1], { requiresGrad: true });
    const y = x.mul(2);
    expect(x.id).not.toBe(y.id);
    expect([x.isLeaf, y.isLeaf]).toEqual([true, false]);
    expect(tensor([1]).mul(2).isLeaf).toBe(true);
  });

  test("detach shares the values but cuts the graph", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = x.mul(3).detach();
    expect([d.requiresGrad, d.isLeaf]).toEqual([false, true]);
    expect(d.toArray()).toEqual([3, 6]);
    const shared = x.detach();
    shared.assign(tensor([5, 6]));
    expect(x.toArray()).toEqual([5, 6]);
  });
});

describe("in-place assign", () => {
  test("writes broadcast and converted values into a leaf and returns it", () => {
    const w = zeros([2, 3], { dtype: "float64" });
    expect(w.assign(tensor([1, 2, 3]))).toBe(w);
    expect(w.toArray()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(w.dtype).toBe("float64");
    expect(() => w.assign(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => w.assign(tensor([1, 2]))).toThrow(
      /^assign: shapes do not broadcast; got \[2\] and \[2, 3\]/,
    );
    const v = zeros([3]);
    expect(() => v.assign(ones([2, 3]))).toThrow(
      /^assign: a value of shape \[2, 3\] does not broadcast to \[3\]/,
    );
  });

  test("an optimizer-style update after backward works and the next step sees the new values", () => {
    const w = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    w.square().sum().backward();
    noGrad(() => w.assign(w.sub((w.grad as Tensor).mul(0.25))));
    expect(w.toArray()).toEqual([0.5, 1]);
    w.grad = null;
    w.square().sum().backward();
    expect((w.grad as Tensor | null)?.toArray()).toEqual([1, 2]);
  });

  test("backward refuses to use a saved value that was overwritten after it was recorded", () => {
    const w = tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const loss = w.mul(w).sum(); // mul saved w for its vjp
    w.assign(tensor([10, 20]));
    expect(() => loss.backward()).toThrow(AutogradError);
    expect(() => w.mul(w).sum().backward()).not.toThrow();
    const loss2 = w.exp().sum(); // exp saved its output; w is an input too
    w.assign(tensor([0, 0]));
    expect(() => loss2.backward()).toThrow(
      /^backward: the input 'x' \[2\] of 'exp' was modified in place \(assign\) after it was recorded/,
    );
  });

  test("overwriting a tensor that shares storage with a saved one is caught too", () => {
    const w = tensor([1, 2, 3, 4], { dtype: "float64", requiresGrad: true });
    const v = w.reshape([2, 2]); // shares w's storage
    const loss = v.exp().sum();
    w.detach().assign(tensor([0]));
    expect(() => loss.backward()).toThrow(/modified in place/);
  });

  test("only leaves can be assigned", () => {
    const y = tensor([1], { requiresGrad: true }).mul(2);
    expect(() => y.assign(tensor([3]))).toThrow(
      /^assign: cannot write in place into a tensor produced by 'mul'/,
    );
  });

  test("grad and the transforms see the value at the time they run", () => {
    const w = tensor([3], { dtype: "float64" });
    const f = grad((x: Tensor) => x.mul(w).sum());
    expect(f(tensor([1], { dtype: "float64" })).item()).toBe(3);
    w.assign(tensor([5]));
    expect(f(tensor([1], { dtype: "float64" })).item()).toBe(5);
  });
});
