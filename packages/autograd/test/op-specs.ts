// THE op table: one row per primitive and per public composite, keyed by registry name. Every generic
// suite (gradients, properties, forward values, errors, composite definitions) reads it, and the
// `satisfies` clause makes an op added to the registry without a row a type error.

import {
  abs,
  add,
  argmax,
  argmin,
  broadcastShapes,
  broadcastTo,
  cast,
  clamp,
  concat,
  cos,
  type DType,
  DTypeError,
  div,
  eq,
  exp,
  expm1,
  flatten,
  gather,
  ge,
  gt,
  le,
  leakyRelu,
  linear,
  log,
  log1p,
  logicalAnd,
  logSoftmax,
  logsumexp,
  lt,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  mul,
  ne,
  neg,
  oneHot,
  pad,
  permute,
  pow,
  type ReduceOptions,
  reciprocal,
  relu,
  reshape,
  type Shape,
  ShapeError,
  scatterAdd,
  sigmoid,
  sign,
  sin,
  slice,
  softmax,
  softplus,
  sqrt,
  square,
  squaredDifference,
  squeeze,
  stack,
  std,
  sub,
  sum,
  type Tensor,
  type TensorLike,
  tan,
  tanh,
  tensor,
  transpose,
  unsqueeze,
  ValueError,
  variance,
  where,
} from "@tapegrad/autograd";
import { broadcastPairArb, shapeArb } from "@tapegrad/autograd/testing";
import fc from "fast-check";
import { squaredDifferenceGrad } from "../src/ops/binary.js";
import { identity } from "../src/ops/movement.js";
import { sigmoidGrad, tanhGrad } from "../src/ops/unary.js";
import type { CompositeName, OpName } from "../src/registry.js";
import {
  alongAxis,
  broadcasting,
  elementwise,
  err,
  f64,
  fwd,
  INT32_TO_FLOAT32,
  i32,
  indicesArb,
  intTensor,
  KEEPS_DTYPE,
  type OpSpec,
  RETURNS_INT32,
  reduceOptionsArb,
  reducing,
  type Sample,
  SMALL,
  sample,
} from "./cases.js";
import { CONV_SPECS } from "./op-specs-conv.js";
import { awayFrom, distinct, positive, range, real } from "./support.js";

const fmt = (s: Shape): string => `[${s.join(", ")}]`;
const E = Math.E;

/** The axes a reduction option selects, normalised and sorted. */
function axesOf(o: ReduceOptions, ndim: number): number[] {
  if (o.axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof o.axis === "number" ? [o.axis] : o.axis;
  return list.map((a) => (a < 0 ? a + ndim : a)).sort((a, b) => a - b);
}

function countOf(x: Tensor, o: ReduceOptions): number {
  return axesOf(o, x.ndim).reduce((p, a) => p * (x.shape[a] as number), 1);
}

// Composites spelled out from other primitives: the definitions they must match.
const meanRef = (x: Tensor, o: ReduceOptions = {}): Tensor => mul(sum(x, o), 1 / countOf(x, o));
const varianceRef = (x: Tensor, o: ReduceOptions = {}, correction = 1): Tensor => {
  const axis = axesOf(o, x.ndim);
  const n = countOf(x, o);
  const d = sub(x, mul(sum(x, { axis, keepDims: true }), 1 / n));
  return div(sum(pow(d, 2), { axis, keepDims: o.keepDims ?? false }), n - correction);
};
const stdRef = (x: Tensor, o: ReduceOptions = {}, correction = 1): Tensor =>
  pow(varianceRef(x, o, correction), 0.5);
const logsumexpRef = (x: Tensor, o: ReduceOptions = {}): Tensor => log(sum(exp(x), o));
const softmaxRef = (x: Tensor, axis = -1): Tensor => {
  const e = exp(x);
  return div(e, sum(e, { axis, keepDims: true }));
};
const logSoftmaxRef = (x: Tensor, axis = -1): Tensor => log(softmaxRef(x, axis));
const transposeRef = (x: Tensor, i = -2, j = -1): Tensor => {
  const r = x.ndim;
  const [a, b] = [i < 0 ? i + r : i, j < 0 ? j + r : j];
  return permute(
    x,
    Array.from({ length: r }, (_, k) => (k === a ? b : k === b ? a : k)),
  );
};
const withAxis = (s: Shape, axis: number): number[] => {
  const a = axis < 0 ? axis + s.length + 1 : axis;
  return [...s.slice(0, a), 1, ...s.slice(a)];
};
const flattenShape = (s: Shape, start: number, end: number): number[] => {
  if (s.length === 0) return [1];
  const [a, b] = [start < 0 ? start + s.length : start, end < 0 ? end + s.length : end];
  return [...s.slice(0, a), s.slice(a, b + 1).reduce((p, n) => p * n, 1), ...s.slice(b + 1)];
};

const sigmoidOf = (x: number): number => 1 / (1 + Math.exp(-x));

// Random samples of the movement ops and matmul.

const matmulArb: fc.Arbitrary<Sample> = fc
  .record({
    m: fc.integer({ min: 1, max: 4 }),
    k: fc.integer({ min: 1, max: 4 }),
    n: fc.integer({ min: 1, max: 4 }),
    batch: fc.integer({ min: 1, max: 3 }),
    kind: fc.constantFrom(
      "vector.vector",
      "vector.matrix",
      "matrix.vector",
      "matrix",
      "batched",
      "broadcast",
      "vector.batched",
      "batched.vector",
    ),
    transA: fc.boolean(),
    transB: fc.boolean(),
  })
  .map(({ m, k, n, batch, kind, transA, transB }) => {
    const a = transA ? [k, m] : [m, k];
    const b = transB ? [n, k] : [k, n];
    const opts = { transA, transB };
    const shapes: Record<string, Shape[]> = {
      "vector.vector": [[k], [k]],
      "vector.matrix": [[k], b],
      "matrix.vector": [a, [k]],
      matrix: [a, b],
      batched: [
        [batch, ...a],
        [batch, ...b],
      ],
      broadcast: [
        [batch, ...a],
        [1, ...b],
      ],
      "vector.batched": [[k], [batch, ...b]],
      "batched.vector": [[batch, ...a], [k]],
    };
    const s = shapes[kind] as Shape[];
    return {
      label: `${kind} ${s.map(fmt).join(" x ")} ${JSON.stringify(opts)}`,
      shapes: s,
      call: (x: Tensor, y: Tensor) => matmul(x, y, opts),
    };
  });

const linearArb: fc.Arbitrary<Sample> = fc
  .record({
    lead: shapeArb({ maxRank: 2, maxSize: 3 }),
    inF: fc.integer({ min: 1, max: 4 }),
    outF: fc.integer({ min: 1, max: 4 }),
    bias: fc.boolean(),
  })
  .map(({ lead, inF, outF, bias }) => {
    const shapes = [[...lead, inF], [outF, inF], ...(bias ? [[outF]] : [])];
    return {
      label: `${shapes.map(fmt).join(", ")}`,
      shapes,
      call: (x: Tensor, w: Tensor, b?: Tensor) => linear(x, w, b ?? null),
    };
  });

const reshapeArb: fc.Arbitrary<Sample> = shapeArb(SMALL).chain((s) => {
  const size = s.reduce((p, d) => p * d, 1);
  const targets: number[][] = [[size], [-1], [...s].reverse(), [1, ...s], [...s, 1]];
  if (s.length > 0) targets.push([-1, ...s.slice(1)]);
  return fc.constantFrom(...targets).map((t) => ({
    label: `${fmt(s)} -> ${fmt(t)}`,
    shapes: [s],
    call: (x: Tensor) => reshape(x, t),
  }));
});

const permuteArb: fc.Arbitrary<Sample> = shapeArb({ ...SMALL, minRank: 1 }).chain((s) => {
  const r = s.length;
  const axes = Array.from({ length: r }, (_, i) => i);
  return fc
    .tuple(
      fc.shuffledSubarray(axes, { minLength: r, maxLength: r }),
      fc.array(fc.boolean(), { minLength: r, maxLength: r }),
    )
    .map(([p, neg]) => {
      const perm = p.map((a, i) => (neg[i] ? a - r : a));
      return { label: `${fmt(s)} perm ${fmt(perm)}`, shapes: [s], call: (x: Tensor) => permute(x, perm) };
    });
});

const broadcastToArb: fc.Arbitrary<Sample> = broadcastPairArb(SMALL).map(([a, b]) => {
  const target = broadcastShapes(a, b);
  return { label: `${fmt(a)} -> ${fmt(target)}`, shapes: [a], call: (x: Tensor) => broadcastTo(x, target) };
});

const sliceArb: fc.Arbitrary<Sample> = shapeArb({ ...SMALL, minRank: 1 }).chain((s) =>
  fc
    .tuple(
      ...s.map((n) =>
        fc
          .integer({ min: 0, max: n - 1 })
          .chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 1, max: n - b }), fc.boolean())),
      ),
    )
    .map((parts) => {
      const begin = parts.map(([b, , negative], d) => (negative ? b - (s[d] as number) : b));
      const size = parts.map(([, n]) => n);
      return {
        label: `${fmt(s)} begin ${fmt(begin)} size ${fmt(size)}`,
        shapes: [s],
        call: (x: Tensor) => slice(x, begin, size),
      };
    }),
);

