// Movement primitives: they rearrange elements without arithmetic, so each vjp is another movement.

import { DTypeError, fmtShape, ShapeError, ValueError } from "../errors.js";
import * as K from "../kernels/movement.js";
import * as S from "../kernels/strided.js";
import { ndarray } from "../ndarray.js";
import { apply, defineOp } from "../op.js";
import { broadcastShapes, checkShape, normalizeAxis, shapesEqual, sizeOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { asTensor, cast, promote, type TensorLike } from "./cast.js";

/** @internal */
export const reshapeOp = defineOp<{ shape: number[] }>({
  name: "reshape",
  inputs: ["x"],
  forward: ([x], { shape }) => ({ data: x!.data, shape, dtype: x!.dtype }),
  vjp: ({ inputs: [x], g }) => [reshape(g, x!.shape)], // undo the reshape
});

/** @internal */
export const permuteOp = defineOp<{ perm: number[] }>({
  name: "permute",
  inputs: ["x"],
  forward: ([x], { perm }) => S.permute(x!, perm),
  // the inverse permutation puts axes back
  vjp: ({ g, attrs: { perm } }) => {
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => {
      inv[p] = i;
    });
    return [permute(g, inv)];
  },
});

/** @internal */
export const broadcastToOp = defineOp<{ shape: number[] }>({
  name: "broadcastTo",
  inputs: ["x"],
  forward: ([x], { shape }) => S.broadcastTo(x!, shape),
  vjp: ({ g }) => [g], // the tape sums g over the broadcast axes
});

/** @internal */
export const sliceOp = defineOp<{ begin: number[]; size: number[] }>({
  name: "slice",
  inputs: ["x"],
  forward: ([x], { begin, size }) => K.slice(x!, begin, size),
  // zeros around the slice: pad g back to the input's shape
  vjp: ({ inputs: [x], g, attrs: { begin, size } }) => [
    pad(
      g,
      begin.map((b, d) => [b, (x!.shape[d] as number) - b - (size[d] as number)]),
    ),
  ],
});

/** @internal */
export const padOp = defineOp<{ widths: [number, number][]; value: number }>({
  name: "pad",
  inputs: ["x"],
  forward: ([x], { widths, value }) =>
    K.pad(
      x!,
      widths.map((w) => w[0]),
      x!.shape.map((n, d) => n + (widths[d] as [number, number])[0] + (widths[d] as [number, number])[1]),
      value,
    ),
  // the inner box of g is the input's cotangent
  vjp: ({ inputs: [x], g, attrs: { widths } }) => [
    slice(
      g,
      widths.map((w) => w[0]),
      [...x!.shape],
    ),
  ],
});

/** @internal */
export const concatOp = defineOp<{ axis: number }>({
  name: "concat",
  inputs: ["xs"],
  forward: (xs, { axis }) => K.concat(xs, axis, xs[0]!.dtype),
  // each input gets its own stretch of g along the axis
  vjp: ({ inputs, g, attrs: { axis } }) => {
    let start = 0;
    return inputs.map((x) => {
      const begin = g.shape.map((_, d) => (d === axis ? start : 0));
      start += x.shape[axis] as number;
      return slice(g, begin, [...x.shape]);
    });
  },
});

/** @internal */
export const gatherOp = defineOp<{ axis: number }>({
  name: "gather",
  inputs: ["x", "indices"],
  forward: ([x, idx], { axis }) => K.take(x!, idx!, axis),
  // rows picked k times receive k cotangents
  vjp: ({ inputs: [x, idx], g, attrs: { axis } }) => [scatterAdd(g, idx!, { axis, shape: x!.shape }), null],
});

/** @internal */
export const scatterAddOp = defineOp<{ axis: number; shape: number[] }>({
  name: "scatterAdd",
  inputs: ["updates", "indices"],
  forward: ([u, idx], { axis, shape }) => K.scatterAdd(u!, idx!, axis, shape),
  // adjoint of gather is gather
  vjp: ({ inputs: [, idx], g, attrs: { axis } }) => [gather(g, idx!, { axis }), null],
});

