// The Flatten and Unflatten layers: merge axes (by default everything after the batch axis), or split one.

import { flatten, reshape, ShapeError, type Tensor, ValueError } from "@tapegrad/autograd";
import { fmtShape } from "../format.js";
import { Module } from "../module.js";

/**
 * Merges axes `startAxis..endAxis` into one; the defaults (1 and -1) keep the batch axis, as PyTorch's
 * `nn.Flatten` does, so `[N, 8, 8]` becomes `[N, 64]`.
 * @throws {ShapeError} From `forward`, if an axis is out of range.
 * @example
 * ```ts
 * import { Flatten } from "@tapegrad/nn";
 * import { zeros } from "@tapegrad/autograd";
 * console.log(new Flatten().call(zeros([5, 8, 8])).shape); // [5, 64]
 * ```
 * @category Layers
 */
export class Flatten extends Module {
  readonly startAxis: number;
  readonly endAxis: number;

  constructor(options: { startAxis?: number; endAxis?: number } = {}) {
    super();
    this.startAxis = options.startAxis ?? 1;
    this.endAxis = options.endAxis ?? -1;
  }

  forward(x: Tensor): Tensor {
    return flatten(x, { startAxis: this.startAxis, endAxis: this.endAxis });
  }

  override extraRepr(): string {
    return `startAxis=${this.startAxis}, endAxis=${this.endAxis}`;
  }
}

/**
 * Splits axis `axis` into `sizes`, PyTorch's `nn.Unflatten(dim, unflattened_size)`: the inverse of
 * {@link Flatten}, e.g. `new Unflatten(1, [1, 8, 8])` turns `[N, 64]` into the images `[N, 1, 8, 8]` a
 * {@link Conv2d} takes. A negative `axis` counts from the end; one entry of `sizes` may be -1, inferred
 * from the axis length. Gradient: `g` reshaped back.
 * @throws {ValueError} If `axis` is not an integer, or `sizes` is empty, has an entry that is neither a
 *   non-negative integer nor -1, or more than one -1.
 * @throws {ShapeError} From `forward`, if the axis is out of range or `sizes` do not multiply to its length.
 * @example
 * ```ts
 * import { Unflatten } from "@tapegrad/nn";
 * import { zeros } from "@tapegrad/autograd";
 * console.log(new Unflatten(1, [1, 8, 8]).call(zeros([5, 64])).shape); // [5, 1, 8, 8]
 * console.log(new Unflatten(-1, [2, -1]).call(zeros([5, 6])).shape); // [5, 2, 3]
 * ```
 * @category Layers
 */
export class Unflatten extends Module {
  readonly axis: number;
  readonly sizes: readonly number[];

  constructor(axis: number, sizes: readonly number[]) {
    super();
    if (!Number.isInteger(axis)) throw new ValueError(`Unflatten: axis must be an integer; got ${axis}`);
    if (
      !Array.isArray(sizes) ||
      sizes.length === 0 ||
      !sizes.every((n) => Number.isInteger(n) && n >= -1) ||
      sizes.filter((n) => n === -1).length > 1
    ) {
      throw new ValueError(
        "Unflatten: sizes must be a non-empty list of non-negative integers with at most one -1; " +
          `got ${JSON.stringify(sizes)}`,
      );
    }
    this.axis = axis;
    this.sizes = [...sizes];
  }

  forward(x: Tensor): Tensor {
    const axis = this.axis < 0 ? this.axis + x.ndim : this.axis;
    if (axis < 0 || axis >= x.ndim) {
      throw new ShapeError(
        `Unflatten: axis ${this.axis} is out of range for input ${fmtShape(x.shape)} (${x.ndim} axes)`,
      );
    }
    const length = x.shape[axis] as number;
    const known = this.sizes.reduce((a, n) => (n === -1 ? a : a * n), 1);
    const inferred = this.sizes.includes(-1) ? length / known : null;
    if (inferred === null ? known !== length : !Number.isInteger(inferred)) {
      throw new ShapeError(
        `Unflatten: sizes ${fmtShape(this.sizes)} do not fit axis ${this.axis} of input ${fmtShape(x.shape)}; ` +
          (inferred === null
            ? `they multiply to ${known}, expected the axis length ${length}`
            : `the axis length ${length} does not divide by the other sizes' product ${known}`),
      );
    }
    const sizes = this.sizes.map((n) => (n === -1 ? (inferred as number) : n));
    return reshape(x, [...x.shape.slice(0, axis), ...sizes, ...x.shape.slice(axis + 1)]);
  }

  override extraRepr(): string {
    return `axis=${this.axis}, sizes=${fmtShape(this.sizes)}`;
  }
}