const padArb: fc.Arbitrary<Sample> = shapeArb(SMALL).chain((s) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), {
        minLength: s.length,
        maxLength: s.length,
      }),
      fc.constantFrom(0, 1.5),
    )
    .map(([widths, value]) => ({
      label: `${fmt(s)} widths ${JSON.stringify(widths)} value ${value}`,
      shapes: [s],
      call: (x: Tensor) => pad(x, widths, { value }),
    })),
);

const concatArb: fc.Arbitrary<Sample> = shapeArb({ ...SMALL, minRank: 1 }).chain((s) =>
  fc
    .tuple(
      fc.integer({ min: -s.length, max: s.length - 1 }),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
    )
    .map(([axis, sizes]) => {
      const a = axis < 0 ? axis + s.length : axis;
      const shapes = sizes.map((n) => s.map((d, i) => (i === a ? n : d)));
      return {
        label: `${shapes.map(fmt).join(", ")} axis ${axis}`,
        shapes,
        call: (...xs: Tensor[]) => concat(xs, { axis }),
      };
    }),
);

const gatherArb: fc.Arbitrary<Sample> = shapeArb({ ...SMALL, minRank: 1 }).chain((s) =>
  fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) =>
    indicesArb(s[axis < 0 ? axis + s.length : axis] as number).map((idx) => ({
      label: `${fmt(s)} axis ${axis} indices ${JSON.stringify(idx.toArray())}`,
      shapes: [s],
      call: (x: Tensor) => gather(x, idx, { axis }),
    })),
  ),
);

const scatterAddArb: fc.Arbitrary<Sample> = shapeArb({ ...SMALL, minRank: 1 }).chain((s) =>
  fc.integer({ min: -s.length, max: s.length - 1 }).chain((axis) => {
    const a = axis < 0 ? axis + s.length : axis;
    return indicesArb(s[a] as number).map((idx) => {
      const updates = [...s.slice(0, a), ...idx.shape, ...s.slice(a + 1)];
      return {
        label: `${fmt(updates)} into ${fmt(s)} axis ${axis} indices ${JSON.stringify(idx.toArray())}`,
        shapes: [updates],
        call: (u: Tensor) => scatterAdd(u, idx, { axis, shape: s }),
      };
    });
  }),
);

const whereArb: fc.Arbitrary<Sample> = broadcastPairArb(SMALL).chain(([a, b]) => {
  const out = broadcastShapes(a, b);
  return fc.constantFrom(a, b, out).chain((c) => {
    const size = c.reduce((p, d) => p * d, 1);
    return fc.array(fc.boolean(), { minLength: size, maxLength: size }).map((mask) => {
      const cond = intTensor(
        mask.map((m) => (m ? 1 : 0)),
        c,
      );
      return {
        label: `cond ${fmt(c)} a ${fmt(a)} b ${fmt(b)}`,
        shapes: [a, b],
        call: (x: Tensor, y: Tensor) => where(cond, x, y),
      };
    });
  });
});

const transposeArb: fc.Arbitrary<Sample> = shapeArb(SMALL).chain((s) => {
  const r = s.length;
  const axis = fc.integer({ min: -r, max: Math.max(r - 1, -r) });
  return (r < 2 ? fc.constant(undefined) : fc.option(fc.tuple(axis, axis), { nil: undefined })).map(
    (axes) => ({
      label: `${fmt(s)} axes ${JSON.stringify(axes)}`,
      shapes: [s],
      call: (x: Tensor) => transpose(x, axes === undefined ? {} : { axes }),
      reference: (x: Tensor) =>
        x.ndim < 2 ? x : axes === undefined ? transposeRef(x) : transposeRef(x, ...axes),
    }),
  );
});

const flattenArb: fc.Arbitrary<Sample> = shapeArb(SMALL).chain((s) => {
  const r = Math.max(s.length, 1);
  return fc
    .tuple(fc.integer({ min: 0, max: r - 1 }), fc.integer({ min: 0, max: r - 1 }), fc.boolean())
    .map(([i, j, negative]) => {
      const [start, end] = [Math.min(i, j), Math.max(i, j)];
      const endAxis = negative ? end - r : end;
      const options = s.length === 0 ? {} : { startAxis: start, endAxis };
      return {
        label: `${fmt(s)} ${JSON.stringify(options)}`,
        shapes: [s],
        call: (x: Tensor) => flatten(x, options),
        reference: (x: Tensor) => reshape(x, flattenShape(x.shape, start, endAxis)),
      };
    });
});

const squeezeArb: fc.Arbitrary<Sample> = fc
  .tuple(
    shapeArb(SMALL),
    fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
  )
  .map(([s0, ones, pick, negative]) => {
    const s = s0.map((n, i) => (ones[i] ? 1 : n));
    const units = s.flatMap((n, i) => (n === 1 ? [i] : []));
    const listed = units.filter((i) => pick[i]);
    // No axis listed: squeeze every size-1 axis.
    const removed = listed.length === 0 ? units : listed;
    const options = listed.length === 0 ? {} : { axis: listed.map((i) => (negative[i] ? i - s.length : i)) };
    const kept = s.filter((_, i) => !removed.includes(i));
    return {
      label: `${fmt(s)} ${JSON.stringify(options)}`,
      shapes: [s],
      call: (x: Tensor) => squeeze(x, options),
      reference: (x: Tensor) => reshape(x, kept),
    };
  });

const unsqueezeArb: fc.Arbitrary<Sample> = shapeArb(SMALL).chain((s) =>
  fc.integer({ min: -s.length - 1, max: s.length }).map((axis) => ({
    label: `${fmt(s)} axis ${axis}`,
    shapes: [s],
    call: (x: Tensor) => unsqueeze(x, axis),
    reference: (x: Tensor) => reshape(x, withAxis(x.shape, axis)),
  })),
);

const stackArb: fc.Arbitrary<Sample> = shapeArb(SMALL).chain((s) =>
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: -s.length - 1, max: s.length }))
    .map(([count, axis]) => ({
      label: `${count} x ${fmt(s)} axis ${axis}`,
      shapes: Array.from({ length: count }, () => s),
      call: (...xs: Tensor[]) => stack(xs, { axis }),
      reference: (...xs: Tensor[]) =>
        concat(
          xs.map((x) => reshape(x, withAxis(s, axis))),
          { axis },
        ),
    })),
);

const varianceArb = (kind: "variance" | "std"): fc.Arbitrary<Sample> =>
  shapeArb({ ...SMALL, minRank: 1, minSize: 2 }).chain((s) =>
    fc
      .tuple(
        reduceOptionsArb(s.length).filter((o) => !(Array.isArray(o.axis) && o.axis.length === 0)),
        fc.constantFrom(0, 1),
      )
      .map(([o, correction]) => ({
        label: `${fmt(s)} ${JSON.stringify({ ...o, correction })}`,
        shapes: [s],
        call: (x: Tensor) => (kind === "variance" ? variance : std)(x, { ...o, correction }),
        reference: (x: Tensor) => (kind === "variance" ? varianceRef : stdRef)(x, o, correction),
      })),
  );

const x23 = [[2, 3]] as const;
const pairs = (call: (a: TensorLike, b: TensorLike) => Tensor, number: number): [Sample, ...Sample[]] => [
  sample(
    "same shape [2, 3] x [2, 3]",
    [
      [2, 3],
      [2, 3],
    ],
    call,
  ),
  sample(
    "broadcast [3, 1] x [1, 4]",
    [
      [3, 1],
      [1, 4],
    ],
    call,
  ),
  sample("scalar tensor [] x [2, 3]", [[], [2, 3]], call),
  sample("[2, 3] x scalar tensor []", [[2, 3], []], call),
  sample("rank difference [4] x [2, 3, 4]", [[4], [2, 3, 4]], call),
  sample(
    "size-1 axes [2, 1, 3] x [1, 4, 1]",
    [
      [2, 1, 3],
      [1, 4, 1],
    ],
    call,
  ),
  sample(`tensor [2, 3] x plain number ${number}`, x23, (a) => call(a, number)),
  sample(`plain number ${number} x tensor [2, 3]`, x23, (b) => call(number, b)),
];

const unarySamples = (call: (x: Tensor) => Tensor): [Sample, ...Sample[]] => [
  sample("scalar []", [[]], call),
  sample("vector [4]", [[4]], call),
  sample("matrix [2, 3]", x23, call),
  sample("size-1 axes [1, 3, 1]", [[1, 3, 1]], call),
];

