// The op table's rows for the window primitives (im2col, col2im) and the convolution and pooling
// composites built on them; op-specs.ts spreads them into OP_SPECS. Each composite's reference spells
// the operation out tap by tap (pad, slice, multiply, add) and keeps every stride-th position with gather.

import {
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  add,
  avgPool2d,
  type Conv2dOptions,
  type ConvTranspose2dOptions,
  concat,
  conv2d,
  convTranspose2d,
  div,
  gather,
  max,
  maximum,
  maxPool2d,
  mean,
  mul,
  ones,
  type Pool2dOptions,
  pad,
  reshape,
  type Shape,
  ShapeError,
  slice,
  sum,
  type Tensor,
  tensor,
  ValueError,
  vjp,
  zeros,
} from "@tapegrad/autograd";
import fc from "fast-check";
import { col2im, type Geometry, im2col } from "../src/ops/patches.js";
import { err, f64, fwd, INT32_TO_FLOAT32, KEEPS_DTYPE, type OpSpec, type Sample, sample } from "./cases.js";
import { distinct, real } from "./support.js";

const fmt = (s: Shape): string => `[${s.join(", ")}]`;

// --- geometry -----------------------------------------------------------------------------------------

const geometry = (
  kernel: [number, number],
  extra: { stride?: [number, number]; dilation?: [number, number]; padding?: Geometry["padding"] } = {},
): Geometry => ({
  kernel,
  stride: extra.stride ?? [1, 1],
  dilation: extra.dilation ?? [1, 1],
  padding: extra.padding ?? [0, 0, 0, 0],
});

function counts(g: Geometry, h: number, w: number): [number, number] {
  const [t, b, l, r] = g.padding;
  return [
    Math.floor((h + t + b - g.dilation[0] * (g.kernel[0] - 1) - 1) / g.stride[0]) + 1,
    Math.floor((w + l + r - g.dilation[1] * (g.kernel[1] - 1) - 1) / g.stride[1]) + 1,
  ];
}

/** An image shape [n, c, h, w] and a geometry whose windows fit in it (per axis: span ≤ padded size). */
const imageArb = (options: { maxPad: (k: number) => number; dilation: boolean; fullWindow?: boolean }) =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 2 }),
      c: fc.integer({ min: 1, max: 2 }),
      kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      stride: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      dilation: options.dilation
        ? fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }))
        : fc.constant<[number, number]>([1, 1]),
      padFrac: fc.tuple(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
      ),
      extra: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    })
    .map(({ n, c, kernel, stride, dilation, padFrac, extra }) => {
      const pads = kernel.map((k, i) =>
        Math.min(options.maxPad(k), Math.floor(padFrac[i]! * (options.maxPad(k) + 1))),
      ) as [number, number];
      // The smallest image a window fits in, plus 0 to 2 rows and columns.
      // Max pooling takes images at least a window wide, so that no dilated window reads padding only.
      const padded = options.fullWindow ? 0 : 2;
      const size = kernel.map((k, i) =>
        Math.max(1, dilation[i]! * (k - 1) + 1 - padded * pads[i]! + extra[i]!),
      );
      const g = geometry(kernel, { stride, dilation, padding: [pads[0], pads[0], pads[1], pads[1]] });
      return { shape: [n, c, size[0]!, size[1]!] as Shape, g, pads, stride, dilation, kernel };
    });

const describeGeometry = (g: Geometry): string =>
  `kernel ${fmt(g.kernel)} stride ${fmt(g.stride)} dilation ${fmt(g.dilation)} padding ${fmt(g.padding)}`;

// --- references ---------------------------------------------------------------------------------------

/** Keeps every stride-th position along the last two axes of y [..., h, w], starting at 0. */
function subsample(y: Tensor, stride: readonly [number, number], oh: number, ow: number): Tensor {
  const pick = (n: number, s: number) =>
    tensor(
      Array.from({ length: n }, (_, i) => i * s),
      { dtype: "int32" },
    );
  const r = y.ndim;
  return gather(gather(y, pick(oh, stride[0]), { axis: r - 2 }), pick(ow, stride[1]), { axis: r - 1 });
}

/** Each tap of the window, as the slice of the padded image it reads at stride 1: [n, c, h1, w1]. */
function taps(xp: Tensor, g: Geometry): Tensor[] {
  const [n, c, hp, wp] = xp.shape as [number, number, number, number];
  const [h1, w1] = [hp - g.dilation[0] * (g.kernel[0] - 1), wp - g.dilation[1] * (g.kernel[1] - 1)];
  const out: Tensor[] = [];
  for (let ky = 0; ky < g.kernel[0]; ky++) {
    for (let kx = 0; kx < g.kernel[1]; kx++) {
      out.push(slice(xp, [0, 0, ky * g.dilation[0], kx * g.dilation[1]], [n, c, h1, w1]));
    }
  }
  return out;
}

