// The embedding layer: a learned table looked up by integer ids. Its gradient is autograd's gather rule
// (the rows picked, summed where an id repeats); no backward code here.

import {
  type DType,
  DTypeError,
  type Generator,
  gather,
  randn,
  stopGradient,
  type Tensor,
  tensor,
  ValueError,
  where,
} from "@tapegrad/autograd";
import { Module } from "../module.js";
import { checkInit, paramDType } from "./param-init.js";

/**
 * Options of {@link Embedding}.
 *
 * @example
 * ```ts
 * import { Embedding, type EmbeddingOptions } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const opts: EmbeddingOptions = { paddingIdx: 0 };
 * console.log(new Embedding(5, 2, opts).call(tensor([0], { dtype: "int32" })).toArray()); // [[0, 0]]
 * ```
 * @category Layers
 */
export interface EmbeddingOptions {
  /** An id whose row starts at zero and is never updated (its gradient is zero), as PyTorch's `padding_idx`. */
  paddingIdx?: number;
  /** Parameter dtype: float32 (default) or float64. */
  dtype?: DType;
  /** Generator for the initial values; the global one by default. */
  generator?: Generator;
}

/**
 * A table of `numEmbeddings` learned vectors of length `embeddingDim` (PyTorch's `nn.Embedding`): int32
 * ids of any shape give their rows, `[...ids.shape, embeddingDim]`. The table, `weight`, starts as
 * standard normal draws, as in PyTorch. Gradient: each row gets the sum of the cotangents of the places
 * its id appears.
 * @throws {ValueError} If a size is not a positive integer or `paddingIdx` is not an id of the table.
 * @example
 * ```ts
 * import { Embedding } from "@tapegrad/nn";
 * import { Generator, tensor } from "@tapegrad/autograd";
 * const embed = new Embedding(10, 3, { generator: new Generator(0) });
 * const ids = tensor([[1, 2, 1]], { dtype: "int32" });
 * console.log(embed.call(ids).shape); // [1, 3, 3]
 * ```
 * @category Layers
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  /** `[numEmbeddings, embeddingDim]`. */
  weight: Tensor;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    for (const [what, n] of [
      ["numEmbeddings", numEmbeddings],
      ["embeddingDim", embeddingDim],
    ] as const) {
      if (!Number.isInteger(n) || n < 1)
        throw new ValueError(`Embedding: ${what} must be a positive integer; got ${n}`);
    }
    const pad = options.paddingIdx ?? null;
    if (pad !== null && !(Number.isInteger(pad) && pad >= 0 && pad < numEmbeddings)) {
      throw new ValueError(`Embedding: paddingIdx must be an id in [0, ${numEmbeddings}); got ${pad}`);
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = pad;
    const dtype = paramDType("Embedding", options.dtype);
    const shape = [numEmbeddings, embeddingDim];
    const drawn = randn(shape, {
      dtype,
      ...(options.generator === undefined ? {} : { generator: options.generator }),
    });
    const values = drawn.data(); // a copy
    if (pad !== null) values.fill(0, pad * embeddingDim, (pad + 1) * embeddingDim);
    this.weight = checkInit("Embedding", "weight", tensor(values, { shape, dtype }), shape, dtype);
  }

  /**
   * The rows of `ids` (int32, any shape).
   * @throws {DTypeError} If `ids` are not int32.
   * @throws {ValueError} If an id is outside `[0, numEmbeddings)`.
   */
  forward(ids: Tensor): Tensor {
    if (ids.dtype !== "int32") throw new DTypeError(`Embedding: ids must be int32; got ${ids.dtype}`);
    const values = ids.data();
    for (let i = 0; i < values.length; i++) {
      const id = values[i] as number;
      if (id < 0 || id >= this.numEmbeddings) {
        throw new ValueError(`Embedding: id ${id} is out of range for a table of ${this.numEmbeddings} rows`);
      }
    }
    const rows = gather(this.weight, ids, { axis: 0 });
    if (this.paddingIdx === null) return rows;
    // The padding row's value passes through but its gradient does not.
    const isPad = ids.eq(this.paddingIdx).unsqueeze(-1);
    return where(isPad, stopGradient(rows), rows);
  }

  override extraRepr(): string {
    const pad = this.paddingIdx === null ? "" : `, paddingIdx=${this.paddingIdx}`;
    return `numEmbeddings=${this.numEmbeddings}, embeddingDim=${this.embeddingDim}${pad}`;
  }
}
