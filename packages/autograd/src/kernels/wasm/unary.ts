// Elementwise float32 kernels in WebAssembly SIMD: a vectorised exp (range reduction to [-ln2/2, ln2/2],
// a degree-7 polynomial, and the exponent bits built from integers) and sigmoid built on it.

import { Code, type FunctionDef, I32, V128 } from "./encoder.js";

const ADD = 0xe4;
const SUB = 0xe5;
const MUL = 0xe6;
const DIV = 0xe7;
const MIN = 0xe8;
const MAX = 0xe9;
const ABS = 0xe0;
const NEG = 0xe1;
const GE = 0x46;
const BITSELECT = 0x52;
// 1.5·2²³: adding it to a float of magnitude below 2²² rounds it to an integer held in the mantissa.
const ROUNDER = 12582912;
const I32X4_ADD = 0xae;
const I32X4_SHL = 0xab;
const I32X4_SHR_S = 0xac;
const I32X4_SUB = 0xb1;

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

function constF32(c: Code, x: number): Code {
  return constV128(c, new Uint8Array(new Float32Array([x, x, x, x]).buffer));
}

/** Moves the constant initialisations to the start of `c`'s body. */
function emitPrologue(c: Code): void {
  const table = hoisted.get(c);
  if (table === undefined) return;
  const prologue = new Code(0);
  for (const [key, local] of table) prologue.v128Const(new Uint8Array(key.split(",").map(Number))).set(local);
  c.bytes.unshift(...prologue.bytes);
}

/** Leaves exp(x) on the stack for the v128 in local `x`, using `n`, `r` and `h` as scratch locals. */
function emitExp(c: Code, x: number, n: number, r: number, h: number): void {
  // Clamping to [-104, 89] keeps n in [-150, 129]; 2^n is applied as two factors 2^⌊n/2⌋·2^(n-⌊n/2⌋),
  // each a normal float, so results overflow to Infinity and underflow through subnormals to 0 exactly
  // where float32 does. NaN passes through (min and max propagate it).
  c.get(x);
  constF32(c, 89).simd(MIN);
  constF32(c, -104).simd(MAX).set(r);
  // n = round(x·log2 e) by the 1.5·2²³ trick: adding it rounds to an integer whose value sits in the low
  // mantissa bits, so `h` keeps t for the integer and n = t - 1.5·2²³ is the rounded float.
  c.get(r);
  constF32(c, Math.LOG2E).simd(MUL);
  constF32(c, ROUNDER).simd(ADD).set(h);
  c.get(h);
  constF32(c, ROUNDER).simd(SUB).set(n);
  // r = x - n·ln2, with ln2 split in two so the reduction is exact to float32 precision
  c.get(r).get(n);
  constF32(c, 0.693145751953125).simd(MUL).simd(SUB);
  c.get(n);
  constF32(c, 1.428606765330187e-6).simd(MUL).simd(SUB).set(r);
  // Taylor polynomial of e^r to degree 7 (error below 1e-8 on |r| ≤ ln2/2), Horner form
  const coeffs = [1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];
  constF32(c, coeffs[0] as number);
  for (const k of coeffs.slice(1)) {
    c.get(r).simd(MUL);
    constF32(c, k).simd(ADD);
  }
  // n as integers; h = ⌊n/2⌋; multiply by 2^h and 2^(n-h), each built in the exponent field: (e + 127) << 23
  c.get(h);
  constF32(c, ROUNDER).simd(I32X4_SUB).set(n);
  c.get(n).i32(1).simd(I32X4_SHR_S).set(h);
  const bias = new Uint8Array(new Int32Array([127, 127, 127, 127]).buffer);
  c.get(h);
  constV128(c, bias).simd(I32X4_ADD).i32(23).simd(I32X4_SHL).simd(MUL);
  c.get(n).get(h).simd(I32X4_SUB);
  constV128(c, bias).simd(I32X4_ADD).i32(23).simd(I32X4_SHL).simd(MUL);
}

/** `name(src, dst, n)`: applies `body` to ⌈n/8⌉ groups of eight floats (buffers padded by the caller). */
function mapF32(name: string, body: (c: Code, x: number) => void): FunctionDef {
  const [src, dst, n] = [0, 1, 2];
  const c = new Code(3);
  const x0 = c.local(V128);
  const x1 = c.local(V128);
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
      c.inc(src, 32).inc(dst, 32).inc(n, -8);
      c.br(0);
    }),
  );
  emitPrologue(c);
  return { name, params: [I32, I32, I32], results: [], code: c };
}

/** The elementwise kernels of the module. @internal */
export function unaryKernels(): FunctionDef[] {
  const exp = mapF32("exp_f32", (c, x) => {
    emitExp(c, x, c.local(V128), c.local(V128), c.local(V128));
  });
  const sigmoid = mapF32("sigmoid_f32", (c, x) => {
    const e = c.local(V128);
    const s = c.local(V128);
    const m = c.local(V128);
    // e = exp(-|x|) ∈ (0, 1]; σ(x) = 1/(1+e) for x ≥ 0 and e/(1+e) below, so nothing overflows.
    c.get(x).simd(ABS).simd(NEG).set(m);
    emitExp(c, m, c.local(V128), c.local(V128), c.local(V128));
    c.set(e);
    constF32(c, 1);
    constF32(c, 1).get(e).simd(ADD).simd(DIV).set(s);
    c.get(s).get(e).get(s).simd(MUL).get(x);
    constF32(c, 0).simd(GE).simd(BITSELECT);
  });
  return [exp, sigmoid];
}