function padImage(x: Tensor, g: Geometry, value = 0): Tensor {
  const [t, b, l, r] = g.padding;
  return pad(
    x,
    [
      [0, 0],
      [0, 0],
      [t, b],
      [l, r],
    ],
    { value },
  );
}

function convRef(x: Tensor, w: Tensor, b: Tensor | undefined, g: Geometry, groups: number): Tensor {
  const [n, , h, wd] = x.shape as [number, number, number, number];
  const [o, cg] = w.shape as [number, number];
  const [oh, ow] = counts(g, h, wd);
  let total: Tensor | undefined;
  taps(padImage(x, g), g).forEach((patch, i) => {
    const [ky, kx] = [Math.floor(i / g.kernel[1]), i % g.kernel[1]];
    const [h1, w1] = [patch.shape[2] as number, patch.shape[3] as number];
    const p = reshape(patch, [n, groups, 1, cg, h1, w1]);
    const wk = reshape(slice(w, [0, 0, ky, kx], [o, cg, 1, 1]), [1, groups, o / groups, cg, 1, 1]);
    const term = reshape(sum(mul(p, wk), { axis: 3 }), [n, o, h1, w1]);
    total = total === undefined ? term : add(total, term);
  });
  const y = subsample(total!, g.stride, oh, ow);
  return b === undefined ? y : add(y, reshape(b, [1, o, 1, 1]));
}

function maxPoolRef(x: Tensor, g: Geometry): Tensor {
  const [oh, ow] = counts(g, x.shape[2] as number, x.shape[3] as number);
  const all = taps(padImage(x, g, Number.NEGATIVE_INFINITY), g);
  return subsample(
    all.reduce((m, t) => maximum(m, t)),
    g.stride,
    oh,
    ow,
  );
}

function avgPoolRef(x: Tensor, g: Geometry, countIncludePad: boolean): Tensor {
  const [oh, ow] = counts(g, x.shape[2] as number, x.shape[3] as number);
  const total = (t: Tensor, geo: Geometry) =>
    subsample(
      taps(padImage(t, geo), geo).reduce((s, v) => add(s, v)),
      geo.stride,
      oh,
      ow,
    );
  const [top, bottom, left, right] = g.padding;
  const image = ones([1, 1, ...x.shape.slice(2)], { dtype: x.dtype });
  // The divisor counts a window's taps inside the image, or inside the image and its symmetric padding
  // (not the overhang ceilMode adds at the bottom and right).
  const withPadding = pad(
    image,
    [
      [0, 0],
      [0, 0],
      [top, top],
      [left, left],
    ],
    { value: 1 },
  );
  const divisor = countIncludePad
    ? total(withPadding, { ...g, padding: [0, bottom - top, 0, right - left] })
    : total(image, g);
  return div(total(x, g), divisor);
}

/**
 * Rows (or columns) ceilMode adds after the padding: PyTorch's count of windows rounded up, less one
 * when the last window would start past the image and its first padding.
 */
function ceilOverhang(size: number, k: number, s: number, d: number, p: number): number {
  const span = d * (k - 1) + 1;
  let count = Math.ceil((size + 2 * p - span) / s) + 1;
  if ((count - 1) * s >= size + p) count -= 1;
  return Math.max(0, (count - 1) * s + span - (size + 2 * p));
}

// --- samples ------------------------------------------------------------------------------------------

function im2colSample(label: string, shape: Shape, g: Geometry): Sample {
  return sample(`${label} ${fmt(shape)} ${describeGeometry(g)}`, [shape], (x) => im2col(x, g));
}

function col2imSample(label: string, shape: Shape, g: Geometry): Sample {
  const [oh, ow] = counts(g, shape[2] as number, shape[3] as number);
  const cols = [shape[0] as number, oh, ow, (shape[1] as number) * g.kernel[0] * g.kernel[1]];
  return sample(`${label} ${fmt(shape)} ${describeGeometry(g)}`, [cols], (c) => col2im(c, g, shape));
}

