// What a row of the op table is made of (samples, forward and error cases) and the fast-check
// arbitraries that draw random samples: op structure (shapes, axes, options) here, values in support.ts.

import {
  type DType,
  type NestedArray,
  type ReduceOptions,
  type Shape,
  type Tensor,
  tensor,
} from "@tapegrad/autograd";
import { broadcastPairArb, shapeArb } from "@tapegrad/autograd/testing";
import fc from "fast-check";
import type { Domain } from "./support.js";

/** One way of calling an op: the shapes of its differentiable inputs and a function of them. */
export interface Sample {
  readonly label: string;
  /** Shapes of the float64 inputs, drawn from the row's domain. Non-differentiable arguments (indices,
   * masks, axes, plain numbers) are fixed inside `call`. */
  readonly shapes: readonly Shape[];
  readonly call: (...xs: Tensor[]) => Tensor;
  /** For composites: the same function spelled out from other ops, which it must match in value and gradient. */
  readonly reference?: (...xs: Tensor[]) => Tensor;
  /** Overrides the row's domain for this sample. */
  readonly domain?: Domain | readonly Domain[];
}

/** A hand-computed forward value. */
export interface ForwardCase {
  readonly label: string;
  readonly run: () => Tensor;
  readonly expected: NestedArray;
  readonly dtype?: DType;
  /** NaN in `expected` must be NaN in the result. */
  readonly equalNaN?: boolean;
}

/** A call that must throw an error of class `throws` with a message matching `match`. */
export interface ErrorCase {
  readonly label: string;
  readonly run: () => unknown;
  readonly throws: new (message?: string) => Error;
  readonly match: RegExp;
}

/** Finite-difference settings of a row that needs looser ones than the defaults (with a comment why). */
export interface Tol {
  readonly eps?: number;
  readonly rtol?: number;
  readonly atol?: number;
}

/**
 * What an op returns when every input has one dtype: the result's dtype, or "DTypeError" when it rejects
 * inputs of that dtype. Claimed per row, checked by capabilities.test.ts, listed in the docs' capability page.
 */
export type DTypeOutcome = DType | "DTypeError";
export type DTypeClaims = { readonly [D in DType]: DTypeOutcome };

/** Accepts every dtype and keeps it. */
export const KEEPS_DTYPE: DTypeClaims = { float32: "float32", float64: "float64", int32: "int32" };
/** Accepts every dtype; int32 input is promoted to float32 (ops defined on reals only). */
export const INT32_TO_FLOAT32: DTypeClaims = { float32: "float32", float64: "float64", int32: "float32" };
/** Accepts every dtype and returns int32 (comparisons, masks, indices). */
export const RETURNS_INT32: DTypeClaims = { float32: "int32", float64: "int32", int32: "int32" };

interface Common {
  /** Hand-computed forward values; every row has at least one. */
  readonly forward: readonly [ForwardCase, ...ForwardCase[]];
  readonly errors?: readonly ErrorCase[];
  /** What the dtype sample returns for inputs of each dtype (all inputs cast to it). */
  readonly dtypes: DTypeClaims;
  /** The call `dtypes` describes, when it is not the first sample (its inputs are cast to each dtype). */
  readonly dtypeSample?: Sample;
  /**
   * Whether `jvp` runs and agrees with central differences on every sample. Default: the row is
   * differentiable (forward mode transposes the vjp). A non-differentiable op with a floating-point result
   * claims it when jvp gives its (zero) tangent; with an int32 result, jvp throws.
   */
  readonly forwardMode?: boolean;
  /** A user-facing remark for the capability page (what the columns cannot say). */
  readonly note?: string;
}

export interface DifferentiableSpec extends Common {
  readonly differentiable: true;
  /** 2: second derivatives are checked too (the vjp is itself differentiable). */
  readonly order: 1 | 2;
  readonly domain: Domain | readonly Domain[];
  readonly samples: readonly [Sample, ...Sample[]];
  /** Random samples for the property tests. */
  readonly random: fc.Arbitrary<Sample>;
  readonly tol?: Tol;
}

export interface NonDifferentiableSpec extends Common {
  readonly differentiable: false;
  /** Why there is no gradient. */
  readonly why: string;
  /** Calls on inputs that require grad: the result must not require grad. */
  readonly samples: readonly [Sample, ...Sample[]];
}

export type OpSpec = DifferentiableSpec | NonDifferentiableSpec;