const reductionSamples = (
  call: (x: Tensor, o: ReduceOptions) => Tensor,
  ref?: typeof meanRef,
): [Sample, ...Sample[]] => {
  const cases: [string, Shape, ReduceOptions][] = [
    ["all axes [2, 3]", [2, 3], {}],
    ["axis 0 [2, 3]", [2, 3], { axis: 0 }],
    ["negative axis -1, keepDims [2, 3]", [2, 3], { axis: -1, keepDims: true }],
    ["axes [0, 2] of [2, 3, 4]", [2, 3, 4], { axis: [0, 2] }],
    ["axes [-1, 0] keepDims [2, 3, 2]", [2, 3, 2], { axis: [-1, 0], keepDims: true }],
    ["size-1 axis 1 of [3, 1]", [3, 1], { axis: 1 }],
    ["scalar []", [], {}],
  ];
  return cases.map(([label, s, o]) =>
    sample(label, [s], (x) => call(x, o), ref ? { reference: (x) => ref(x, o) } : {}),
  ) as [Sample, ...Sample[]];
};

const axisSamples = (call: (x: Tensor, axis?: number) => Tensor, ref: (x: Tensor, axis?: number) => Tensor) =>
  [
    sample("default axis [2, 3]", x23, (x) => call(x), { reference: (x) => ref(x) }),
    sample("axis 0 [3, 2]", [[3, 2]], (x) => call(x, 0), { reference: (x) => ref(x, 0) }),
    sample("negative axis -2 [2, 3, 2]", [[2, 3, 2]], (x) => call(x, -2), { reference: (x) => ref(x, -2) }),
    sample("vector [4]", [[4]], (x) => call(x), { reference: (x) => ref(x) }),
    sample("size-1 axis [3, 1]", [[3, 1]], (x) => call(x, -1), { reference: (x) => ref(x, -1) }),
  ] as [Sample, ...Sample[]];

// NaN in an expected value must be matched by NaN.
const nan = Number.NaN;