function convSample(
  label: string,
  x: Shape,
  weight: Shape,
  options: Conv2dOptions & { bias?: boolean } = {},
): Sample {
  const { bias = true, ...opts } = options;
  const [kh, kw] = [weight[2] as number, weight[3] as number];
  const groups = opts.groups ?? 1;
  const p = opts.padding ?? 0;
  const dil = typeof opts.dilation === "number" ? [opts.dilation, opts.dilation] : (opts.dilation ?? [1, 1]);
  let padding: Geometry["padding"];
  if (p === "same") {
    const [th, tw] = [dil[0]! * (kh - 1), dil[1]! * (kw - 1)];
    padding = [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  } else if (p === "valid") padding = [0, 0, 0, 0];
  else {
    const [ph, pw] = typeof p === "number" ? [p, p] : p;
    padding = [ph, ph, pw, pw];
  }
  const stride = typeof opts.stride === "number" ? [opts.stride, opts.stride] : (opts.stride ?? [1, 1]);
  const g = geometry([kh, kw], {
    stride: stride as [number, number],
    dilation: dil as [number, number],
    padding,
  });
  const shapes = bias ? [x, weight, [weight[0] as number]] : [x, weight];
  const unbatched = x.length === 3;
  const batch = (t: Tensor) => (unbatched ? reshape(t, [1, ...t.shape]) : t);
  const unbatch = (t: Tensor) => (unbatched ? reshape(t, t.shape.slice(1)) : t);
  return sample(
    `${label}: x ${fmt(x)} weight ${fmt(weight)}${bias ? "" : " no bias"} ${JSON.stringify(opts)}`,
    shapes,
    (a, w, b) => conv2d(a, w, b ?? null, opts),
    { reference: (a, w, b) => unbatch(convRef(batch(a), w, b, g, groups)) },
  );
}

function poolSample(
  kind: "max" | "avg",
  label: string,
  x: Shape,
  kernel: [number, number],
  opts: Pool2dOptions,
): Sample {
  const pair = (v: Pool2dOptions["stride"], d: [number, number]): [number, number] =>
    v === undefined ? d : typeof v === "number" ? [v, v] : [v[0], v[1]];
  const [ph, pw] = pair(opts.padding, [0, 0]);
  const stride = pair(opts.stride, kernel);
  const dilation = pair(opts.dilation, [1, 1]);
  const [eh, ew] = opts.ceilMode
    ? [0, 1].map((a) => ceilOverhang(x[2 + a] as number, kernel[a]!, stride[a]!, dilation[a]!, [ph, pw][a]!))
    : [0, 0];
  const g = geometry(kernel, { stride, dilation, padding: [ph, ph + eh!, pw, pw + ew!] });
  const call = (t: Tensor) => (kind === "max" ? maxPool2d(t, kernel, opts) : avgPool2d(t, kernel, opts));
  const ref = (t: Tensor) =>
    kind === "max" ? maxPoolRef(t, g) : avgPoolRef(t, g, opts.countIncludePad ?? true);
  return sample(`${label}: ${fmt(x)} window ${fmt(kernel)} ${JSON.stringify(opts)}`, [x], call, {
    reference: ref,
  });
}

// --- random samples -----------------------------------------------------------------------------------

const im2colArb: fc.Arbitrary<Sample> = imageArb({ maxPad: (k) => k, dilation: true }).map(({ shape, g }) =>
  im2colSample("random", shape, g),
);

const col2imArb: fc.Arbitrary<Sample> = imageArb({ maxPad: (k) => k, dilation: true }).map(({ shape, g }) =>
  col2imSample("random", shape, g),
);

const convArb: fc.Arbitrary<Sample> = fc
  .tuple(
    imageArb({ maxPad: (k) => k - 1, dilation: true }),
    fc.integer({ min: 1, max: 2 }),
    fc.integer({ min: 1, max: 2 }),
    fc.boolean(),
  )
  .map(([{ shape, kernel, stride, dilation, pads }, groups, perGroup, bias]) => {
    const x: Shape = [shape[0]!, (shape[1] as number) * groups, shape[2]!, shape[3]!];
    const weight: Shape = [perGroup * groups, shape[1]!, kernel[0], kernel[1]];
    return convSample("random", x, weight, { stride, dilation, padding: pads, groups, bias });
  });

const poolArb = (kind: "max" | "avg"): fc.Arbitrary<Sample> =>
  fc
    .tuple(
      imageArb({ maxPad: (k) => Math.floor(k / 2), dilation: kind === "max", fullWindow: kind === "max" }),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([{ shape, kernel, stride, dilation, pads }, flag, ceilMode]) =>
      poolSample(kind, "random", shape, kernel, {
        stride,
        padding: pads,
        ceilMode,
        ...(kind === "max" ? { dilation } : { countIncludePad: flag }),
      }),
    );

// --- transposed convolution ----------------------------------------------------------------------------

/** The result size of a transposed convolution along one axis. */
const transposedSize = (n: number, k: number, s: number, p: number, d: number, op: number): number =>
  (n - 1) * s - 2 * p + d * (k - 1) + op + 1;

/**
 * The definition: the pullback of conv2d (whose weight is `w`) with respect to its input, applied to `x`
 * (valid while the output padding is below the stride, where that conv2d maps the result's size back to
 * x's), plus the bias.
 */
function convTransposeRef(
  x: Tensor,
  w: Tensor,
  b: Tensor | undefined,
  o: Required<ConvTranspose2dOptions>,
): Tensor {
  if (x.ndim === 3) {
    const y = convTransposeRef(reshape(x, [1, ...x.shape]), w, b, o);
    return reshape(y, y.shape.slice(1));
  }
  const [n, , h, wd] = x.shape as [number, number, number, number];
  const [, outPerGroup, kh, kw] = w.shape as [number, number, number, number];
  const both = (v: number | readonly [number, number]): [number, number] =>
    typeof v === "number" ? [v, v] : [v[0], v[1]];
  const [s, p, d, op] = [both(o.stride), both(o.padding), both(o.dilation), both(o.outputPadding)];
  const shape = [
    n,
    outPerGroup * o.groups,
    transposedSize(h, kh, s[0], p[0], d[0], op[0]),
    transposedSize(wd, kw, s[1], p[1], d[1], op[1]),
  ];
  const [, pullback] = vjp(
    (z: Tensor) => conv2d(z, w, null, { stride: s, padding: p, dilation: d, groups: o.groups }),
    zeros(shape, { dtype: x.dtype }),
  );
  const y = pullback(x)[0] as Tensor;
  return b === undefined ? y : add(y, reshape(b, [shape[1] as number, 1, 1]));
}

function convTransposeSample(
  label: string,
  x: Shape,
  weight: Shape,
  options: ConvTranspose2dOptions & { bias?: boolean } = {},
): Sample {
  const { bias = true, ...opts } = options;
  const full: Required<ConvTranspose2dOptions> = {
    stride: opts.stride ?? 1,
    padding: opts.padding ?? 0,
    dilation: opts.dilation ?? 1,
    outputPadding: opts.outputPadding ?? 0,
    groups: opts.groups ?? 1,
  };
  const outC = (weight[1] as number) * full.groups;
  return sample(
    `${label}: x ${fmt(x)} weight ${fmt(weight)}${bias ? "" : " no bias"} ${JSON.stringify(opts)}`,
    bias ? [x, weight, [outC]] : [x, weight],
    (a, w, b) => convTranspose2d(a, w, b ?? null, opts),
    { reference: (a, w, b) => convTransposeRef(a, w, b, full) },
  );
}

const convTransposeArb: fc.Arbitrary<Sample> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    groups: fc.integer({ min: 1, max: 2 }),
    inPerGroup: fc.integer({ min: 1, max: 2 }),
    outPerGroup: fc.integer({ min: 1, max: 2 }),
    size: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    kernel: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    stride: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    fractions: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
    bias: fc.boolean(),
  })
  .map(({ n, groups, inPerGroup, outPerGroup, size, kernel, stride, dilation, fractions, bias }) => {
    const pick = (f: number, max: number) => Math.min(max, Math.floor(f * (max + 1)));
    // Output padding below the stride; padding small enough to leave at least one row and column.
    const outputPadding = [0, 1].map((a) => pick(fractions[a]!, stride[a]! - 1)) as [number, number];
    const padding = [0, 1].map((a) =>
      pick(
        fractions[a + 2]!,
        Math.floor(((size[a]! - 1) * stride[a]! + dilation[a]! * (kernel[a]! - 1) + outputPadding[a]!) / 2),
      ),
    ) as [number, number];
    return convTransposeSample(
      "random",
      [n, inPerGroup * groups, ...size],
      [inPerGroup * groups, outPerGroup, ...kernel],
      { stride, dilation, padding, outputPadding, groups, bias },
    );
  });

