// Elementwise kernels in WebAssembly SIMD, float32 and float64: a vectorised exp (range reduction to
// [-ln2/2, ln2/2], a Taylor polynomial, and the exponent bits built from integers) and sigmoid built on it.

import { Code, type FunctionDef, I32, V128 } from "./encoder.js";

/** SIMD opcodes and constants of one lane type. */
/** @internal */
export interface Lanes {
  add: number;
  sub: number;
  mul: number;
  div: number;
  min: number;
  max: number;
  abs: number;
  neg: number;
  ge: number;
  intAdd: number;
  intSub: number;
  intShl: number;
  intShrS: number;
  /** Adding it rounds a float to an integer held in the low mantissa bits (1.5·2^mantissa bits). */
  rounder: number;
  /** Clamp of x: below, e^x is 0; above, Infinity. */
  lo: number;
  hi: number;
  /** ln 2 in two parts, the first with trailing zero bits so n·ln2hi is exact. */
  ln2hi: number;
  ln2lo: number;
  exponentBias: number;
  mantissaBits: number;
  /** Taylor coefficients of e^r, highest degree first. */
  coeffs: number[];
  /** Bytes of a vector holding `x` in every lane, and of one holding the integer `k`. */
  splat(x: number): Uint8Array;
  splatInt(k: number): Uint8Array;
}

const taylor = (degree: number): number[] => {
  const out: number[] = [];
  let f = 1;
  for (let k = 1; k <= degree; k++) f *= k;
  for (let k = degree; k >= 0; k--) {
    out.push(1 / f);
    f /= Math.max(k, 1);
  }
  return out;
};

/** @internal */
export const F32: Lanes = {
  add: 0xe4,
  sub: 0xe5,
  mul: 0xe6,
  div: 0xe7,
  min: 0xe8,
  max: 0xe9,
  abs: 0xe0,
  neg: 0xe1,
  ge: 0x46,
  intAdd: 0xae,
  intSub: 0xb1,
  intShl: 0xab,
  intShrS: 0xac,
  rounder: 12582912,
  lo: -104,
  hi: 89,
  ln2hi: 0.693145751953125,
  ln2lo: 1.428606765330187e-6,
  exponentBias: 127,
  mantissaBits: 23,
  // degree 7: error below 1e-8 on |r| ≤ ln2/2, under float32's half ulp
  coeffs: taylor(7),
  splat: (x) => new Uint8Array(new Float32Array([x, x, x, x]).buffer),
  splatInt: (k) => new Uint8Array(new Int32Array([k, k, k, k]).buffer),
};

/** @internal */
export const F64: Lanes = {
  add: 0xf0,
  sub: 0xf1,
  mul: 0xf2,
  div: 0xf3,
  min: 0xf4,
  max: 0xf5,
  abs: 0xec,
  neg: 0xed,
  ge: 0x4c,
  intAdd: 0xce,
  intSub: 0xd1,
  intShl: 0xcb,
  intShrS: 0xcc,
  rounder: 6755399441055744,
  lo: -746,
  hi: 710,
  ln2hi: 0.6931471803691238,
  ln2lo: 1.9082149292705877e-10,
  exponentBias: 1023,
  mantissaBits: 52,
  // degree 13: error below 5e-18 on |r| ≤ ln2/2, under float64's half ulp
  coeffs: taylor(13),
  splat: (x) => new Uint8Array(new Float64Array([x, x]).buffer),
  splatInt: (k) => new Uint8Array(new BigInt64Array([BigInt(k), BigInt(k)]).buffer),
};

const BITSELECT = 0x52;

// NOTE: every constant lives in a local set once before the loop: V8 builds a v128.const from immediates
// with several instructions, which inside the loop cost more than the arithmetic around them.
const hoisted = new WeakMap<Code, Map<string, number>>();

/** Pushes a four-lane constant, read from a local that the function's prologue fills. */
function constV128(c: Code, lanes: Uint8Array): Code {
  let table = hoisted.get(c);
  if (table === undefined) {
    table = new Map();
    hoisted.set(c, table);
  }
  const key = lanes.join(",");
  let local = table.get(key);
  if (local === undefined) {
    local = c.local(V128);
    table.set(key, local);
  }
  return c.get(local);
}

/** @internal */
export function constF(c: Code, t: Lanes, x: number): Code {
  return constV128(c, t.splat(x));
}

/** Moves the constant initialisations to the start of `c`'s body. */
/** @internal */
export function emitPrologue(c: Code): void {
  const table = hoisted.get(c);
  if (table === undefined) return;
  const prologue = new Code(0);
  for (const [key, local] of table) prologue.v128Const(new Uint8Array(key.split(",").map(Number))).set(local);
  c.bytes.unshift(...prologue.bytes);
}

