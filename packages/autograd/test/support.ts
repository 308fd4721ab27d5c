// Shared pieces of the registry-driven suites: input domains, deterministic draws for the fixed samples,
// fast-check value arbitraries for the random ones, and the fast-check parameters (seed from FC_SEED).

import { type DType, type Shape, type Tensor, tensor } from "@tapegrad/autograd";
import fc from "fast-check";

/** STYLE.md's float64 finite-difference settings; a row may loosen them with a comment. */
export const DEFAULT_TOL = { eps: 1e-5, rtol: 1e-5, atol: 1e-7 };

/** Where the values of one input live. Domains keep away from kinks and poles (JAX's rng factories). */
export interface Domain {
  readonly describe: string;
  readonly min: number;
  readonly max: number;
  /** Points every value keeps at least `gap` away from: kinks (relu at 0), bounds (clamp), poles. */
  readonly avoid?: readonly number[];
  readonly gap?: number;
  /**
   * All values of all inputs are pairwise at least 1/64 apart, so no max/min/maximum/minimum has a tie and
   * no std is zero: a finite-difference step of 1e-5 never changes which element wins.
   */
  readonly distinct?: boolean;
}

export const real: Domain = { describe: "[-2, 2]", min: -2, max: 2 };
export const positive: Domain = { describe: "[0.2, 3]", min: 0.2, max: 3 };
export const distinct: Domain = { describe: "[-2, 2], pairwise distinct", min: -2, max: 2, distinct: true };
export const range = (min: number, max: number): Domain => ({ describe: `[${min}, ${max}]`, min, max });
/** Values in [-2, 2] at least `gap` away from each of `points`. */
export const awayFrom = (points: readonly number[], gap = 0.05): Domain => ({
  describe: `[-2, 2] at least ${gap} away from ${points.join(", ")}`,
  min: -2,
  max: 2,
  avoid: points,
  gap,
});

/** Moves a value out of the forbidden neighbourhoods of its domain. */
function place(x: number, d: Domain): number {
  let v = x;
  for (const p of d.avoid ?? []) {
    const gap = d.gap ?? 0.05;
    if (Math.abs(v - p) < gap) v = v >= p ? p + gap : p - gap;
  }
  return v;
}

const sizeOf = (s: Shape): number => s.reduce((p, n) => p * n, 1);

/** The grid distinct values are drawn from: 257 points 1/64 apart in [-2, 2]. */
const GRID = Array.from({ length: 257 }, (_, i) => -2 + i / 64);

function domainOf(domain: Domain | readonly Domain[], i: number): Domain {
  return Array.isArray(domain) ? ((domain as readonly Domain[])[i] as Domain) : (domain as Domain);
}

function isDistinct(domain: Domain | readonly Domain[], n: number): boolean {
  return Array.from({ length: n }, (_, i) => domainOf(domain, i)).some((d) => d.distinct === true);
}

/** mulberry32: a tiny seeded PRNG, independent of the library's Generator, for fixed samples. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit hash of a label, used to seed each fixed sample. */
export function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function toTensors(shapes: readonly Shape[], values: readonly number[]): Tensor[] {
  let at = 0;
  return shapes.map((s) => {
    const n = sizeOf(s);
    const t = tensor(new Float64Array(values.slice(at, at + n)), { shape: s });
    at += n;
    return t;
  });
}

/** Deterministic float64 inputs of the given shapes, drawn from the domain(s) with a seeded PRNG. */
export function drawInputs(
  shapes: readonly Shape[],
  domain: Domain | readonly Domain[],
  seed: number,
): Tensor[] {
  const rnd = prng(seed);
  const total = shapes.reduce((p, s) => p + sizeOf(s), 0);
  if (isDistinct(domain, shapes.length)) {
    const pool = [...GRID];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
    }
    return toTensors(shapes, pool.slice(0, total));
  }
  const values: number[] = [];
  shapes.forEach((s, i) => {
    const d = domainOf(domain, i);
    for (let k = 0; k < sizeOf(s); k++) values.push(place(d.min + (d.max - d.min) * rnd(), d));
  });
  return toTensors(shapes, values);
}

/** A fast-check arbitrary of float64 inputs of the given shapes, drawn from the domain(s); shrinks. */
export function inputsArb(
  shapes: readonly Shape[],
  domain: Domain | readonly Domain[],
): fc.Arbitrary<Tensor[]> {
  const total = shapes.reduce((p, s) => p + sizeOf(s), 0);
  if (isDistinct(domain, shapes.length)) {
    if (total > GRID.length) throw new Error(`internal test error: ${total} distinct values requested`);
    return fc
      .shuffledSubarray(GRID, { minLength: total, maxLength: total })
      .map((vs) => toTensors(shapes, vs));
  }
  const parts = shapes.map((s, i) => {
    const d = domainOf(domain, i);
    return fc
      .array(fc.double({ min: d.min, max: d.max, noNaN: true }), {
        minLength: sizeOf(s),
        maxLength: sizeOf(s),
      })
      .map((vs) => vs.map((v) => place(v, d)));
  });
  return fc.tuple(...parts).map((vs) => toTensors(shapes, vs.flat()));
}

/** Uniform values in [-1, 1) of a shape, for cotangents and tangents (never all ones). */
export function noise(shape: Shape, rnd: () => number, dtype: DType = "float64"): Tensor {
  const data = new Float64Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = 2 * rnd() - 1;
  return tensor(data, { shape, dtype });
}

/** Parameters for fc.assert: FC_SEED (and FC_RUNS) from the environment, so a failure can be replayed. */
export function fcParams(numRuns = 30): fc.Parameters<unknown> {
  const seed = process.env.FC_SEED;
  const runs = process.env.FC_RUNS;
  return {
    numRuns: runs === undefined ? numRuns : Number(runs),
    ...(seed === undefined ? {} : { seed: Number(seed) }),
  };
}