/**
 * Gives the same elements a new shape (row-major order, as NumPy's reshape). One size may be -1 and is
 * inferred. Free: the data is shared. Gradient: `g` reshaped back.
 * @throws {ShapeError} If the sizes differ or more than one size is -1.
 * @example
 * ```ts
 * import { arange, reshape } from "@tapegrad/autograd";
 * console.log(reshape(arange(6), [2, -1]).shape); // [2, 3]
 * ```
 * @category Shape
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor(x);
  const infer = shape.filter((d) => d === -1).length;
  if (infer > 1) throw new ShapeError(`reshape: only one size may be -1; got ${fmtShape(shape)}`);
  const known = sizeOf(shape.filter((d) => d !== -1));
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : t.size / known) : d));
  if (resolved.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(resolved) !== t.size) {
    throw new ShapeError(
      `reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) to ${fmtShape(shape)}; ` +
        "the number of elements must stay the same",
    );
  }
  if (shapesEqual(resolved, t.shape)) return t;
  return apply(reshapeOp, [t], { shape: resolved });
}

/**
 * Reorders axes: axis `i` of the result is axis `perm[i]` of `x` (negative entries count from the end).
 * Gradient: `g` permuted back.
 * @throws {ShapeError} If `perm` is not a permutation of the axes.
 * @example
 * ```ts
 * import { permute, zeros } from "@tapegrad/autograd";
 * console.log(permute(zeros([2, 3, 4]), [2, 0, 1]).shape); // [4, 2, 3]
 * ```
 * @category Shape
 */
export function permute(x: TensorLike, perm: readonly number[]): Tensor {
  const t = asTensor(x);
  const p = perm.map((a) => normalizeAxis("permute", a, t.ndim));
  if (p.length !== t.ndim || new Set(p).size !== p.length) {
    throw new ShapeError(
      `permute: ${JSON.stringify(perm)} is not a permutation of the ${t.ndim} axes of a tensor of shape ${fmtShape(t.shape)}`,
    );
  }
  if (p.every((a, i) => a === i)) return t;
  return apply(permuteOp, [t], { perm: p });
}

/**
 * Repeats `x` along size-1 (or missing leading) axes to reach `shape`, by NumPy's broadcasting rule.
 * Gradient: `g` summed over the broadcast axes.
 * @throws {ShapeError} If `x` does not broadcast to `shape`.
 * @example
 * ```ts
 * import { broadcastTo, tensor } from "@tapegrad/autograd";
 * console.log(broadcastTo(tensor([1, 2]), [2, 2]).toArray()); // [[1, 2], [1, 2]]
 * ```
 * @category Shape
 */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor(x);
  const target = checkShape("broadcastTo", shape);
  const b = broadcastShapes(t.shape, target, "broadcastTo");
  if (!shapesEqual(b, target)) {
    throw new ShapeError(`broadcastTo: cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(shape)}`);
  }
  if (shapesEqual(t.shape, target)) return t;
  return apply(broadcastToOp, [t], { shape: target });
}

/**
 * Cuts the box starting at `begin` of extent `size` (TF's slice). Negative `begin` counts from the end;
 * a size of -1 (or a missing entry) takes the rest of the axis. Gradient: `g` padded with zeros.
 * @throws {ShapeError} If the box leaves the tensor.
 * @example
 * ```ts
 * import { slice, tensor } from "@tapegrad/autograd";
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * console.log(slice(x, [0, 1], [2, 2]).toArray()); // [[2, 3], [5, 6]]
 * ```
 * @category Shape
 */