export const OP_SPECS = {
  cast: {
    differentiable: true,
    dtypes: { float32: "float32", float64: "float32", int32: "float32" },
    dtypeSample: sample("to float32 [2, 3]", x23, (x) => cast(x, "float32")),
    note: 'returns the requested dtype (the dtypes column shows `cast(x, "float32")`); to int32 it truncates and cuts the gradient',
    order: 2,
    domain: real,
    // NOTE: the round trip rounds x ± eps to float32 (spacing ~1e-7 near 1), so the step must dwarf that
    // spacing; cast is linear, so a large step adds no truncation error.
    tol: { eps: 1e-2, rtol: 1e-4, atol: 1e-5 },
    samples: [
      sample("float64 -> float32 -> float64 [2, 3]", x23, (x) => cast(cast(x, "float32"), "float64")),
      sample("float64 -> float32 scalar", [[]], (x) => cast(x, "float32")),
    ],
    random: elementwise((x) => cast(cast(x, "float32"), "float64")),
    forward: [
      fwd(
        "float32 -> int32 truncates toward zero",
        () => cast(tensor([1.7, -1.7, 0.5]), "int32"),
        [1, -1, 0],
        {
          dtype: "int32",
        },
      ),
      fwd("int32 -> float64", () => cast(i32([1, -2]), "float64"), [1, -2], { dtype: "float64" }),
      fwd("float64 -> float32 rounds", () => cast(f64([0.1]), "float32"), [Math.fround(0.1)], {
        dtype: "float32",
      }),
    ],
    errors: [
      err(
        "unknown dtype",
        () => cast(tensor([1]), "int8" as DType),
        DTypeError,
        /^cast: unknown dtype "int8"/,
      ),
    ],
  },
  neg: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: unarySamples(neg),
    random: elementwise(neg),
    forward: [
      fwd("floats", () => neg(tensor([1, -2.5, 0])), [-1, 2.5, 0]),
      fwd("int32 stays int32", () => neg(i32([3, -4])), [-3, 4], { dtype: "int32" }),
    ],
  },
  exp: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: unarySamples(exp),
    random: elementwise(exp),
    forward: [
      fwd("0 and 1", () => exp(f64([0, 1, -1])), [1, E, 1 / E]),
      fwd("int32 gives float32", () => exp(i32([0])), [1], { dtype: "float32" }),
    ],
  },
  expm1: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: unarySamples(expm1),
    random: elementwise(expm1),
    forward: [fwd("tiny x keeps its digits", () => expm1(f64([0, 1e-10, 1])), [0, 1e-10 + 5e-21, E - 1])],
  },
  log: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: positive,
    samples: unarySamples(log),
    random: elementwise(log),
    forward: [
      fwd("1, e, e^2", () => log(f64([1, E, E * E])), [0, 1, 2]),
      fwd("0 and negative", () => log(f64([0, -1])), [-Infinity, nan], { equalNaN: true }),
    ],
  },
  log1p: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: range(-0.8, 3),
    samples: unarySamples(log1p),
    random: elementwise(log1p),
    forward: [fwd("tiny x keeps its digits", () => log1p(f64([0, 1e-10, E - 1])), [0, 1e-10 - 5e-21, 1])],
  },
  sqrt: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: positive,
    samples: unarySamples(sqrt),
    random: elementwise(sqrt),
    forward: [fwd("squares", () => sqrt(tensor([4, 9, 0, 2])), [2, 3, 0, Math.SQRT2])],
  },
  abs: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: awayFrom([0]),
    samples: unarySamples(abs),
    random: elementwise(abs),
    forward: [
      fwd("floats", () => abs(tensor([-1.5, 2, 0])), [1.5, 2, 0]),
      fwd("int32 stays int32", () => abs(i32([-3, 4])), [3, 4], { dtype: "int32" }),
    ],
  },
  sign: {
    differentiable: false,
    dtypes: KEEPS_DTYPE,
    why: "piecewise constant: its derivative is 0 wherever it exists",
    forwardMode: true,
    samples: [sample("[2, 3]", x23, sign)],
    forward: [
      fwd("-, 0, +, NaN", () => sign(tensor([-3, 0, 2, nan])), [-1, 0, 1, nan], { equalNaN: true }),
      fwd("int32 stays int32", () => sign(i32([-7, 0, 9])), [-1, 0, 1], { dtype: "int32" }),
    ],
  },
  sin: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: unarySamples(sin),
    random: elementwise(sin),
    forward: [fwd("0, pi/2, pi/6", () => sin(f64([0, Math.PI / 2, Math.PI / 6])), [0, 1, 0.5])],
  },
  cos: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: unarySamples(cos),
    random: elementwise(cos),
    forward: [fwd("0, pi, pi/3", () => cos(f64([0, Math.PI, Math.PI / 3])), [1, -1, 0.5])],
  },
  tan: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    // Away from the poles at ±pi/2.
    domain: range(-1.2, 1.2),
    samples: unarySamples(tan),
    random: elementwise(tan),
    forward: [fwd("0, pi/4, -pi/4", () => tan(f64([0, Math.PI / 4, -Math.PI / 4])), [0, 1, -1])],
  },
  tanh: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: unarySamples(tanh),
    random: elementwise(tanh),
    forward: [fwd("0, 0.5, ±50", () => tanh(f64([0, 0.5, 50, -50])), [0, 0.46211715726000974, 1, -1])],
  },
  sigmoid: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: range(-4, 4),
    samples: unarySamples(sigmoid),
    random: elementwise(sigmoid),
    forward: [fwd("0, 2, -2", () => sigmoid(f64([0, 2, -2])), [0.5, sigmoidOf(2), sigmoidOf(-2)])],
  },
  sigmoidGrad: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    note: "the fused backward of sigmoid, `g·y(1 - y)`",
    order: 2,
    domain: real,
    samples: [
      sample(
        "same shape [2, 3]",
        [
          [2, 3],
          [2, 3],
        ],
        sigmoidGrad,
      ),
      sample(
        "broadcast [3, 1] x [1, 4]",
        [
          [3, 1],
          [1, 4],
        ],
        sigmoidGrad,
      ),
    ],
    random: broadcasting(sigmoidGrad),
    forward: [fwd("g·y(1 - y)", () => sigmoidGrad(f64([0.5, 0.25, 2]), f64([1, 4, 1])), [0.25, 0.75, -2])],
  },
  tanhGrad: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    note: "the fused backward of tanh, `g(1 - y²)`",
    order: 2,
    domain: real,
    samples: [
      sample(
        "same shape [2, 3]",
        [
          [2, 3],
          [2, 3],
        ],
        tanhGrad,
      ),
      sample("scalar y x [2, 3] g", [[], [2, 3]], tanhGrad),
    ],
    random: broadcasting(tanhGrad),
    forward: [fwd("g(1 - y²)", () => tanhGrad(f64([0.5, 0, 2]), f64([1, 3, 1])), [0.75, 3, -3])],
  },
  relu: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: awayFrom([0]),
    samples: unarySamples(relu),
    random: elementwise(relu),
    forward: [fwd("-, 0, +", () => relu(tensor([-1, 0, 2])), [0, 0, 2])],
  },
  leakyRelu: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: awayFrom([0]),
    samples: [
      sample("slope 0.2 [2, 3]", x23, (x) => leakyRelu(x, { slope: 0.2 })),
      ...unarySamples((x) => leakyRelu(x)),
    ],
    random: fc
      .constantFrom(undefined, 0.2, 1.5)
      .chain((slope) => elementwise((x) => leakyRelu(x, slope === undefined ? {} : { slope }))),
    forward: [
      fwd("default slope 0.01", () => leakyRelu(f64([-1, 2, 0])), [-0.01, 2, 0]),
      fwd("slope 0.5", () => leakyRelu(f64([-4, 3]), { slope: 0.5 }), [-2, 3]),
    ],
  },
  softplus: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: range(-4, 4),
    samples: unarySamples(softplus),
    random: elementwise(softplus),
    forward: [
      fwd("0, 1, -1", () => softplus(f64([0, 1, -1])), [Math.LN2, Math.log1p(E), Math.log1p(1 / E)]),
      fwd("±800 without overflow", () => softplus(f64([800, -800])), [800, 0]),
    ],
  },
  clamp: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    note: "int32 stays int32 when the bounds are integers",
    order: 2,
    // Away from the bounds used below, where clamp has kinks.
    domain: awayFrom([-0.5, 0.5]),
    samples: [
      sample("min and max [2, 3]", x23, (x) => clamp(x, { min: -0.5, max: 0.5 })),
      sample("min only [4]", [[4]], (x) => clamp(x, { min: -0.5 })),
      sample("max only [1, 3, 1]", [[1, 3, 1]], (x) => clamp(x, { max: 0.5 })),
      sample("scalar []", [[]], (x) => clamp(x, { min: -0.5, max: 0.5 })),
    ],
    random: fc
      .constantFrom({ min: -0.5, max: 0.5 }, { min: -0.5 }, { max: 0.5 })
      .chain((o) => elementwise((x) => clamp(x, o))),
    forward: [
      fwd("both bounds", () => clamp(tensor([-2, 0.5, 3]), { min: 0, max: 1 }), [0, 0.5, 1]),
      fwd("int32 stays int32", () => clamp(i32([-5, 2, 9]), { min: 0, max: 4 }), [0, 2, 4], {
        dtype: "int32",
      }),
      fwd("int32 with a fractional bound promotes", () => clamp(i32([1, 2, 3]), { min: 1.5 }), [1.5, 2, 3], {
        dtype: "float32",
      }),
    ],
    errors: [
      err("min above max", () => clamp(tensor([1]), { min: 2, max: 1 }), ValueError, /clamp: .*min 2, max 1/),
      err("NaN bound", () => clamp(tensor([1]), { min: nan }), ValueError, /clamp: .*not be NaN/),
    ],
  },
  add: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: pairs(add, 2.5),
    random: broadcasting(add),
    forward: [
      fwd("broadcast column + row", () => add(tensor([[1], [2]]), tensor([10, 20])), [
        [11, 21],
        [12, 22],
      ]),
      fwd("int32 + int32 stays int32", () => add(i32([1, 2]), i32([3, 4])), [4, 6], { dtype: "int32" }),
      fwd("int32 + 1.5 gives float32", () => add(i32([1, 2]), 1.5), [2.5, 3.5], { dtype: "float32" }),
      fwd("int32 + 2 stays int32", () => add(i32([1, 2]), 2), [3, 4], { dtype: "int32" }),
      fwd("float32 + float64 gives float64", () => add(tensor([1]), f64([0.1])), [1.1], { dtype: "float64" }),
      fwd("int32 + float32 gives float32", () => add(i32([1]), tensor([0.5])), [1.5], { dtype: "float32" }),
    ],
    errors: [
      err(
        "shapes that do not broadcast",
        () => add(tensor([[1, 2, 3]]), tensor([1, 2])),
        ShapeError,
        /^add: shapes do not broadcast; got \[1, 3\] and \[2\] \(axis -1: 3 vs 2/,
      ),
    ],
  },
  sub: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: pairs(sub, -1.5),
    random: broadcasting(sub),
    forward: [
      fwd("number on the right", () => sub(tensor([5, 7]), 2), [3, 5]),
      fwd("number on the left", () => sub(10, tensor([1, 2])), [9, 8]),
      fwd("broadcast", () => sub(f64([[1], [2]]), f64([1, 2, 3])), [
        [0, -1, -2],
        [1, 0, -1],
      ]),
    ],
  },
  mul: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: pairs(mul, 3),
    random: broadcasting(mul),
    forward: [
      fwd("elementwise", () => mul(tensor([1, 2]), tensor([3, 4])), [3, 8]),
      fwd("scalar tensor x matrix", () => mul(f64(2), f64([[1, 2, 3]])), [[2, 4, 6]]),
    ],
  },
  div: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    // Denominators at least 0.5 away from the pole at 0.
    domain: [real, awayFrom([0], 0.5)],
    samples: [
      sample("plain number 0.75 / tensor [2, 3]", x23, (b) => div(0.75, b), { domain: awayFrom([0], 0.5) }),
      ...pairs(div, 0.75).filter((s) => !s.label.startsWith("plain")),
    ],
    random: broadcasting(div),
    forward: [
      fwd("int32 / int32 gives float32", () => div(i32([1, 3]), i32([2, 2])), [0.5, 1.5], {
        dtype: "float32",
      }),
      fwd("by zero", () => div(f64([1, -1, 0]), 0), [Infinity, -Infinity, nan], { equalNaN: true }),
      fwd("broadcast", () => div(f64([[1], [2]]), f64([1, 4])), [
        [1, 0.25],
        [2, 0.5],
      ]),
    ],
  },
  pow: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    // Bases kept positive, where aᵇ and its b-derivative aᵇ·log a are defined.
    domain: [positive, real],
    samples: [
      sample("plain number 2 ** tensor [2, 3]", x23, (b) => pow(2, b), { domain: real }),
      sample("negative base, integer exponent 3", [[4]], (a) => pow(a, 3), { domain: range(-2, -0.5) }),
      ...pairs(pow, 1.5).filter((s) => !s.label.startsWith("plain")),
    ],
    random: broadcasting(pow),
    forward: [
      fwd("squares", () => pow(tensor([2, 3]), 2), [4, 9]),
      fwd("fractional power", () => pow(f64([4, 9]), 0.5), [2, 3]),
      fwd("negative base, integer exponent", () => pow(f64([-2]), 3), [-8]),
      fwd("negative base, fractional exponent", () => pow(f64([-8]), 1 / 3), [nan], { equalNaN: true }),
      fwd("int32 ** int32 gives float32", () => pow(i32([2]), i32([3])), [8], { dtype: "float32" }),
    ],
  },
  maximum: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    // No ties: the gradient is split at a tie, where finite differences see a kink.
    domain: distinct,
    samples: pairs(maximum, 0.3),
    random: broadcasting(maximum),
    forward: [
      fwd("with a number", () => maximum(tensor([1, 5]), 3), [3, 5]),
      fwd("NaN wins", () => maximum(f64([nan, 1]), f64([1, nan])), [nan, nan], { equalNaN: true }),
    ],
  },
  minimum: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: distinct,
    samples: pairs(minimum, 0.3),
    random: broadcasting(minimum),
    forward: [
      fwd("with a number", () => minimum(tensor([1, 5]), 3), [1, 3]),
      fwd("NaN wins", () => minimum(f64([nan, 1]), f64([1, nan])), [nan, nan], { equalNaN: true }),
    ],
  },
  eq: {
    differentiable: false,
    dtypes: RETURNS_INT32,
    why: "a comparison: its output is an int32 mask",
    samples: [sample("[2, 3] x []", [[2, 3], []], eq)],
    forward: [
      fwd(
        "broadcast",
        () => eq(tensor([[1], [2]]), tensor([1, 2])),
        [
          [1, 0],
          [0, 1],
        ],
        { dtype: "int32" },
      ),
      fwd("NaN is not equal to itself", () => eq(f64([nan]), f64([nan])), [0], { dtype: "int32" }),
      fwd("float32 0.1 equals the number 0.1", () => eq(tensor([0.1]), 0.1), [1], { dtype: "int32" }),
    ],
  },
  ne: {
    differentiable: false,
    dtypes: RETURNS_INT32,
    why: "a comparison: its output is an int32 mask",
    samples: [sample("[2, 3] x [3]", [[2, 3], [3]], ne)],
    forward: [fwd("with a number", () => ne(tensor([1, 2]), 2), [1, 0], { dtype: "int32" })],
  },
  gt: {
    differentiable: false,
    dtypes: RETURNS_INT32,
    why: "a comparison: its output is an int32 mask",
    samples: [
      sample(
        "[2, 3] x [2, 3]",
        [
          [2, 3],
          [2, 3],
        ],
        gt,
      ),
    ],
    forward: [fwd("int32 vs float", () => gt(i32([1, 2, 3]), 1.5), [0, 1, 1], { dtype: "int32" })],
  },
  ge: {
    differentiable: false,
    dtypes: RETURNS_INT32,
    why: "a comparison: its output is an int32 mask",
    samples: [sample("[3] x []", [[3], []], ge)],
    forward: [fwd("with a number", () => ge(tensor([1, 2, 3]), 2), [0, 1, 1], { dtype: "int32" })],
  },
  lt: {
    differentiable: false,
    dtypes: RETURNS_INT32,
    why: "a comparison: its output is an int32 mask",
    samples: [sample("[3] x [3]", [[3], [3]], lt)],
    forward: [fwd("with a number", () => lt(tensor([1, 2, 3]), 2), [1, 0, 0], { dtype: "int32" })],
  },
  le: {
    differentiable: false,
    dtypes: RETURNS_INT32,
    why: "a comparison: its output is an int32 mask",
    samples: [sample("[3] x [3]", [[3], [3]], le)],
    forward: [fwd("with a number", () => le(tensor([1, 2, 3]), 2), [1, 1, 0], { dtype: "int32" })],
  },
  squaredDifference: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: pairs(squaredDifference, 0.5),
    random: broadcasting(squaredDifference),
    forward: [
      fwd("elementwise", () => squaredDifference(f64([1, 5, -2]), f64([3, 3, 1])), [4, 4, 9]),
      fwd("broadcast", () => squaredDifference(f64([[1], [2]]), f64([0, 3])), [
        [1, 4],
        [4, 1],
      ]),
    ],
  },
  squaredDifferenceGrad: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    note: "the fused backward of squaredDifference, `2g(a - b)`",
    order: 2,
    domain: real,
    samples: [
      sample(
        "same shape [2, 3]",
        [
          [2, 3],
          [2, 3],
          [2, 3],
        ],
        squaredDifferenceGrad,
      ),
      sample("broadcast [3, 1], [1, 4], []", [[3, 1], [1, 4], []], squaredDifferenceGrad),
    ],
    // b a fixed number, so the random pairs cover a and g
    random: broadcasting((a, g) => squaredDifferenceGrad(a as Tensor, f64(0.25), g as Tensor)),
    forward: [fwd("2g(a - b)", () => squaredDifferenceGrad(f64([3, 1]), f64([1, 1]), f64([0.5, 4])), [2, 0])],
  },
  where: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample(
        "cond, a, b all [2, 3]",
        [
          [2, 3],
          [2, 3],
        ],
        (a, b) =>
          where(
            i32([
              [1, 0, 1],
              [0, 0, 1],
            ]),
            a,
            b,
          ),
      ),
      sample("cond [3, 1], a [1, 4], b []", [[1, 4], []], (a, b) => where(i32([[1], [0], [1]]), a, b)),
      sample("b a plain number", x23, (a) => where(i32([1, 0, 1]), a, 0.5)),
      sample("a a plain number", x23, (b) => where(i32([1, 0, 1]), -0.5, b)),
    ],
    random: whereArb,
    forward: [
      fwd(
        "mask from a comparison",
        () => where(gt(tensor([-1, 2, -3]), 0), tensor([-1, 2, -3]), 0),
        [0, 2, 0],
      ),
      fwd("float mask: nonzero is true", () => where(tensor([0.5, 0]), 1, 2), [1, 2]),
      fwd("plain-number cond 0.5 is true", () => where(0.5, tensor([1]), tensor([2])), [1]),
    ],
    errors: [
      err(
        "shapes that do not broadcast",
        () => where(i32([1, 0, 1]), tensor([1, 2]), 0),
        ShapeError,
        /^where: shapes do not broadcast; got \[3\] and \[2\]/,
      ),
    ],
  },
  sum: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: reductionSamples(sum),
    random: reducing(sum),
    forward: [
      fwd(
        "all",
        () =>
          sum(
            tensor([
              [1, 2],
              [3, 4],
            ]),
          ),
        10,
      ),
      fwd(
        "axis 0",
        () =>
          sum(
            tensor([
              [1, 2],
              [3, 4],
            ]),
            { axis: 0 },
          ),
        [4, 6],
      ),
      fwd(
        "axis -1 keepDims",
        () =>
          sum(
            tensor([
              [1, 2],
              [3, 4],
            ]),
            { axis: -1, keepDims: true },
          ),
        [[3], [7]],
      ),
      fwd("no axes is the identity", () => sum(tensor([[1, 2]]), { axis: [] }), [[1, 2]]),
      fwd("int32 stays int32", () => sum(i32([1, 2, 3])), 6, { dtype: "int32" }),
      fwd("empty sums to 0", () => sum(tensor([])), 0),
    ],
    errors: [
      err(
        "axis out of range",
        () => sum(tensor([[1]]), { axis: 2 }),
        ShapeError,
        /^sum: axis 2 is out of range for a tensor of rank 2; valid axes: \[-2, 1\]/,
      ),
      err("repeated axis", () => sum(tensor([[1]]), { axis: [0, -2] }), ShapeError, /^sum: repeated axis/),
      err("axis of a scalar", () => sum(tensor(1), { axis: 0 }), ShapeError, /scalar/),
    ],
  },
  max: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: distinct,
    samples: reductionSamples(max),
    random: reducing(max),
    forward: [
      fwd(
        "axis 1",
        () =>
          max(
            tensor([
              [1, 5],
              [3, 2],
            ]),
            { axis: 1 },
          ),
        [5, 3],
      ),
      fwd("all, negative values", () => max(tensor([-3, -1, -2])), -1),
      fwd("NaN wins", () => max(f64([1, nan, 3])), nan, { equalNaN: true }),
    ],
    errors: [err("empty axis", () => max(tensor([])), ShapeError, /^max: cannot reduce an empty axis/)],
  },
  min: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: distinct,
    samples: reductionSamples(min),
    random: reducing(min),
    forward: [
      fwd(
        "axis 1",
        () =>
          min(
            tensor([
              [1, 5],
              [3, 2],
            ]),
            { axis: 1 },
          ),
        [1, 2],
      ),
      fwd("int32", () => min(i32([4, -2, 7])), -2, { dtype: "int32" }),
    ],
    errors: [
      err(
        "empty axis",
        () => min(tensor([[]]), { axis: 1 }),
        ShapeError,
        /^min: cannot reduce an empty axis/,
      ),
    ],
  },
  argmax: {
    differentiable: false,
    dtypes: RETURNS_INT32,
    why: "an int32 index: piecewise constant in the input",
    samples: [sample("[2, 3] axis 1", x23, (x) => argmax(x, { axis: 1 }))],
    forward: [
      fwd(
        "axis 1",
        () =>
          argmax(
            tensor([
              [1, 5],
              [3, 2],
            ]),
            { axis: 1 },
          ),
        [1, 0],
        { dtype: "int32" },
      ),
      fwd(
        "flattened, first of ties",
        () =>
          argmax(
            tensor([
              [1, 7],
              [7, 2],
            ]),
          ),
        1,
        { dtype: "int32" },
      ),
      fwd(
        "keepDims",
        () =>
          argmax(
            tensor([
              [1, 5],
              [3, 2],
            ]),
            { axis: 0, keepDims: true },
          ),
        [[1, 0]],
        {
          dtype: "int32",
        },
      ),
    ],
    errors: [
      err("empty tensor", () => argmax(tensor([])), ShapeError, /^argmax: the tensor is empty/),
      err(
        "axis out of range",
        () => argmax(tensor([1]), { axis: 1 }),
        ShapeError,
        /^argmax: axis 1 is out of range/,
      ),
    ],
  },
  argmin: {
    differentiable: false,
    dtypes: RETURNS_INT32,
    why: "an int32 index: piecewise constant in the input",
    samples: [sample("[3]", [[3]], (x) => argmin(x))],
    forward: [
      fwd(
        "axis -1",
        () =>
          argmin(
            tensor([
              [1, 5],
              [3, 2],
            ]),
            { axis: -1 },
          ),
        [0, 1],
        { dtype: "int32" },
      ),
      fwd("NaN wins", () => argmin(f64([1, nan, -3])), 1, { dtype: "int32" }),
    ],
  },
  reshape: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample("[2, 3] -> [3, 2]", x23, (x) => reshape(x, [3, 2])),
      sample("[6] -> [2, -1]", [[6]], (x) => reshape(x, [2, -1])),
      sample("[] -> [1, 1]", [[]], (x) => reshape(x, [1, 1])),
      sample("[2, 1, 3] -> [3, 2]", [[2, 1, 3]], (x) => reshape(x, [3, 2])),
    ],
    random: reshapeArb,
    forward: [
      fwd("row-major order", () => reshape(tensor([1, 2, 3, 4, 5, 6]), [2, 3]), [
        [1, 2, 3],
        [4, 5, 6],
      ]),
      fwd(
        "-1 inferred",
        () =>
          reshape(
            tensor([
              [1, 2],
              [3, 4],
            ]),
            [-1],
          ),
        [1, 2, 3, 4],
      ),
    ],
    errors: [
      err(
        "different size",
        () =>
          reshape(
            tensor([
              [1, 2, 3],
              [4, 5, 6],
            ]),
            [4],
          ),
        ShapeError,
        /^reshape: cannot reshape \[2, 3\] \(6 elements\) to \[4\]/,
      ),
      err("two -1", () => reshape(tensor([1, 2]), [-1, -1]), ShapeError, /^reshape: only one size may be -1/),
      err(
        "-1 that does not divide",
        () => reshape(tensor([1, 2, 3]), [2, -1]),
        ShapeError,
        /^reshape: cannot reshape/,
      ),
    ],
  },
  permute: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample("[2, 3, 4] perm [2, 0, 1]", [[2, 3, 4]], (x) => permute(x, [2, 0, 1])),
      sample("negative entries [-1, 0, 1]", [[2, 1, 3]], (x) => permute(x, [-1, 0, 1])),
      sample("matrix transpose [2, 3]", x23, (x) => permute(x, [1, 0])),
    ],
    random: permuteArb,
    forward: [fwd("transpose", () => permute(tensor([[1, 2, 3]]), [1, 0]), [[1], [2], [3]])],
    errors: [
      err(
        "not a permutation",
        () => permute(tensor([[1]]), [0, 0]),
        ShapeError,
        /^permute: \[0,0\] is not a permutation/,
      ),
      err(
        "wrong length",
        () => permute(tensor([[1]]), [0]),
        ShapeError,
        /^permute: .* not a permutation of the 2 axes/,
      ),
    ],
  },
  broadcastTo: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample("[3, 1] -> [2, 3, 4]", [[3, 1]], (x) => broadcastTo(x, [2, 3, 4])),
      sample("[] -> [2, 3]", [[]], (x) => broadcastTo(x, [2, 3])),
      sample("[1] -> [4]", [[1]], (x) => broadcastTo(x, [4])),
    ],
    random: broadcastToArb,
    forward: [
      fwd("row", () => broadcastTo(tensor([1, 2]), [2, 2]), [
        [1, 2],
        [1, 2],
      ]),
    ],
    errors: [
      err(
        "incompatible",
        () => broadcastTo(tensor([1, 2]), [3]),
        ShapeError,
        /^broadcastTo: shapes do not broadcast/,
      ),
      err(
        "to a smaller rank",
        () => broadcastTo(tensor([[1, 2]]), [2]),
        ShapeError,
        /^broadcastTo: cannot broadcast \[1, 2\] to \[2\]/,
      ),
    ],
  },
  slice: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample("box of [3, 4]", [[3, 4]], (x) => slice(x, [1, 1], [2, 2])),
      sample("negative begin, size -1", [[3, 4]], (x) => slice(x, [-2], [-1])),
      sample("one element of [2, 3, 4]", [[2, 3, 4]], (x) => slice(x, [1, 2, 3], [1, 1, 1])),
    ],
    random: sliceArb,
    forward: [
      fwd(
        "box",
        () =>
          slice(
            tensor([
              [1, 2, 3],
              [4, 5, 6],
            ]),
            [0, 1],
            [2, 2],
          ),
        [
          [2, 3],
          [5, 6],
        ],
      ),
      fwd("negative begin", () => slice(tensor([1, 2, 3, 4]), [-3], [2]), [2, 3]),
    ],
    errors: [
      err(
        "leaves the tensor",
        () => slice(tensor([1, 2, 3]), [2], [2]),
        ShapeError,
        /^slice: axis 0 range \[2, \+2\) leaves a tensor of shape \[3\]/,
      ),
      err("too many entries", () => slice(tensor([1]), [0, 0]), ShapeError, /^slice: got 2 begin/),
    ],
  },
  pad: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    dtypeSample: sample("[4] widths [[2, 1]]", [[4]], (x) => pad(x, [[2, 1]])),
    note: "an int32 tensor takes only an integer pad value",
    order: 2,
    domain: real,
    samples: [
      sample("[2, 3] widths [[1, 0], [0, 2]] value 1.5", x23, (x) =>
        pad(
          x,
          [
            [1, 0],
            [0, 2],
          ],
          { value: 1.5 },
        ),
      ),
      sample("[4] widths [[2, 1]]", [[4]], (x) => pad(x, [[2, 1]])),
      sample("only the first axis of [2, 1, 3]", [[2, 1, 3]], (x) => pad(x, [[1, 1]])),
    ],
    random: padArb,
    forward: [
      fwd("zeros", () => pad(tensor([1, 2]), [[1, 2]]), [0, 1, 2, 0, 0]),
      fwd(
        "value",
        () =>
          pad(
            tensor([[1]]),
            [
              [0, 1],
              [1, 0],
            ],
            { value: 9 },
          ),
        [
          [9, 1],
          [9, 9],
        ],
      ),
    ],
    errors: [
      err(
        "negative width",
        () => pad(tensor([1]), [[-1, 0]]),
        ShapeError,
        /^pad: widths must be non-negative integers/,
      ),
      err(
        "too many widths",
        () =>
          pad(tensor([1]), [
            [0, 0],
            [0, 0],
          ]),
        ShapeError,
        /^pad: got widths for 2 axes but the tensor has rank 1/,
      ),
      err(
        "fractional value for int32",
        () => pad(i32([1]), [[1, 0]], { value: 0.5 }),
        ValueError,
        /^pad: value 0.5 is not an integer/,
      ),
    ],
  },
  concat: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample(
        "axis 0",
        [
          [1, 3],
          [2, 3],
        ],
        (a, b) => concat([a, b]),
      ),
      sample(
        "three tensors, negative axis -1",
        [
          [2, 1],
          [2, 3],
          [2, 2],
        ],
        (a, b, c) => concat([a, b, c], { axis: -1 }),
      ),
      sample(
        "middle axis of rank 3",
        [
          [2, 1, 2],
          [2, 2, 2],
        ],
        (a, b) => concat([a, b], { axis: 1 }),
      ),
    ],
    random: concatArb,
    forward: [
      fwd("vectors", () => concat([tensor([1]), tensor([2, 3])]), [1, 2, 3]),
      fwd("mixed dtypes promote", () => concat([i32([1]), tensor([2.5])]), [1, 2.5], { dtype: "float32" }),
    ],
    errors: [
      err("empty list", () => concat([]), ShapeError, /^concat: needs at least one tensor/),
      err(
        "sizes differ off the axis",
        () => concat([tensor([[1, 2]]), tensor([[1, 2, 3]])]),
        ShapeError,
        /^concat: tensor 1 has shape \[1, 3\], which does not match \[1, 2\] off axis 0/,
      ),
    ],
  },
  gather: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample("rows with a repeat", [[3, 2]], (x) => gather(x, i32([2, 0, 2]))),
      sample("axis 1 with 2-D indices", [[2, 3]], (x) =>
        gather(
          x,
          i32([
            [0, 1],
            [2, 2],
          ]),
          { axis: 1 },
        ),
      ),
      sample("negative index and axis", [[2, 3, 2]], (x) => gather(x, i32([-1, 0]), { axis: -2 })),
      sample("scalar index drops the axis", [[3, 2]], (x) => gather(x, i32(1))),
    ],
    random: gatherArb,
    forward: [
      fwd(
        "rows",
        () =>
          gather(
            tensor([
              [1, 2],
              [3, 4],
              [5, 6],
            ]),
            i32([2, 0]),
          ),
        [
          [5, 6],
          [1, 2],
        ],
      ),
      fwd("negative index", () => gather(tensor([1, 2, 3]), i32([-1])), [3]),
    ],
    errors: [
      err(
        "index out of range",
        () => gather(tensor([1, 2]), i32([2])),
        ValueError,
        /^gather: index 2 is out of range for axis 0 of size 2/,
      ),
      err(
        "float indices",
        () => gather(tensor([1, 2]), tensor([0])),
        DTypeError,
        /^gather: indices must be int32; got float32/,
      ),
    ],
  },
  scatterAdd: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample("repeated indices into [4]", [[3]], (u) => scatterAdd(u, i32([0, 2, 0]), { shape: [4] })),
      sample("axis 1 into [2, 3]", [[2, 2]], (u) => scatterAdd(u, i32([2, 0]), { axis: 1, shape: [2, 3] })),
    ],
    random: scatterAddArb,
    forward: [
      fwd("repeats add up", () => scatterAdd(tensor([1, 2, 3]), i32([0, 2, 0]), { shape: [3] }), [4, 0, 2]),
    ],
    errors: [
      err(
        "updates of the wrong shape",
        () => scatterAdd(tensor([1, 2]), i32([0, 1, 2]), { shape: [3] }),
        ShapeError,
        /^scatterAdd: updates have shape \[2\], expected \[3\]/,
      ),
    ],
  },
  identity: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    note: "marks a tensor of an outer tape at the start of a nested transform",
    order: 2,
    domain: real,
    samples: [sample("[2, 3]", x23, identity), sample("scalar []", [[]], identity)],
    random: elementwise(identity),
    forward: [fwd("same values", () => identity(tensor([1, 2])), [1, 2])],
  },
  matmul: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample(
        "matrix [2, 3] x [3, 4]",
        [
          [2, 3],
          [3, 4],
        ],
        (a, b) => matmul(a, b),
      ),
      sample("vector x vector [3] x [3]", [[3], [3]], (a, b) => matmul(a, b)),
      sample("vector x matrix [3] x [3, 2]", [[3], [3, 2]], (a, b) => matmul(a, b)),
      sample("matrix x vector [2, 3] x [3]", [[2, 3], [3]], (a, b) => matmul(a, b)),
      sample(
        "batched [2, 2, 3] x [2, 3, 2]",
        [
          [2, 2, 3],
          [2, 3, 2],
        ],
        (a, b) => matmul(a, b),
      ),
      sample(
        "broadcast batch [2, 2, 3] x [3, 4]",
        [
          [2, 2, 3],
          [3, 4],
        ],
        (a, b) => matmul(a, b),
      ),
      sample(
        "broadcast batch [1, 2, 3] x [3, 3, 2]",
        [
          [1, 2, 3],
          [3, 3, 2],
        ],
        (a, b) => matmul(a, b),
      ),
      sample("batched matrix x vector [2, 2, 3] x [3]", [[2, 2, 3], [3]], (a, b) => matmul(a, b)),
      sample(
        "transA, transB [3, 2] x [4, 3]",
        [
          [3, 2],
          [4, 3],
        ],
        (a, b) => matmul(a, b, { transA: true, transB: true }),
      ),
      sample(
        "transB batched [2, 2, 3] x [4, 3]",
        [
          [2, 2, 3],
          [4, 3],
        ],
        (a, b) => matmul(a, b, { transB: true }),
      ),
    ],
    random: matmulArb,
    forward: [
      fwd(
        "matrix x vector",
        () =>
          matmul(
            tensor([
              [1, 2],
              [3, 4],
            ]),
            tensor([1, 1]),
          ),
        [3, 7],
      ),
      fwd("vector x vector", () => matmul(tensor([1, 2, 3]), tensor([4, 5, 6])), 32),
      fwd(
        "matrix x matrix",
        () =>
          matmul(
            tensor([
              [1, 2],
              [3, 4],
            ]),
            tensor([
              [5, 6],
              [7, 8],
            ]),
          ),
        [
          [19, 22],
          [43, 50],
        ],
      ),
      fwd("transB", () => matmul(tensor([[1, 2]]), tensor([[3, 4]]), { transB: true }), [[11]]),
      fwd(
        "batch broadcast",
        () =>
          matmul(
            tensor([
              [
                [1, 0],
                [0, 1],
              ],
              [
                [2, 0],
                [0, 2],
              ],
            ]),
            tensor([
              [1, 2],
              [3, 4],
            ]),
          ),
        [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [2, 4],
            [6, 8],
          ],
        ],
      ),
      fwd("int32 stays int32", () => matmul(i32([[1, 2]]), i32([[3], [4]])), [[11]], { dtype: "int32" }),
    ],
    errors: [
      err(
        "inner dimensions",
        () =>
          matmul(
            tensor([
              [1, 2, 3],
              [4, 5, 6],
            ]),
            tensor(new Float32Array(20), { shape: [4, 5] }),
          ),
        ShapeError,
        /^matmul: inner dimensions differ; got a \[2, 3\] and b \[4, 5\] \(3 != 4\)$/,
      ),
      err(
        "inner dimensions of vectors name the user's shapes",
        () => matmul(tensor([1, 2, 3]), tensor([1, 2, 3, 4])),
        ShapeError,
        /^matmul: inner dimensions differ; got a \[3\] and b \[4\] \(3 != 4\)$/,
      ),
      err(
        "batch axes",
        () =>
          matmul(
            tensor(new Float32Array(12), { shape: [2, 2, 3] }),
            tensor(new Float32Array(27), { shape: [3, 3, 3] }),
          ),
        ShapeError,
        /^matmul: batch dimensions do not broadcast; got a \[2, 2, 3\] and b \[3, 3, 3\]/,
      ),
      err(
        "scalar operand",
        () => matmul(tensor(2), tensor([1])),
        ShapeError,
        /^matmul: operands must have at least one axis/,
      ),
    ],
  },

  linear: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: [
      sample("x [2, 3], weight [4, 3], bias [4]", [[2, 3], [4, 3], [4]], (x, w, b) => linear(x, w, b)),
      sample(
        "no bias",
        [
          [2, 3],
          [4, 3],
        ],
        (x, w) => linear(x, w),
      ),
      sample("vector x [3]", [[3], [2, 3], [2]], (x, w, b) => linear(x, w, b)),
      sample("batched x [2, 2, 3]", [[2, 2, 3], [1, 3], [1]], (x, w, b) => linear(x, w, b)),
    ],
    random: linearArb,
    forward: [
      fwd(
        "x Wᵀ + b",
        () =>
          linear(
            tensor([[3, 4]]),
            tensor([
              [1, 0],
              [0, 2],
              [1, 1],
            ]),
            tensor([0, 0, 1]),
          ),
        [[3, 8, 8]],
      ),
      fwd("without bias, batched", () => linear(tensor([[[1, 2]], [[3, 4]]]), tensor([[1, 1]])), [
        [[3]],
        [[7]],
      ]),
      fwd("float64 bias promotes", () => linear(tensor([[1]]), tensor([[2]]), f64([0.5])), [[2.5]], {
        dtype: "float64",
      }),
    ],
    errors: [
      err(
        "weight not 2-D",
        () => linear(tensor([1]), tensor([1])),
        ShapeError,
        /^linear: weight must be 2-D \[out, in\]; got \[1\]/,
      ),
      err(
        "in-features differ",
        () => linear(tensor([[1, 2]]), tensor([[1, 2, 3]])),
        ShapeError,
        /^linear: input's last axis must equal the weight's in-features; got x \[1, 2\] and weight \[1, 3\]/,
      ),
      err(
        "bias of the wrong shape",
        () => linear(tensor([[1]]), tensor([[1]]), tensor([1, 2])),
        ShapeError,
        /^linear: bias must be \[1\]/,
      ),
    ],
  },

  // Composites: every sample carries the definition the composite must match.
  mean: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: reductionSamples(mean, meanRef),
    random: reducing(mean, { reference: meanRef }),
    forward: [
      fwd(
        "axis 0",
        () =>
          mean(
            tensor([
              [1, 2],
              [3, 4],
            ]),
            { axis: 0 },
          ),
        [2, 3],
      ),
      fwd("int32 gives float32", () => mean(i32([1, 2])), 1.5, { dtype: "float32" }),
    ],
    errors: [
      err(
        "axis out of range",
        () => mean(tensor([1]), { axis: -2 }),
        ShapeError,
        /^mean: axis -2 is out of range/,
      ),
    ],
  },
  variance: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: [
      sample("all, correction 1 [2, 3]", x23, (x) => variance(x), { reference: (x) => varianceRef(x) }),
      sample(
        "axis -1, correction 0, keepDims [2, 3]",
        x23,
        (x) => variance(x, { axis: -1, correction: 0, keepDims: true }),
        {
          reference: (x) => varianceRef(x, { axis: -1, keepDims: true }, 0),
        },
      ),
      sample("axes [0, 2] of [2, 2, 3]", [[2, 2, 3]], (x) => variance(x, { axis: [0, 2] }), {
        reference: (x) => varianceRef(x, { axis: [0, 2] }),
      }),
    ],
    random: varianceArb("variance"),
    forward: [
      fwd("unbiased by default", () => variance(tensor([1, 2, 3, 4])), 5 / 3),
      fwd("correction 0", () => variance(tensor([1, 2, 3, 4]), { correction: 0 }), 1.25),
    ],
    errors: [
      err(
        "axis out of range",
        () => variance(tensor([1, 2]), { axis: 1 }),
        ShapeError,
        /^variance: axis 1 is out of range/,
      ),
    ],
  },
  std: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    // Distinct values keep the variance away from 0, where sqrt has an infinite slope.
    domain: distinct,
    samples: [
      sample("all [2, 3]", x23, (x) => std(x), { reference: (x) => stdRef(x) }),
      sample("axis 0, correction 0 [3, 2]", [[3, 2]], (x) => std(x, { axis: 0, correction: 0 }), {
        reference: (x) => stdRef(x, { axis: 0 }, 0),
      }),
    ],
    random: varianceArb("std"),
    forward: [fwd("correction 0", () => std(tensor([1, 3]), { correction: 0 }), 1)],
    errors: [
      err(
        "axis out of range",
        () => std(tensor([1, 2]), { axis: 3 }),
        ShapeError,
        /^std: axis 3 is out of range/,
      ),
    ],
  },
  logsumexp: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: reductionSamples(logsumexp, logsumexpRef),
    random: reducing(logsumexp, { reference: logsumexpRef }),
    forward: [
      fwd("two equal values", () => logsumexp(f64([0, 0])), Math.LN2),
      fwd(
        "±1000",
        () =>
          logsumexp(
            f64([
              [1000, 1000],
              [-1000, -1000],
            ]),
            { axis: 1 },
          ),
        [1000 + Math.LN2, -1000 + Math.LN2],
      ),
      fwd("-Infinity rows", () => logsumexp(f64([-Infinity, -Infinity])), -Infinity),
    ],
  },
  logSoftmax: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: axisSamples(
      (x, axis) => logSoftmax(x, axis === undefined ? {} : { axis }),
      (x, axis) => logSoftmaxRef(x, axis),
    ),
    random: alongAxis(
      (x, axis) => logSoftmax(x, { axis }),
      (x, axis) => logSoftmaxRef(x, axis),
    ),
    forward: [
      fwd("uniform", () => logSoftmax(f64([0, 0])), [-Math.LN2, -Math.LN2]),
      fwd("±1000", () => logSoftmax(f64([1000, -1000])), [0, -2000]),
    ],
    errors: [
      err("axis out of range", () => logSoftmax(tensor([1]), { axis: 1 }), ShapeError, /^logSoftmax: axis 1/),
    ],
  },
  softmax: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: axisSamples(
      (x, axis) => softmax(x, axis === undefined ? {} : { axis }),
      (x, axis) => softmaxRef(x, axis),
    ),
    random: alongAxis(
      (x, axis) => softmax(x, { axis }),
      (x, axis) => softmaxRef(x, axis),
    ),
    forward: [
      fwd("rows sum to 1", () => softmax(f64([[1, 2, 3]])), [
        [0.09003057317038046, 0.24472847105479764, 0.6652409557748219],
      ]),
      fwd("±1000", () => softmax(tensor([1000, 1000, -1000])), [0.5, 0.5, 0]),
    ],
  },
  square: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: unarySamples(square).map((s) => ({ ...s, reference: (x: Tensor) => pow(x, 2) })) as [
      Sample,
      ...Sample[],
    ],
    random: elementwise(square, (x) => pow(x, 2)),
    forward: [
      fwd("floats", () => square(tensor([-2, 3])), [4, 9]),
      fwd("int32 stays int32", () => square(i32([-3])), [9], { dtype: "int32" }),
    ],
  },
  reciprocal: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: awayFrom([0], 0.5),
    samples: unarySamples(reciprocal).map((s) => ({ ...s, reference: (x: Tensor) => pow(x, -1) })) as [
      Sample,
      ...Sample[],
    ],
    random: elementwise(reciprocal, (x) => pow(x, -1)),
    forward: [
      fwd("floats", () => reciprocal(tensor([2, 4, -0.5])), [0.5, 0.25, -2]),
      fwd("int32 gives float32", () => reciprocal(i32([2])), [0.5], { dtype: "float32" }),
    ],
  },
  transpose: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample("matrix [2, 3]", x23, (x) => transpose(x), { reference: (x) => transposeRef(x) }),
      sample("batched [2, 3, 4]", [[2, 3, 4]], (x) => transpose(x), { reference: (x) => transposeRef(x) }),
      sample("axes [0, -1] of [2, 3, 4]", [[2, 3, 4]], (x) => transpose(x, { axes: [0, -1] }), {
        reference: (x) => transposeRef(x, 0, -1),
      }),
      sample("vector is unchanged", [[3]], (x) => transpose(x), { reference: (x) => x }),
    ],
    random: transposeArb,
    forward: [fwd("row to column", () => transpose(tensor([[1, 2, 3]])), [[1], [2], [3]])],
    errors: [
      err(
        "axis out of range",
        () => transpose(tensor([[1]]), { axes: [0, 2] }),
        ShapeError,
        /^transpose: axis 2/,
      ),
    ],
  },
  flatten: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample("all of [2, 3, 2]", [[2, 3, 2]], (x) => flatten(x), { reference: (x) => reshape(x, [12]) }),
      sample("startAxis 1 of [2, 3, 2]", [[2, 3, 2]], (x) => flatten(x, { startAxis: 1 }), {
        reference: (x) => reshape(x, [2, 6]),
      }),
      sample("scalar becomes [1]", [[]], (x) => flatten(x), { reference: (x) => reshape(x, [1]) }),
    ],
    random: flattenArb,
    forward: [
      fwd(
        "endAxis -2",
        () =>
          flatten(
            tensor([
              [[1], [2]],
              [[3], [4]],
            ]),
            { endAxis: -2 },
          ),
        [[1], [2], [3], [4]],
      ),
    ],
    errors: [
      err(
        "start after end",
        () => flatten(tensor([[1]]), { startAxis: 1, endAxis: 0 }),
        ShapeError,
        /^flatten: startAxis 1 is after endAxis 0/,
      ),
    ],
  },
  squeeze: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample("all size-1 axes of [1, 3, 1]", [[1, 3, 1]], (x) => squeeze(x), {
        reference: (x) => reshape(x, [3]),
      }),
      sample("axis -1 of [1, 3, 1]", [[1, 3, 1]], (x) => squeeze(x, { axis: -1 }), {
        reference: (x) => reshape(x, [1, 3]),
      }),
    ],
    random: squeezeArb,
    forward: [fwd("all", () => squeeze(tensor([[[1], [2]]])), [1, 2])],
    errors: [
      err(
        "axis of size 3",
        () => squeeze(tensor([[1, 2, 3]]), { axis: 1 }),
        ShapeError,
        /^squeeze: axis 1 has size 3, not 1/,
      ),
    ],
  },
  unsqueeze: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample("axis 0 of [3]", [[3]], (x) => unsqueeze(x, 0), { reference: (x) => reshape(x, [1, 3]) }),
      sample("axis -1 of [2, 3]", x23, (x) => unsqueeze(x, -1), { reference: (x) => reshape(x, [2, 3, 1]) }),
      sample("scalar", [[]], (x) => unsqueeze(x, 0), { reference: (x) => reshape(x, [1]) }),
    ],
    random: unsqueezeArb,
    forward: [fwd("middle", () => unsqueeze(tensor([[1, 2]]), 1), [[[1, 2]]])],
    errors: [
      err(
        "axis out of range",
        () => unsqueeze(tensor([1]), 2),
        ShapeError,
        /^unsqueeze: axis 2 is out of range for a new axis of a tensor of rank 1; valid axes: \[-2, 1\]/,
      ),
    ],
  },
  stack: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      sample(
        "axis 0",
        [
          [2, 3],
          [2, 3],
        ],
        (a, b) => stack([a, b]),
        {
          reference: (a, b) => concat([reshape(a, [1, 2, 3]), reshape(b, [1, 2, 3])]),
        },
      ),
      sample(
        "negative axis -1, three tensors",
        [[2], [2], [2]],
        (a, b, c) => stack([a, b, c], { axis: -1 }),
        {
          reference: (a, b, c) =>
            concat([reshape(a, [2, 1]), reshape(b, [2, 1]), reshape(c, [2, 1])], { axis: 1 }),
        },
      ),
    ],
    random: stackArb,
    forward: [
      fwd("axis 1", () => stack([tensor([1, 2]), tensor([3, 4])], { axis: 1 }), [
        [1, 3],
        [2, 4],
      ]),
    ],
    errors: [
      err("empty list", () => stack([]), ShapeError, /^stack: needs at least one tensor/),
      err(
        "axis out of range",
        () => stack([tensor([1])], { axis: -3 }),
        ShapeError,
        /^stack: axis -3 is out of range for a new axis of a tensor of rank 1/,
      ),
      err(
        "shapes differ",
        () => stack([tensor([1]), tensor([1, 2])]),
        ShapeError,
        /^stack: tensor 1 has shape \[2\], expected \[1\]/,
      ),
    ],
  },
  oneHot: {
    differentiable: false,
    dtypes: { float32: "DTypeError", float64: "DTypeError", int32: "float32" },
    why: "its input is int32 labels",
    dtypeSample: sample("labels [2, 3]", x23, (labels) => oneHot(labels, 4), { domain: range(0, 3.9) }),
    forwardMode: true,
    samples: [sample("labels from argmax", [[2, 4]], (x) => oneHot(argmax(x, { axis: -1 }), 4))],
    forward: [
      fwd("two labels", () => oneHot(i32([0, 2]), 3), [
        [1, 0, 0],
        [0, 0, 1],
      ]),
      fwd("dtype option, 2-D labels", () => oneHot(i32([[1]]), 2, { dtype: "int32" }), [[[0, 1]]], {
        dtype: "int32",
      }),
    ],
    errors: [
      err(
        "label out of range",
        () => oneHot(i32([3]), 3),
        ValueError,
        /^oneHot: label 3 is outside \[0, 3\)/,
      ),
      err(
        "float labels",
        () => oneHot(tensor([1]), 3),
        DTypeError,
        /^oneHot: labels must be int32; got float32/,
      ),
      err(
        "zero classes",
        () => oneHot(i32([0]), 0),
        ValueError,
        /^oneHot: numClasses must be a positive integer/,
      ),
    ],
  },
  logicalAnd: {
    differentiable: false,
    dtypes: RETURNS_INT32,
    why: "a logical op: its output is an int32 mask",
    samples: [sample("[2, 3] x [3]", [[2, 3], [3]], logicalAnd)],
    forward: [
      fwd("masks", () => logicalAnd(tensor([1, 1, 0, 0.5]), tensor([1, 0, 0, -2])), [1, 0, 0, 1], {
        dtype: "int32",
      }),
    ],
  },
  ...CONV_SPECS,
} satisfies Record<OpName | CompositeName, OpSpec>;

export type SpecName = keyof typeof OP_SPECS;

/** The rows as [name, spec] pairs, typed as the union, for describe.each. */
export const ROWS = Object.entries(OP_SPECS) as [SpecName, OpSpec][];