// --- adaptive pooling ----------------------------------------------------------------------------------

/** The definition: every output's window cut out on both axes at once and reduced, then put together. */
function adaptiveRef(kind: "max" | "avg", x: Tensor, [oh, ow]: [number, number]): Tensor {
  const batchedX = x.ndim === 3 ? reshape(x, [1, ...x.shape]) : x;
  const [n, c, h, w] = batchedX.shape as [number, number, number, number];
  const window = (i: number, count: number, length: number) => [
    Math.floor((i * length) / count),
    Math.ceil(((i + 1) * length) / count),
  ];
  const rows: Tensor[] = [];
  for (let i = 0; i < oh; i++) {
    const [r0, r1] = window(i, oh, h) as [number, number];
    const cells: Tensor[] = [];
    for (let j = 0; j < ow; j++) {
      const [c0, c1] = window(j, ow, w) as [number, number];
      const cell = slice(batchedX, [0, 0, r0, c0], [n, c, r1 - r0, c1 - c0]);
      const o = { axis: [2, 3], keepDims: true };
      cells.push(kind === "max" ? max(cell, o) : mean(cell, o));
    }
    rows.push(concat(cells, { axis: 3 }));
  }
  const y = concat(rows, { axis: 2 });
  return x.ndim === 3 ? reshape(y, y.shape.slice(1)) : y;
}

