// The raw array: a contiguous typed-array buffer with a shape and dtype; knows nothing of autograd.

import { allocate, type DType, dtypeOf, type TypedArray } from "./dtype.js";
import { sizeOf } from "./shape.js";

/** Contiguous row-major storage. Kernels read and write these; the tape never looks inside. @internal */
export interface NDArray {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** @internal */
export function ndarray(data: TypedArray, shape: readonly number[]): NDArray {
  return { data, shape, dtype: dtypeOf(data) };
}

/** @internal */
export function emptyND(dtype: DType, shape: readonly number[]): NDArray {
  return { data: allocate(dtype, sizeOf(shape)), shape, dtype };
}

/** Converts storage to another dtype (a copy, or the same array when the dtype already matches). @internal */
export function castND(x: NDArray, dtype: DType): NDArray {
  if (x.dtype === dtype) return x;
  const out = allocate(dtype, x.data.length);
  out.set(x.data);
  return { data: out, shape: x.shape, dtype };
}

/** @internal */
export function fillND(dtype: DType, shape: readonly number[], value: number): NDArray {
  const out = emptyND(dtype, shape);
  if (value !== 0) out.data.fill(value);
  return out;
}
