// Pure shape arithmetic: sizes, strides, broadcasting and axis normalisation.

import { fmtShape, ShapeError } from "./errors.js";

/**
 * A tensor's shape: the length of each axis, outermost first. `[]` is a scalar.
 *
 * @example
 * ```ts
 * import { zeros, type Shape } from "@tapegrad/autograd";
 * const s: Shape = [2, 3];
 * console.log(zeros(s).size); // 6
 * ```
 * @category Tensors
 */
export type Shape = readonly number[];

/** Number of elements of a shape. @internal */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C order) strides of a shape, in elements. @internal */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

/** @internal */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The shape two shapes broadcast to under NumPy's rule: align from the right; each pair of axes must be
 * equal or one of them 1.
 *
 * @throws {ShapeError} If the shapes do not broadcast.
 * @example
 * ```ts
 * import { broadcastShapes } from "@tapegrad/autograd";
 * console.log(broadcastShapes([3, 1], [1, 4])); // [3, 4]
 * ```
 * @category Shapes
 */
export function broadcastShapes(a: Shape, b: Shape, op = "broadcast"): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes do not broadcast; got ${fmtShape(a)} and ${fmtShape(b)} ` +
          `(axis ${i - n}: ${da} vs ${db}; sizes must be equal or one of them 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Normalises one axis (negative counts from the end) against a rank.
 * @internal
 */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    const range = ndim === 0 ? "none (the tensor is a scalar)" : `[${-ndim}, ${ndim - 1}]`;
    throw new ShapeError(
      `${op}: axis ${axis} is out of range for a tensor of rank ${ndim}; valid axes: ${range}`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalises an axis list (undefined = all axes), sorted, without repeats.
 * @internal
 */
export function normalizeAxes(
  op: string,
  axes: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  if (axes === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(op, a, ndim));
  const set = new Set(out);
  if (set.size !== out.length) throw new ShapeError(`${op}: repeated axis in ${JSON.stringify(list)}`);
  return [...set].sort((x, y) => x - y);
}

/** Shape after reducing `axes`, keeping them as 1 or dropping them. @internal */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i] as number);
  }
  return out;
}

/** Checks a user-given shape: non-negative integers. @internal */
export function checkShape(op: string, shape: Shape): number[] {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(
        `${op}: invalid shape ${fmtShape(shape)}; every size must be a non-negative integer`,
      );
    }
  }
  return [...shape];
}
