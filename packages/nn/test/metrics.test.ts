import { DTypeError, ShapeError, tensor, ValueError } from "@tapegrad/autograd";
import { accuracy, confusionMatrix } from "@tapegrad/nn";
import { describe, expect, test } from "vitest";

const i32 = (v: number[]) => tensor(v, { dtype: "int32" });

describe("accuracy", () => {
  test("from scores (argmax over the class axis) and from predicted classes", () => {
    const scores = tensor([
      [0.1, 0.9, 0],
      [2, 1, 0],
      [0, 0, 5],
      [1, 3, 2],
    ]);
    const labels = i32([1, 0, 2, 2]);
    expect(accuracy(scores, labels)).toBe(0.75);
    expect(accuracy(i32([1, 0, 2, 2]), labels)).toBe(1);
  });

  test("errors", () => {
    expect(() => accuracy(tensor([1, 0]), i32([1, 0]))).toThrow(DTypeError);
    expect(() => accuracy(i32([1, 0]), tensor([1, 0]))).toThrow(/labels must be int32/);
    expect(() => accuracy(tensor([[0.2], [0.9]]), i32([0, 1]))).toThrow(/single class column/);
    expect(() => accuracy(tensor([[1, 2, 3]]), i32([0, 1]))).toThrow(ShapeError);
    expect(() => accuracy(i32([]), i32([]))).toThrow(ValueError);
  });
});

describe("confusionMatrix", () => {
  test("rows are labels, columns predictions", () => {
    const m = confusionMatrix(i32([0, 1, 1, 2, 2, 2]), i32([0, 1, 0, 2, 1, 2]), 3);
    expect(m.dtype).toBe("int32");
    expect(m.toArray()).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
  });

  test("accepts scores and checks ranges", () => {
    expect(
      confusionMatrix(
        tensor([
          [0, 1],
          [1, 0],
        ]),
        i32([1, 1]),
        2,
      ).toArray(),
    ).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(() => confusionMatrix(i32([0, 3]), i32([0, 1]), 3)).toThrow(/prediction 3 at index 1/);
    expect(() => confusionMatrix(i32([0]), i32([-1]), 3)).toThrow(/label -1/);
    expect(() => confusionMatrix(i32([0]), i32([0]), 0)).toThrow(ValueError);
  });
});