export function slice(x: TensorLike, begin: readonly number[], size: readonly number[] = []): Tensor {
  const t = asTensor(x);
  if (begin.length > t.ndim || size.length > t.ndim) {
    throw new ShapeError(
      `slice: got ${begin.length} begin and ${size.length} size entries for a tensor of rank ${t.ndim}`,
    );
  }
  const b = t.shape.map((n, d) => {
    const v = begin[d] ?? 0;
    return v < 0 ? v + n : v;
  });
  const s = t.shape.map((n, d) => {
    const v = size[d] ?? -1;
    return v === -1 ? n - (b[d] as number) : v;
  });
  for (let d = 0; d < t.ndim; d++) {
    const n = t.shape[d] as number;
    const bd = b[d] as number;
    const sd = s[d] as number;
    if (!Number.isInteger(bd) || !Number.isInteger(sd) || bd < 0 || sd < 0 || bd + sd > n) {
      throw new ShapeError(
        `slice: axis ${d} range [${begin[d] ?? 0}, +${size[d] ?? -1}) leaves a tensor of shape ${fmtShape(t.shape)}`,
      );
    }
  }
  if (shapesEqual(s, t.shape)) return t;
  return apply(sliceOp, [t], { begin: b, size: s });
}

/**
 * Pads with a constant: `widths[d] = [before, after]` elements on axis d (NumPy's pad, constant mode;
 * missing trailing axes get no padding). Gradient: the inner box of `g`.
 * @throws {ShapeError} If there are more widths than axes or a width is negative.
 * @example
 * ```ts
 * import { pad, tensor } from "@tapegrad/autograd";
 * console.log(pad(tensor([1, 2]), [[1, 2]]).toArray()); // [0, 1, 2, 0, 0]
 * ```
 * @category Shape
 */
export function pad(
  x: TensorLike,
  widths: readonly (readonly [number, number])[],
  options: { value?: number } = {},
): Tensor {
  const t = asTensor(x);
  if (widths.length > t.ndim) {
    throw new ShapeError(`pad: got widths for ${widths.length} axes but the tensor has rank ${t.ndim}`);
  }
  const w = t.shape.map((_, d) => [widths[d]?.[0] ?? 0, widths[d]?.[1] ?? 0] as [number, number]);
  if (w.some(([a, b]) => !Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0)) {
    throw new ShapeError(`pad: widths must be non-negative integers; got ${JSON.stringify(widths)}`);
  }
  const value = options.value ?? 0;
  if (t.dtype === "int32" && !Number.isInteger(value)) {
    throw new ValueError(`pad: value ${value} is not an integer but the tensor is int32`);
  }
  if (w.every(([a, b]) => a === 0 && b === 0)) return t;
  return apply(padOp, [t], { widths: w, value });
}

/**
 * Joins tensors along an existing axis (default 0); dtypes promote. Gradient: each input gets its slice of `g`.
 * @throws {ShapeError} If the list is empty, ranks differ, or sizes differ off the axis.
 * @example
 * ```ts
 * import { concat, tensor } from "@tapegrad/autograd";
 * console.log(concat([tensor([1]), tensor([2, 3])]).toArray()); // [1, 2, 3]
 * ```
 * @category Shape
 */
export function concat(xs: readonly Tensor[], options: { axis?: number } = {}): Tensor {
  const first = xs[0];
  if (first === undefined) throw new ShapeError("concat: needs at least one tensor; got an empty list");
  const axis = normalizeAxis("concat", options.axis ?? 0, first.ndim);
  for (const [i, x] of xs.entries()) {
    const ok = x.ndim === first.ndim && x.shape.every((n, d) => d === axis || n === first.shape[d]);
    if (!ok) {
      throw new ShapeError(
        `concat: tensor ${i} has shape ${fmtShape(x.shape)}, which does not match ${fmtShape(first.shape)} ` +
          `off axis ${axis}`,
      );
    }
  }
  if (xs.length === 1) return first;
  const dtype = xs.reduce((dt, x) => promote(asTensor(0, dt), x)[1].dtype, first.dtype);
  return apply(
    concatOp,
    xs.map((x) => cast(x, dtype)),
    { axis },
  );
}

