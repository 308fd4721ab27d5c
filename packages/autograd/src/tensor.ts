// The Tensor class: a value, its place on the tape, and its gradient. It imports no op; methods such
// as `x.add(y)` are attached in tensor-methods.ts.

import type { DType, TypedArray } from "./dtype.js";
import { isFloat } from "./dtype.js";
import { AutogradError, DTypeError, fmtShape, ShapeError, ValueError } from "./errors.js";
import { formatTensor } from "./format.js";
import { broadcastTo } from "./kernels/strided.js";
import type { NDArray } from "./ndarray.js";
import type { OpDef } from "./op.js";
import { broadcastShapes, type Shape, shapesEqual, stridesOf } from "./shape.js";
import { bumpVersion } from "./version.js";

/** What the tape keeps for one recorded op: enough to run its vjp later. @internal */
export interface TapeNode {
  readonly op: OpDef<unknown>;
  /** The op's inputs; emptied when the graph is freed after backward. */
  inputs: readonly Tensor[];
  readonly attrs: unknown;
  freed: boolean;
  /** Where the op was recorded; kept only in anomaly mode. */
  readonly stack: string | undefined;
  /** Storage versions of the inputs and the output when recorded (see version.ts). */
  readonly versions: readonly number[];
}

let nextId = 1;

/**
 * An n-dimensional array of `float32`, `float64` or `int32` values that remembers, when it requires grad,
 * the op that produced it, so reverse mode can walk back from a result to its inputs.
 *
 * Make tensors with {@link tensor}, {@link zeros}, {@link randn} and friends; every op is both a function
 * (`add(a, b)`) and a method (`a.add(b)`).
 *
 * @example
 * ```ts
 * import { tensor } from "@tapegrad/autograd";
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const loss = x.mul(x).sum();
 * loss.backward();
 * console.log(x.grad?.toArray()); // [[2, 4], [6, 8]]
 * ```
 * @category Tensors
 */
export class Tensor {
  /** The raw storage. @internal */
  readonly nd: NDArray;
  /** The recorded op that produced this tensor, or null for a leaf. @internal */
  node: TapeNode | null;
  /** A number unique to this tensor, used in graph printouts. */
  readonly id: number;
  /**
   * The gradient accumulated by {@link Tensor.backward} into a leaf that requires grad; `null` until then.
   * Calling backward twice adds to it; zero it with `x.grad = null` (optimizers' `zeroGrad()` do).
   */
  grad: Tensor | null = null;
  #requiresGrad: boolean;

  /** @internal Use {@link tensor} and the other creation functions. */
  constructor(nd: NDArray, node: TapeNode | null = null, requiresGrad = node !== null) {
    this.nd = nd;
    this.node = node;
    this.id = nextId++;
    this.#requiresGrad = false;
    if (requiresGrad) this.requiresGrad = true;
  }

  /** The length of each axis. */
  get shape(): Shape {
    return this.nd.shape;
  }

  /** The element type. */
  get dtype(): DType {
    return this.nd.dtype;
  }

  /** Number of axes; 0 for a scalar. */
  get ndim(): number {
    return this.nd.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return this.nd.data.length;
  }

  /** True for a tensor not produced by a recorded op (a leaf of the graph). */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /**
   * Whether gradients flow to this tensor. Set it on leaves (parameters, inputs); results of ops on such
   * tensors require grad by themselves.
   * @throws {DTypeError} When set on an int32 tensor.
   * @throws {AutogradError} When switched off on a non-leaf (use {@link Tensor.detach}).
   */
  get requiresGrad(): boolean {
    return this.#requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (value && !isFloat(this.dtype)) {
      throw new DTypeError(
        `requiresGrad: only floating-point tensors can require grad; got dtype ${this.dtype} ` +
          `for a tensor of shape ${fmtShape(this.shape)} (int32 tensors are labels and indices)`,
      );
    }
    if (!value && this.node !== null) {
      throw new AutogradError("requiresGrad: cannot switch off on a tensor produced by an op; use detach()");
    }
    this.#requiresGrad = value;
  }

  /**
   * The value of a one-element tensor as a number.
   * @throws {ValueError} If the tensor has more than one element.
   */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError(
        `item: only a one-element tensor converts to a number; got shape ${fmtShape(this.shape)}`,
      );
    }
    return this.nd.data[0] as number;
  }

  /** The values as nested JavaScript arrays (a number for a scalar). */
  toArray(): NestedArray {
    const { data, shape } = this.nd;
    if (shape.length === 0) return data[0] as number;
    const strides = stridesOf(shape);
    const last = shape.length - 1;
    const build = (axis: number, offset: number): NestedArray[] => {
      const out: NestedArray[] = [];
      for (let i = 0; i < (shape[axis] as number); i++) {
        out.push(
          axis === last
            ? (data[offset + i] as number)
            : build(axis + 1, offset + i * (strides[axis] as number)),
        );
      }
      return out;
    };
    return build(0, 0);
  }

  /** A copy of the values as a typed array (Float32Array, Float64Array or Int32Array), row-major. */
  data(): TypedArray {
    return this.nd.data.slice();
  }

  /**
   * A new leaf sharing this tensor's values but cut from the graph: no gradient flows through it.
   */
  detach(): Tensor {
    return new Tensor(this.nd, null, false);
  }

  /**
   * Overwrites this tensor's values in place with `value` (broadcast to this shape and converted to this
   * dtype), like PyTorch's `copy_` under `no_grad`. For parameter updates in optimizers and for loading
   * weights; no gradient flows through the write. If the old values were saved for a gradient that has not
   * been computed yet, that backward pass throws instead of using the new values.
   * @throws {AutogradError} If this tensor was produced by a recorded op (write to leaves only).
   * @throws {ShapeError} If `value` does not broadcast to this tensor's shape.
   */
  assign(value: Tensor): this {
    if (this.node !== null) {
      throw new AutogradError(
        `assign: cannot write in place into a tensor produced by '${this.node.op.name}'; only leaves can be updated`,
      );
    }
    writeInto(this.nd, value.nd, "assign");
    bumpVersion(this.nd.data);
    return this;
  }

  /** Prints like NumPy and PyTorch: values (elided when large), shape and dtype. */
  toString(): string {
    return formatTensor(this.nd, this.requiresGrad);
  }
}

/**
 * Nested arrays of numbers, as accepted by {@link tensor} and returned by {@link Tensor.toArray}.
 *
 * @example
 * ```ts
 * import { tensor, type NestedArray } from "@tapegrad/autograd";
 * const rows: NestedArray = [[1, 2], [3, 4]];
 * console.log(tensor(rows).shape); // [2, 2]
 * ```
 * @category Tensors
 */
export type NestedArray = number | readonly NestedArray[];

/** Copies `src` (broadcast, converted) into `dst`'s storage. */
function writeInto(dst: NDArray, src: NDArray, op: string): void {
  if (!shapesEqual(broadcastShapes(src.shape, dst.shape, op), dst.shape)) {
    throw new ShapeError(
      `${op}: a value of shape ${fmtShape(src.shape)} does not broadcast to ${fmtShape(dst.shape)}`,
    );
  }
  const values = shapesEqual(src.shape, dst.shape) ? src.data : broadcastTo(src, dst.shape).data;
  dst.data.set(values);
}