/** Leaves exp(x) on the stack for the v128 in local `x`, using `n`, `r` and `h` as scratch locals. */
function emitExp(c: Code, t: Lanes, x: number, n: number, r: number, h: number): void {
  // Clamping x keeps 2^n within two normal factors 2^⌊n/2⌋·2^(n-⌊n/2⌋), so results overflow to Infinity
  // and underflow through subnormals to 0 exactly where the float type does. NaN passes through (min and
  // max propagate it).
  c.get(x);
  constF(c, t, t.hi).simd(t.min);
  constF(c, t, t.lo).simd(t.max).set(r);
  // n = round(x·log2 e): adding the rounder leaves the integer in the low mantissa bits of `h`, and
  // subtracting it again gives n as a float.
  c.get(r);
  constF(c, t, Math.LOG2E).simd(t.mul);
  constF(c, t, t.rounder).simd(t.add).set(h);
  c.get(h);
  constF(c, t, t.rounder).simd(t.sub).set(n);
  // r = x - n·ln2, with ln2 split in two so the reduction is exact to the type's precision
  c.get(r).get(n);
  constF(c, t, t.ln2hi).simd(t.mul).simd(t.sub);
  c.get(n);
  constF(c, t, t.ln2lo).simd(t.mul).simd(t.sub).set(r);
  // the Taylor polynomial of e^r, Horner form
  constF(c, t, t.coeffs[0] as number);
  for (const k of t.coeffs.slice(1)) {
    c.get(r).simd(t.mul);
    constF(c, t, k).simd(t.add);
  }
  // n as integers; h = ⌊n/2⌋; multiply by 2^h and 2^(n-h), each built in the exponent field
  c.get(h);
  constF(c, t, t.rounder).simd(t.intSub).set(n);
  c.get(n).i32(1).simd(t.intShrS).set(h);
  c.get(h);
  constV128(c, t.splatInt(t.exponentBias)).simd(t.intAdd).i32(t.mantissaBits).simd(t.intShl).simd(t.mul);
  c.get(n).get(h).simd(t.intSub);
  constV128(c, t.splatInt(t.exponentBias)).simd(t.intAdd).i32(t.mantissaBits).simd(t.intShl).simd(t.mul);
}

/**
 * `name(src, dst, n)`: applies `body` to the n floats at `src`, writing `dst`, 32 bytes per iteration
 * (buffers padded by the caller to a multiple of 32 bytes).
 */
function mapLanes(name: string, t: Lanes, body: (c: Code, x: number) => void): FunctionDef {
  const [src, dst, n] = [0, 1, 2];
  const c = new Code(3);
  const x0 = c.local(V128);
  const x1 = c.local(V128);
  const perIteration = t === F32 ? 8 : 4;
  // Two vectors per iteration, each with its own scratch locals, so their dependency chains interleave.
  c.block(() =>
    c.loop(() => {
      c.get(n).i32(0).op(0x4c).brIf(1); // n <= 0
      c.get(src).v128Load(0).set(x0);
      c.get(src).v128Load(16).set(x1);
      c.get(dst);
      body(c, x0);
      c.v128Store(0);
      c.get(dst);
      body(c, x1);
      c.v128Store(16);
      c.inc(src, 32).inc(dst, 32).inc(n, -perIteration);
      c.br(0);
    }),
  );
  emitPrologue(c);
  return { name, params: [I32, I32, I32], results: [], code: c };
}

/** The elementwise kernels of the module: exp and sigmoid in float32 and float64. @internal */
export function unaryKernels(): FunctionDef[] {
  return [F32, F64].flatMap((t) => {
    const suffix = t === F32 ? "f32" : "f64";
    const exp = mapLanes(`exp_${suffix}`, t, (c, x) => {
      emitExp(c, t, x, c.local(V128), c.local(V128), c.local(V128));
    });
    const sigmoid = mapLanes(`sigmoid_${suffix}`, t, (c, x) => {
      const e = c.local(V128);
      const s = c.local(V128);
      const m = c.local(V128);
      // e = exp(-|x|) ∈ (0, 1]; σ(x) = 1/(1+e) for x ≥ 0 and e/(1+e) below, so nothing overflows.
      c.get(x).simd(t.abs).simd(t.neg).set(m);
      emitExp(c, t, m, c.local(V128), c.local(V128), c.local(V128));
      c.set(e);
      constF(c, t, 1);
      constF(c, t, 1).get(e).simd(t.add).simd(t.div).set(s);
      c.get(s).get(e).get(s).simd(t.mul).get(x);
      constF(c, t, 0).simd(t.ge).simd(BITSELECT);
    });
    return [exp, sigmoid];
  });
}