function checkIndices(op: string, idx: Tensor, n: number, axis: number, shape: readonly number[]): Tensor {
  if (idx.dtype !== "int32") {
    throw new DTypeError(`${op}: indices must be int32; got ${idx.dtype}`);
  }
  const d = idx.nd.data;
  let negative = false;
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (v < -n || v >= n) {
      throw new ValueError(
        `${op}: index ${v} is out of range for axis ${axis} of size ${n} (tensor of shape ${fmtShape(shape)})`,
      );
    }
    if (v < 0) negative = true;
  }
  if (!negative) return idx;
  const fixed = new Int32Array(d.length);
  for (let i = 0; i < d.length; i++)
    fixed[i] = (d[i] as number) < 0 ? (d[i] as number) + n : (d[i] as number);
  return new Tensor(ndarray(fixed, idx.shape));
}

/**
 * Picks slices of `x` along `axis` (default 0) by int32 `indices` (negative count from the end), like
 * NumPy's take and TF's gather: the result has shape `x.shape[:axis] + indices.shape + x.shape[axis+1:]`.
 * Gradient: `g` scattered back and summed where an index repeats; `indices` get none.
 * @throws {DTypeError} If `indices` are not int32.
 * @throws {ShapeError} If the axis is out of range.
 * @throws {ValueError} If an index is out of range.
 * @example
 * ```ts
 * import { gather, tensor } from "@tapegrad/autograd";
 * const x = tensor([[1, 2], [3, 4], [5, 6]]);
 * console.log(gather(x, tensor([2, 0], { dtype: "int32" })).toArray()); // [[5, 6], [1, 2]]
 * ```
 * @category Indexing
 */
export function gather(x: Tensor, indices: Tensor, options: { axis?: number } = {}): Tensor {
  const axis = normalizeAxis("gather", options.axis ?? 0, x.ndim);
  const idx = checkIndices("gather", indices, x.shape[axis] as number, axis, x.shape);
  return apply(gatherOp, [x, idx], { axis });
}

/**
 * Adds slices of `updates` into zeros of `shape` at int32 `indices` along `axis`: the adjoint of
 * {@link gather}, so `updates` has shape `shape[:axis] + indices.shape + shape[axis+1:]`. Repeated
 * indices add up. Gradient: `gather(g, indices)`.
 * @throws {ShapeError} If `updates` does not have the shape above.
 * @throws {ValueError} If an index is out of range.
 * @example
 * ```ts
 * import { scatterAdd, tensor } from "@tapegrad/autograd";
 * const u = tensor([1, 2, 3]);
 * console.log(scatterAdd(u, tensor([0, 2, 0], { dtype: "int32" }), { shape: [3] }).toArray()); // [4, 0, 2]
 * ```
 * @category Indexing
 */
export function scatterAdd(
  updates: Tensor,
  indices: Tensor,
  options: { axis?: number; shape: readonly number[] },
): Tensor {
  const shape = checkShape("scatterAdd", options.shape);
  const axis = normalizeAxis("scatterAdd", options.axis ?? 0, shape.length);
  const expected = [...shape.slice(0, axis), ...indices.shape, ...shape.slice(axis + 1)];
  if (!shapesEqual(expected, updates.shape)) {
    throw new ShapeError(
      `scatterAdd: updates have shape ${fmtShape(updates.shape)}, expected ${fmtShape(expected)} ` +
        `for indices ${fmtShape(indices.shape)} into ${fmtShape(shape)} along axis ${axis}`,
    );
  }
  const idx = checkIndices("scatterAdd", indices, shape[axis] as number, axis, shape);
  return apply(scatterAddOp, [updates, idx], { axis, shape });
}

/** @internal */
export const identityOp = defineOp({
  name: "identity",
  inputs: ["x"],
  forward: ([x]) => x!,
  vjp: ({ g }) => [g], // d x = dx
});

/** A new tensor on the tape that equals `x`: lets a transform differentiate with respect to a use of `x`. @internal */
export function identity(x: Tensor): Tensor {
  return apply(identityOp, [x], undefined);
}
