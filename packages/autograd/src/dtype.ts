// dtype names, their typed-array storage, and the one promotion rule used by every op.

import { DTypeError } from "./errors.js";

/**
 * The element types a tensor can hold. `float32` is the default (as in PyTorch and JAX), `float64` is for
 * exact gradient checks, `int32` is for labels and indices and is never differentiable.
 *
 * @example
 * ```ts
 * import { tensor, type DType } from "@tapegrad/autograd";
 * const dt: DType = "float64";
 * console.log(tensor([1, 2], { dtype: dt }).dtype); // "float64"
 * ```
 * @category Tensors
 */
export type DType = "float32" | "float64" | "int32";

/**
 * The typed array that stores each dtype.
 *
 * @example
 * ```ts
 * import { tensor, type TypedArray } from "@tapegrad/autograd";
 * const data: TypedArray = tensor([1, 2]).data();
 * console.log(data instanceof Float32Array); // true
 * ```
 * @category Tensors
 */
export type TypedArray = Float32Array | Float64Array | Int32Array;

/** @internal */
export const DTYPES: readonly DType[] = ["float32", "float64", "int32"];

/** Allocates zeroed storage of `size` elements for `dtype`. @internal */
export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "float64":
      return new Float64Array(size);
    case "int32":
      return new Int32Array(size);
  }
}

/** The dtype a typed array stores. @internal */
export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  return "int32";
}

/** @internal */
export function isFloat(dtype: DType): boolean {
  return dtype !== "int32";
}

/** @internal */
export function checkDType(op: string, dtype: unknown): DType {
  if (dtype === "float32" || dtype === "float64" || dtype === "int32") return dtype;
  throw new DTypeError(
    `${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of float32, float64, int32`,
  );
}

const RANK: Record<DType, number> = { int32: 0, float32: 1, float64: 2 };

/**
 * The dtype of the result of mixing two tensors, following PyTorch's rule on our three types:
 * `int32 < float32 < float64`, and the result is the wider one.
 *
 * Plain JavaScript numbers are "weak": they take the tensor's dtype, except that a non-integer number
 * mixed with an int32 tensor gives float32.
 *
 * @example
 * ```ts
 * import { promoteTypes } from "@tapegrad/autograd";
 * console.log(promoteTypes("int32", "float32")); // "float32"
 * console.log(promoteTypes("float32", "float64")); // "float64"
 * ```
 * @category Tensors
 */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}
