import { arange, Generator, ShapeError, type Tensor, tensor, ValueError, zeros } from "@tapegrad/autograd";
import { DataLoader, type Dataset, TensorDataset } from "@tapegrad/nn";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { fcRuns } from "./helpers.js";

const rowsOf = (n: number) =>
  new TensorDataset(arange(2 * n).reshape([n, 2]), arange(n, undefined, { dtype: "int32" }));
const labelsOf = (batches: Iterable<[Tensor, Tensor]>) =>
  [...batches].map(([, y]) => y.toArray() as number[]);

describe("TensorDataset", () => {
  test("rows are slices of every tensor along the first axis", () => {
    const ds = rowsOf(3);
    expect(ds.length).toBe(3);
    const [x, y] = ds.get(2);
    expect([x.toArray(), y.toArray()]).toEqual([[4, 5], 2]);
    const [bx, by] = ds.getBatch(tensor([2, 0], { dtype: "int32" }));
    expect([bx.toArray(), by.toArray()]).toEqual([
      [
        [4, 5],
        [0, 1],
      ],
      [2, 0],
    ]);
  });

  test("errors", () => {
    expect(() => new TensorDataset()).toThrow(ShapeError);
    expect(() => new TensorDataset(zeros([3, 2]), zeros([4]))).toThrow(/tensor 1 has shape \[4\]/);
    expect(() => new TensorDataset(zeros([]))).toThrow(ShapeError);
    expect(() => rowsOf(3).get(3)).toThrow(ValueError);
  });
});

describe("DataLoader", () => {
  test("without shuffling, batches come in order; the last may be short", () => {
    const loader = new DataLoader(rowsOf(5), { batchSize: 2 });
    expect(loader.length).toBe(3);
    expect(labelsOf(loader)).toEqual([[0, 1], [2, 3], [4]]);
    const [x] = [...loader][0] as [Tensor, Tensor];
    expect(x.shape).toEqual([2, 2]);
  });

  test("dropLast skips the short batch", () => {
    const loader = new DataLoader(rowsOf(5), { batchSize: 2, dropLast: true });
    expect(loader.length).toBe(2);
    expect(labelsOf(loader)).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  test("shuffled passes visit every row once, and the same seed gives the same batches", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.nat(),
        (n, batchSize, seed) => {
          const make = () =>
            new DataLoader(rowsOf(n), { batchSize, shuffle: true, generator: new Generator(seed) });
          const a = make();
          const first = labelsOf(a);
          expect(first.flat().sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
          expect(first.every((b, i) => b.length === (i < first.length - 1 ? batchSize : b.length))).toBe(
            true,
          );
          const b = make();
          expect(labelsOf(b)).toEqual(first);
          expect(labelsOf(b)).toEqual(labelsOf(a)); // second passes agree too
        },
      ),
      fcRuns(60),
    );
  });

  test("each pass draws a new order", () => {
    const loader = new DataLoader(rowsOf(20), { batchSize: 20, shuffle: true, generator: new Generator(1) });
    expect(labelsOf(loader)).not.toEqual(labelsOf(loader));
  });

  test("works with any Dataset", () => {
    const squares: Dataset<[Tensor]> = { length: 3, getBatch: (idx) => [idx.mul(idx)] };
    expect([...new DataLoader(squares, { batchSize: 2 })].map(([t]) => t.toArray())).toEqual([[0, 1], [4]]);
  });

  test("rejects bad batch sizes", () => {
    expect(() => new DataLoader(rowsOf(3), { batchSize: 0 })).toThrow(ValueError);
    expect(() => new DataLoader(rowsOf(3), { batchSize: 1.5 })).toThrow(/positive integer/);
  });
});
