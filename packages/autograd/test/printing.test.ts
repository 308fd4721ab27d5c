// Printing: NumPy/PyTorch-style text with shape and dtype, aligned columns, and elision of large tensors.

import { arange, full, ones, reshape, type Tensor, tensor } from "@tapegrad/autograd";
import { describe, expect, test } from "vitest";

const str = (t: Tensor) => t.toString();

describe("toString", () => {
  test("scalars, vectors and matrices, with shape and dtype", () => {
    expect(str(tensor(3))).toBe("tensor(3., shape=[], dtype=float32)");
    expect(str(tensor([1.5, -2]))).toBe("tensor([ 1.5000, -2.0000], shape=[2], dtype=float32)");
    expect(
      str(
        tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: "int32" },
        ),
      ),
    ).toBe("tensor([[1, 2],\n        [3, 4]], shape=[2, 2], dtype=int32)");
    expect(str(tensor([[1, 20]], { dtype: "float64" }))).toBe(
      "tensor([[ 1., 20.]], shape=[1, 2], dtype=float64)",
    );
  });

  test("requiresGrad is shown; empty tensors print as empty lists", () => {
    expect(str(tensor([1], { requiresGrad: true }))).toBe(
      "tensor([1.], shape=[1], dtype=float32, requiresGrad=true)",
    );
    expect(str(tensor([]))).toBe("tensor([], shape=[0], dtype=float32)");
  });

  test("NaN and infinities; scientific notation when fixed point would hide digits", () => {
    expect(str(tensor([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5]))).toBe(
      "tensor([   nan,    inf,   -inf, 1.5000], shape=[4], dtype=float32)",
    );
    expect(str(tensor([1e-5, 2], { dtype: "float64" }))).toBe(
      "tensor([1.0000e-5, 2.0000e+0], shape=[2], dtype=float64)",
    );
    expect(str(tensor([1e9, 0.5], { dtype: "float64" }))).toBe(
      "tensor([1.0000e+9, 5.0000e-1], shape=[2], dtype=float64)",
    );
    expect(str(tensor([0.5, 2, 100.25], { dtype: "float64" }))).toBe(
      "tensor([  0.5000,   2.0000, 100.2500], shape=[3], dtype=float64)",
    );
  });

  test("rank 3 separates blocks with a blank line", () => {
    expect(str(reshape(arange(8, undefined, { dtype: "int32" }), [2, 2, 2]))).toBe(
      "tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]], shape=[2, 2, 2], dtype=int32)",
    );
  });

  test("up to 1000 elements print in full", () => {
    const s = str(arange(1000, undefined, { dtype: "int32" }));
    expect(s).not.toContain("...");
    expect(s).toContain(" 500,");
  });

  test("more than 1000 elements are elided to 3 at each end of every long axis", () => {
    expect(str(arange(2000, undefined, { dtype: "int32" }))).toBe(
      "tensor([   0,    1,    2, ..., 1997, 1998, 1999], shape=[2000], dtype=int32)",
    );
    const m = str(full([40, 40], 7, { dtype: "int32" }));
    const rows = m.split("\n");
    expect(rows).toHaveLength(7);
    expect(rows[0]).toBe("tensor([[7, 7, 7, ..., 7, 7, 7],");
    expect(rows[3]).toBe("        ...,");
    expect(rows[6]).toBe("        [7, 7, 7, ..., 7, 7, 7]], shape=[40, 40], dtype=int32)");
  });

  test("a short axis of a large tensor is not elided", () => {
    const s = str(ones([2, 600]));
    const rows = s.split("\n");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toBe("tensor([[1., 1., 1., ..., 1., 1., 1.],");
  });
});