export const sample = (
  label: string,
  shapes: readonly Shape[],
  call: (...xs: Tensor[]) => Tensor,
  extra: { reference?: (...xs: Tensor[]) => Tensor; domain?: Domain | readonly Domain[] } = {},
): Sample => ({ label, shapes, call, ...extra });

export const fwd = (
  label: string,
  run: () => Tensor,
  expected: NestedArray,
  extra: { dtype?: DType; equalNaN?: boolean } = {},
): ForwardCase => ({ label, run, expected, ...extra });

export const err = (
  label: string,
  run: () => unknown,
  throws: ErrorCase["throws"],
  match: RegExp,
): ErrorCase => ({
  label,
  run,
  throws,
  match,
});

export const f64 = (data: NestedArray): Tensor => tensor(data, { dtype: "float64" });
export const i32 = (data: NestedArray): Tensor => tensor(data, { dtype: "int32" });

const fmt = (s: Shape): string => `[${s.join(", ")}]`;

/** Property tests run on shapes of at most 3 axes of length at most 4. */
export const SMALL = { maxRank: 3, maxSize: 4 } as const;

type Fn = (...xs: Tensor[]) => Tensor;

/** One input of any small shape. */
export function elementwise(call: Fn, reference?: Fn): fc.Arbitrary<Sample> {
  return shapeArb(SMALL).map((s) => ({
    label: fmt(s),
    shapes: [s],
    call,
    ...(reference ? { reference } : {}),
  }));
}

/** Two inputs whose shapes broadcast together. */
export function broadcasting(call: Fn): fc.Arbitrary<Sample> {
  return broadcastPairArb(SMALL).map(([a, b]) => ({ label: `${fmt(a)} x ${fmt(b)}`, shapes: [a, b], call }));
}

/** Axis options of a reduction over a tensor of rank `r`: all axes, one axis, or a list; some negative. */
export function reduceOptionsArb(r: number): fc.Arbitrary<ReduceOptions> {
  const axes = fc
    .tuple(
      fc.array(fc.boolean(), { minLength: r, maxLength: r }),
      fc.array(fc.boolean(), { minLength: r, maxLength: r }),
    )
    .map(([pick, neg]) => pick.flatMap((p, i) => (p ? [neg[i] ? i - r : i] : [])));
  const choices: fc.Arbitrary<ReduceOptions["axis"]>[] = [fc.constant(undefined), axes];
  if (r > 0) choices.push(fc.integer({ min: -r, max: r - 1 }));
  return fc.record({ axis: fc.oneof(...choices), keepDims: fc.boolean() });
}

const describeOptions = (o: object): string => JSON.stringify(o);

/** One input and reduction options drawn for its rank. */
export function reducing(
  call: (x: Tensor, o: ReduceOptions) => Tensor,
  options: { reference?: (x: Tensor, o: ReduceOptions) => Tensor; minSize?: number } = {},
): fc.Arbitrary<Sample> {
  return shapeArb({ ...SMALL, minSize: options.minSize ?? 1 }).chain((s) =>
    reduceOptionsArb(s.length).map((o) => {
      const ref = options.reference;
      return {
        label: `${fmt(s)} ${describeOptions(o)}`,
        shapes: [s],
        call: (x: Tensor) => call(x, o),
        ...(ref ? { reference: (x: Tensor) => ref(x, o) } : {}),
      };
    }),
  );
}

/** One input of rank >= 1 and an axis of it (possibly negative). */
export function alongAxis(
  call: (x: Tensor, axis: number) => Tensor,
  reference?: (x: Tensor, axis: number) => Tensor,
): fc.Arbitrary<Sample> {
  return shapeArb({ ...SMALL, minRank: 1 }).chain((s) =>
    fc.integer({ min: -s.length, max: s.length - 1 }).map((axis) => ({
      label: `${fmt(s)} axis ${axis}`,
      shapes: [s],
      call: (x: Tensor) => call(x, axis),
      ...(reference ? { reference: (x: Tensor) => reference(x, axis) } : {}),
    })),
  );
}

/** A deterministic int32 tensor from a list of integers. */
export function intTensor(values: readonly number[], shape: Shape): Tensor {
  return tensor(values, { shape, dtype: "int32" });
}

/** Random int32 indices in [-n, n) of a small shape (rank 0 to 2). */
export function indicesArb(n: number): fc.Arbitrary<Tensor> {
  return shapeArb({ maxRank: 2, maxSize: 3 }).chain((s) => {
    const size = s.reduce((p, d) => p * d, 1);
    return fc
      .array(fc.integer({ min: -n, max: n - 1 }), { minLength: size, maxLength: size })
      .map((vs) => intTensor(vs, s));
  });
}
