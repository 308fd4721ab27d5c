// In-memory datasets and a seeded mini-batch loader that gathers rows of whole tensors.

import {
  type Generator,
  gather,
  randperm,
  ShapeError,
  type Tensor,
  tensor,
  ValueError,
} from "@tapegrad/autograd";
import { fmtShape } from "./format.js";

/**
 * What {@link DataLoader} draws from: a number of rows and a way to fetch several rows at once as
 * tensors. {@link TensorDataset} is the in-memory implementation.
 *
 * @example
 * ```ts
 * import { DataLoader, type Dataset } from "@tapegrad/nn";
 * import { arange, type Tensor } from "@tapegrad/autograd";
 * const squares: Dataset<[Tensor]> = { length: 4, getBatch: (idx) => [idx.cast("float32").square()] };
 * console.log([...new DataLoader(squares, { batchSize: 4 })][0]?.[0].toArray()); // [0, 1, 4, 9]
 * ```
 * @category Data
 */
export interface Dataset<T extends Tensor[]> {
  /** Number of rows. */
  readonly length: number;
  /** The rows at int32 `indices` (shape `[B]`), one tensor per field, each with leading axis B. */
  getBatch(indices: Tensor): T;
}

/**
 * A dataset of tensors that share their first axis: row i is `[t[i] for t in tensors]`, as PyTorch's
 * `TensorDataset`. Batches are gathered along axis 0.
 * @throws {ShapeError} If there are no tensors, one is a scalar, or first axes differ.
 * @example
 * ```ts
 * import { TensorDataset } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const ds = new TensorDataset(tensor([[1, 2], [3, 4], [5, 6]]), tensor([0, 1, 0], { dtype: "int32" }));
 * console.log(ds.length, ds.get(1).map((t) => t.toArray())); // 3 [[3, 4], 1]
 * ```
 * @category Data
 */
export class TensorDataset<T extends Tensor[]> implements Dataset<T> {
  readonly tensors: Readonly<T>;
  readonly length: number;

  constructor(...tensors: T) {
    const first = tensors[0];
    if (first === undefined) throw new ShapeError("TensorDataset: needs at least one tensor");
    tensors.forEach((t, i) => {
      if (t.ndim === 0 || t.shape[0] !== first.shape[0]) {
        throw new ShapeError(
          `TensorDataset: tensor ${i} has shape ${fmtShape(t.shape)}; every tensor needs a first axis of ` +
            `length ${first.shape[0] ?? "(scalar)"} like tensor 0 ${fmtShape(first.shape)}`,
        );
      }
    });
    this.tensors = tensors;
    this.length = first.shape[0] as number;
  }

  /**
   * Row `index` of every tensor (the first axis removed).
   * @throws {ValueError} If the index is out of range.
   */
  get(index: number): T {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new ValueError(`TensorDataset.get: index ${index} is out of range for ${this.length} rows`);
    }
    const idx = tensor([index], { dtype: "int32", shape: [] });
    return this.tensors.map((t) => gather(t, idx)) as T;
  }

  getBatch(indices: Tensor): T {
    return this.tensors.map((t) => gather(t, indices)) as T;
  }
}

/**
 * Options of {@link DataLoader}.
 *
 * @example
 * ```ts
 * import { type DataLoaderOptions } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * const opts: DataLoaderOptions = { batchSize: 32, shuffle: true, generator: new Generator(0), dropLast: true };
 * console.log(opts.batchSize); // 32
 * ```
 * @category Data
 */
export interface DataLoaderOptions {
  /** Rows per batch. Default 1. */
  batchSize?: number;
  /** Draw a fresh random order of the rows at the start of every pass. Default false. */
  shuffle?: boolean;
  /** Where shuffling draws from; the global generator by default. Same seed, same batches. */
  generator?: Generator;
  /** Skip a last batch smaller than `batchSize`. Default false. */
  dropLast?: boolean;
}

/**
 * Iterates a dataset in mini-batches: each `for ... of` pass yields one tuple of tensors per batch, gathered
 * with int32 indices (no copy of the whole dataset). With `shuffle`, every pass draws a new permutation
 * from `generator`, so a loader built with `new Generator(seed)` yields the same batches in the same order
 * on every run.
 * @throws {ValueError} If `batchSize` is not a positive integer.
 * @example
 * ```ts
 * import { DataLoader, TensorDataset } from "@tapegrad/nn";
 * import { Generator, arange } from "@tapegrad/autograd";
 * const ds = new TensorDataset(arange(10).reshape([5, 2]), arange(5, undefined, { dtype: "int32" }));
 * const loader = new DataLoader(ds, { batchSize: 2, shuffle: true, generator: new Generator(0) });
 * console.log(loader.length); // 3
 * for (const [x, y] of loader) console.log(x.shape, y.toArray()); // [2, 2] [...], [2, 2] [...], [1, 2] [...]
 * ```
 * @category Data
 */
export class DataLoader<T extends Tensor[]> implements Iterable<T> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly #generator: Generator | undefined;

  constructor(dataset: Dataset<T>, options: DataLoaderOptions = {}) {
    const batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new ValueError(`DataLoader: batchSize must be a positive integer; got ${batchSize}`);
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.#generator = options.generator;
  }

  /** Number of batches per pass. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<T> {
    const n = this.dataset.length;
    const order = this.shuffle
      ? (randperm(
          n,
          this.#generator === undefined ? {} : { generator: this.#generator },
        ).data() as Int32Array)
      : null;
    for (let b = 0; b < this.length; b++) {
      const start = b * this.batchSize;
      const end = Math.min(start + this.batchSize, n);
      const idx = new Int32Array(end - start);
      for (let i = 0; i < idx.length; i++) idx[i] = order === null ? start + i : (order[start + i] as number);
      yield this.dataset.getBatch(tensor(idx));
    }
  }
}