function adaptiveSample(kind: "max" | "avg", label: string, x: Shape, out: [number, number]): Sample {
  const call = (t: Tensor) => (kind === "max" ? adaptiveMaxPool2d(t, out) : adaptiveAvgPool2d(t, out));
  return sample(`${label}: ${fmt(x)} to ${fmt(out)}`, [x], call, {
    reference: (t) => adaptiveRef(kind, t, out),
  });
}

const adaptiveArb = (kind: "max" | "avg"): fc.Arbitrary<Sample> =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 2 }),
      c: fc.integer({ min: 1, max: 2 }),
      h: fc.integer({ min: 1, max: 5 }),
      w: fc.integer({ min: 1, max: 5 }),
      oh: fc.integer({ min: 1, max: 4 }),
      ow: fc.integer({ min: 1, max: 4 }),
    })
    .map(({ n, c, h, w, oh, ow }) => adaptiveSample(kind, "random", [n, c, h, w], [oh, ow]));

// --- rows ---------------------------------------------------------------------------------------------

const x3x3 = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 1, 3, 3] });

export const CONV_SPECS = {
  im2col: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    order: 2,
    domain: real,
    samples: [
      im2colSample("plain", [1, 1, 3, 3], geometry([2, 2])),
      im2colSample(
        "strided, padded",
        [2, 2, 4, 5],
        geometry([3, 2], { stride: [2, 1], padding: [1, 0, 1, 1] }),
      ),
      im2colSample("dilated", [1, 2, 5, 4], geometry([2, 2], { dilation: [2, 1], padding: [0, 1, 0, 0] })),
    ],
    random: im2colArb,
    forward: [
      fwd("2×2 windows of a 3×3 image", () => im2col(x3x3, geometry([2, 2])), [
        [
          [
            [1, 2, 4, 5],
            [2, 3, 5, 6],
          ],
          [
            [4, 5, 7, 8],
            [5, 6, 8, 9],
          ],
        ],
      ]),
      fwd(
        "padding reads zeros",
        () => im2col(tensor([1, 2], { shape: [1, 1, 1, 2] }), geometry([1, 2], { padding: [0, 0, 1, 0] })),
        [
          [
            [
              [0, 1],
              [1, 2],
            ],
          ],
        ],
      ),
    ],
    errors: [
      err(
        "wrong rank",
        () => im2col(tensor([1, 2]), geometry([1, 1])),
        ShapeError,
        /^im2col: x must be \[n, c, h, w\]/,
      ),
      err(
        "window too large",
        () => im2col(x3x3, geometry([4, 1])),
        ShapeError,
        /^im2col: a 4×1 window \(dilation 1×1, spanning 4×1\) does not fit in the 3×3 padded input/,
      ),
    ],
  },
  col2im: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    dtypeSample: col2imSample("plain", [1, 1, 3, 3], geometry([2, 2])),
    order: 2,
    domain: real,
    samples: [
      col2imSample("plain", [1, 1, 3, 3], geometry([2, 2])),
      col2imSample(
        "strided, padded",
        [2, 2, 4, 5],
        geometry([3, 2], { stride: [2, 1], padding: [1, 0, 1, 1] }),
      ),
      col2imSample("dilated", [1, 2, 5, 4], geometry([2, 2], { dilation: [2, 1], padding: [0, 1, 0, 0] })),
    ],
    random: col2imArb,
    forward: [
      fwd("overlapping windows add up", () => col2im(ones([1, 2, 2, 4]), geometry([2, 2]), [1, 1, 3, 3]), [
        [
          [
            [1, 2, 1],
            [2, 4, 2],
            [1, 2, 1],
          ],
        ],
      ]),
    ],
    errors: [
      err(
        "cols of the wrong shape",
        () => col2im(ones([1, 2, 2, 3]), geometry([2, 2]), [1, 1, 3, 3]),
        ShapeError,
        /^col2im: cols must be \[1, 2, 2, 4\] for an image \[1, 1, 3, 3\]; got \[1, 2, 2, 3\]/,
      ),
    ],
  },
  conv2d: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: [
      convSample("plain", [2, 2, 4, 4], [3, 2, 3, 3]),
      convSample("stride 2, padding 1", [1, 2, 5, 5], [2, 2, 3, 3], { stride: 2, padding: 1 }),
      convSample("rectangular kernel, per-axis options", [1, 1, 5, 6], [2, 1, 2, 3], {
        stride: [1, 2],
        padding: [1, 0],
        dilation: [2, 1],
      }),
      convSample("groups 2, no bias", [1, 4, 4, 3], [4, 2, 2, 2], { groups: 2, bias: false }),
      convSample("padding same, even kernel", [1, 1, 4, 4], [1, 1, 2, 2], { padding: "same" }),
      convSample("unbatched [c, h, w]", [2, 3, 3], [2, 2, 2, 2], { padding: 1 }),
    ],
    random: convArb,
    forward: [
      fwd(
        "an empty batch gives an empty result of the right shape",
        () => tensor(conv2d(zeros([0, 2, 4, 4]), ones([2, 1, 3, 3]), null, { groups: 2 }).shape),
        [0, 2, 2, 2],
      ),
      fwd("a difference kernel", () => conv2d(x3x3, tensor([1, 0, 0, -1], { shape: [1, 1, 2, 2] })), [
        [
          [
            [-4, -4],
            [-4, -4],
          ],
        ],
      ]),
      fwd(
        "padding, bias and two output channels",
        () => conv2d(tensor([[[[1, 2]]]]), ones([2, 1, 1, 3]), tensor([0, 10]), { padding: [0, 1] }),
        [[[[3, 3]], [[13, 13]]]],
      ),
      fwd(
        "float64 weight promotes",
        () => conv2d(x3x3, f64([[[[0.5]]]])),
        [
          [
            [
              [0.5, 1, 1.5],
              [2, 2.5, 3],
              [3.5, 4, 4.5],
            ],
          ],
        ],
        { dtype: "float64" },
      ),
    ],
    errors: [
      err(
        "2-D input",
        () => conv2d(ones([3, 3]), ones([1, 1, 1, 1])),
        ShapeError,
        /^conv2d: input must be \[n, c, h, w\] or \[c, h, w\]; got \[3, 3\]/,
      ),
      err(
        "channels differ",
        () => conv2d(ones([1, 3, 4, 4]), ones([2, 2, 3, 3])),
        ShapeError,
        /^conv2d: input \[1, 3, 4, 4\] and weight \[2, 2, 3, 3\] with groups 1 do not match: the input needs weight.shape\[1\] × groups = 2 channels/,
      ),
      err(
        "bias of the wrong length",
        () => conv2d(ones([1, 1, 3, 3]), ones([2, 1, 1, 1]), ones([3])),
        ShapeError,
        /^conv2d: bias must be \[2\]/,
      ),
      err(
        "kernel larger than the input",
        () => conv2d(ones([1, 1, 2, 2]), ones([1, 1, 3, 3])),
        ShapeError,
        /^conv2d: a 3×3 window .* does not fit in the 2×2 padded input/,
      ),
      err(
        "zero stride",
        () => conv2d(ones([1, 1, 3, 3]), ones([1, 1, 1, 1]), null, { stride: 0 }),
        ValueError,
        /^conv2d: stride must be a positive integer or a pair of them; got 0/,
      ),
      err(
        "same with a stride",
        () => conv2d(ones([1, 1, 3, 3]), ones([1, 1, 1, 1]), null, { stride: 2, padding: "same" }),
        ValueError,
        /^conv2d: padding "same" needs stride 1/,
      ),
      err(
        "groups that do not divide",
        () => conv2d(ones([1, 3, 3, 3]), ones([2, 1, 1, 1]), null, { groups: 3 }),
        ShapeError,
        /the 2 output channels must divide by groups/,
      ),
    ],
  },
  adaptiveAvgPool2d: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    note: "windows follow PyTorch's rule and overlap when the sizes do not divide",
    order: 2,
    domain: real,
    samples: [
      adaptiveSample("avg", "global", [2, 3, 4, 5], [1, 1]),
      adaptiveSample("avg", "sizes that divide (one pooling)", [1, 2, 4, 6], [2, 3]),
      adaptiveSample("avg", "sizes that do not divide (overlapping windows)", [1, 2, 5, 7], [3, 4]),
      adaptiveSample("avg", "larger than the input, unbatched", [2, 2, 3], [3, 4]),
    ],
    random: adaptiveArb("avg"),
    forward: [
      fwd(
        "5 → 3 windows: [0, 2), [1, 4), [3, 5)",
        () => adaptiveAvgPool2d(tensor([[[[1, 2, 3, 4, 5]]]]), [1, 3]),
        [[[[1.5, 3, 4.5]]]],
      ),
    ],
    errors: [
      err(
        "zero output size",
        () => adaptiveAvgPool2d(ones([1, 1, 2, 2]), 0),
        ValueError,
        /^adaptiveAvgPool2d: outputSize must be a positive integer or a pair of them; got 0/,
      ),
      err(
        "2-D input",
        () => adaptiveAvgPool2d(ones([2, 2]), 1),
        ShapeError,
        /^adaptiveAvgPool2d: input must be \[n, c, h, w\] or \[c, h, w\]; got \[2, 2\]/,
      ),
    ],
  },
  adaptiveMaxPool2d: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    note: "windows follow PyTorch's rule; tied maxima share the gradient evenly",
    order: 2,
    domain: distinct,
    samples: [
      adaptiveSample("max", "global", [2, 3, 4, 5], [1, 1]),
      adaptiveSample("max", "sizes that divide (one pooling)", [1, 2, 4, 6], [2, 3]),
      adaptiveSample("max", "sizes that do not divide (overlapping windows)", [1, 2, 5, 7], [3, 4]),
    ],
    random: adaptiveArb("max"),
    forward: [
      fwd(
        "5 → 3 windows: [0, 2), [1, 4), [3, 5)",
        () => adaptiveMaxPool2d(tensor([[[[1, 5, 3, 2, 4]]]]), [1, 3]),
        [[[[5, 5, 4]]]],
      ),
    ],
    errors: [
      err(
        "pair of the wrong length",
        () => adaptiveMaxPool2d(ones([1, 1, 2, 2]), [1, 1, 1] as unknown as [number, number]),
        ValueError,
        /^adaptiveMaxPool2d: outputSize must be a positive integer or a pair of them/,
      ),
    ],
  },
  convTranspose2d: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    order: 2,
    domain: real,
    samples: [
      convTransposeSample("plain", [2, 2, 3, 3], [2, 3, 2, 2]),
      convTransposeSample("stride 2, padding 1, output padding 1", [1, 2, 3, 2], [2, 2, 3, 3], {
        stride: 2,
        padding: 1,
        outputPadding: 1,
      }),
      convTransposeSample("rectangular, dilated, per-axis options", [1, 1, 2, 3], [1, 2, 2, 3], {
        stride: [2, 1],
        padding: [0, 1],
        dilation: [1, 2],
      }),
      convTransposeSample("groups 2, no bias", [1, 4, 2, 2], [4, 1, 2, 2], { groups: 2, bias: false }),
      convTransposeSample("unbatched [c, h, w]", [2, 2, 2], [2, 1, 2, 2], { stride: 2 }),
    ],
    random: convTransposeArb,
    forward: [
      fwd(
        "an empty batch gives an empty result of the right shape",
        () => tensor(convTranspose2d(zeros([0, 2, 4, 4]), ones([2, 1, 3, 3]), null, { groups: 2 }).shape),
        [0, 2, 6, 6],
      ),
      fwd(
        "stride 2 tiles scaled copies of the kernel",
        () =>
          convTranspose2d(
            tensor([1, 2, 3, 4], { shape: [1, 1, 2, 2] }),
            tensor([1, 10, 100, 1000], { shape: [1, 1, 2, 2] }),
            null,
            {
              stride: 2,
            },
          ),
        [
          [
            [
              [1, 10, 2, 20],
              [100, 1000, 200, 2000],
              [3, 30, 4, 40],
              [300, 3000, 400, 4000],
            ],
          ],
        ],
      ),
      fwd(
        "overlaps add up; padding trims the border; bias",
        () => convTranspose2d(ones([1, 1, 2, 2]), ones([1, 1, 3, 3]), tensor([0.5]), { padding: 1 }),
        [
          [
            [
              [4.5, 4.5],
              [4.5, 4.5],
            ],
          ],
        ],
      ),
    ],
    errors: [
      err(
        "output padding not below stride or dilation",
        () => convTranspose2d(ones([1, 1, 2, 2]), ones([1, 1, 2, 2]), null, { stride: 2, outputPadding: 2 }),
        ValueError,
        /^convTranspose2d: outputPadding \[2, 2\] must be less than the stride \[2, 2\] or the dilation \[1, 1\]/,
      ),
      err(
        "channels differ",
        () => convTranspose2d(ones([1, 3, 2, 2]), ones([2, 1, 2, 2])),
        ShapeError,
        /^convTranspose2d: input \[1, 3, 2, 2\] and weight \[2, 1, 2, 2\] with groups 1 do not match/,
      ),
      err(
        "padding larger than the result",
        () => convTranspose2d(ones([1, 1, 1, 1]), ones([1, 1, 1, 1]), null, { padding: 1 }),
        ShapeError,
        /^convTranspose2d: the result would be -1×-1/,
      ),
      err(
        "weight of the wrong rank",
        () => convTranspose2d(ones([1, 1, 2, 2]), ones([1, 1, 2])),
        ShapeError,
        /^convTranspose2d: weight must be \[in, out \/ groups, kh, kw\]/,
      ),
    ],
  },
  maxPool2d: {
    differentiable: true,
    dtypes: KEEPS_DTYPE,
    note: "padding counts as -∞; tied maxima share the gradient evenly",
    order: 2,
    domain: distinct,
    samples: [
      poolSample("max", "2×2 windows", [1, 2, 4, 4], [2, 2], {}),
      poolSample("max", "overlapping, padded", [2, 1, 5, 4], [3, 3], { stride: 1, padding: 1 }),
      poolSample("max", "rectangular, dilated", [1, 1, 5, 5], [2, 3], { stride: [2, 1], dilation: [1, 2] }),
      poolSample("max", "ceil mode keeps a partial last window", [1, 2, 5, 4], [2, 2], { ceilMode: true }),
    ],
    random: poolArb("max"),
    forward: [
      fwd(
        "2×2 windows",
        () => maxPool2d(tensor([1, 2, 5, 0, 3, 4, 1, 1, 0, 0, 2, 2, 9, 0, 2, 3], { shape: [1, 1, 4, 4] }), 2),
        [
          [
            [
              [4, 5],
              [9, 3],
            ],
          ],
        ],
      ),
      fwd("ceil mode keeps the partial windows", () => maxPool2d(x3x3, 2, { ceilMode: true }), [
        [
          [
            [5, 6],
            [8, 9],
          ],
        ],
      ]),
      fwd(
        "padding never wins",
        () => maxPool2d(tensor([[[-5, -6]]]), [1, 2], { stride: 1, padding: [0, 1] }),
        [[[-5, -5, -6]]],
      ),
    ],
    errors: [
      err(
        "too much padding",
        () => maxPool2d(ones([1, 1, 4, 4]), 2, { padding: 2 }),
        ValueError,
        /^maxPool2d: padding \[2, 2\] must be at most half the window \[2, 2\]/,
      ),
      err(
        "window larger than the input",
        () => maxPool2d(ones([1, 1, 2, 2]), 3),
        ShapeError,
        /^maxPool2d: a 3×3 window/,
      ),
      err(
        "a dilated window over padding only",
        () => maxPool2d(ones([1, 1, 1, 1]), [1, 2], { dilation: [1, 2], padding: [0, 1] }),
        ValueError,
        /^maxPool2d: window 0 along the columns reads only padding \(kernel 2, dilation 2, padding 1, input size 1\)/,
      ),
      err(
        "avg-only option",
        () => maxPool2d(ones([1, 1, 2, 2]), 2, { countIncludePad: true }),
        ValueError,
        /^maxPool2d: countIncludePad is an option of avgPool2d only/,
      ),
    ],
  },
  avgPool2d: {
    differentiable: true,
    dtypes: INT32_TO_FLOAT32,
    note: "padding counts as zeros; countIncludePad: false divides by the taps inside the image",
    order: 2,
    domain: real,
    samples: [
      poolSample("avg", "2×2 windows", [1, 2, 4, 4], [2, 2], {}),
      poolSample("avg", "overlapping, padded, whole window", [2, 1, 5, 4], [3, 3], { stride: 1, padding: 1 }),
      poolSample("avg", "ceil mode, padded, whole window", [1, 1, 6, 5], [3, 3], {
        stride: 2,
        padding: 1,
        ceilMode: true,
      }),
      poolSample("avg", "ceil mode, taps inside only", [1, 1, 5, 5], [2, 2], {
        ceilMode: true,
        countIncludePad: false,
      }),
      poolSample("avg", "padded, taps inside only", [1, 1, 4, 5], [3, 2], {
        stride: [2, 1],
        padding: [1, 1],
        countIncludePad: false,
      }),
    ],
    random: poolArb("avg"),
    forward: [
      fwd("stride 1", () => avgPool2d(x3x3, 2, { stride: 1 }), [
        [
          [
            [3, 4],
            [6, 7],
          ],
        ],
      ]),
      fwd("ceil mode: partial windows divide by their size", () => avgPool2d(x3x3, 2, { ceilMode: true }), [
        [
          [
            [3, 4.5],
            [7.5, 9],
          ],
        ],
      ]),
      fwd(
        "taps inside only",
        () => avgPool2d(tensor([[[2, 4]]]), [1, 2], { stride: 1, padding: [0, 1], countIncludePad: false }),
        [[[2, 3, 4]]],
      ),
    ],
    errors: [
      err(
        "dilation",
        () => avgPool2d(ones([1, 1, 4, 4]), 2, { dilation: 2 }),
        ValueError,
        /^avgPool2d: dilation is an option of maxPool2d only/,
      ),
      err(
        "3-axis window",
        () => avgPool2d(ones([1, 1, 4, 4]), [2, 2, 2] as unknown as [number, number]),
        ValueError,
        /^avgPool2d: kernelSize must be a positive integer or a pair of them; got \[2,2,2\]/,
      ),
    ],
  },
} satisfies Record<string, OpSpec>;
