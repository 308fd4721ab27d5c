// A small WebAssembly binary encoder: just enough of the format to emit our SIMD kernels from TypeScript
// at load time, so the fast path needs no compiler, no build step and no binary in the repository.

/** Value types. @internal */
export const I32 = 0x7f;
/** @internal */ export const F32 = 0x7d;
/** @internal */ export const F64 = 0x7c;
/** @internal */ export const V128 = 0x7b;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function str(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/**
 * Emits the instructions of one function body. Methods append bytes and return `this`, so kernels read
 * top to bottom like the text format.
 * @internal
 */
export class Code {
  readonly bytes: number[] = [];
  readonly locals: number[] = [];
  readonly #params: number;

  constructor(params: number) {
    this.#params = params;
  }

  /** Declares a local of `type` and returns its index. */
  local(type: number): number {
    this.locals.push(type);
    return this.#params + this.locals.length - 1;
  }

  op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }

  simd(opcode: number, ...imm: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...imm);
  }

  get(i: number): this {
    return this.op(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.op(0x21, ...uleb(i));
  }
  tee(i: number): this {
    return this.op(0x22, ...uleb(i));
  }
  i32(n: number): this {
    return this.op(0x41, ...sleb(n | 0));
  }
  f32(x: number): this {
    return this.op(0x43, ...new Uint8Array(new Float32Array([x]).buffer));
  }
  f64(x: number): this {
    return this.op(0x44, ...new Uint8Array(new Float64Array([x]).buffer));
  }
  /** A block whose `br` exits forward. */
  block(body: () => void): this {
    this.op(0x02, 0x40);
    body();
    return this.op(0x0b);
  }
  /** A loop whose `br` jumps back to its start. */
  loop(body: () => void): this {
    this.op(0x03, 0x40);
    body();
    return this.op(0x0b);
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }
  br(depth: number): this {
    return this.op(0x0c, ...uleb(depth));
  }

  // i32 arithmetic and comparisons
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  mul(): this {
    return this.op(0x6c);
  }
  shl(): this {
    return this.op(0x74);
  }
  geU(): this {
    return this.op(0x4f);
  }
  ltU(): this {
    return this.op(0x49);
  }

  /** `local += k` for an i32 local. */
  inc(i: number, k: number): this {
    return this.get(i).i32(k).add().set(i);
  }

  // memory: alignment exponent then offset, as in the binary format
  f32Load(offset = 0): this {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  f64Load(offset = 0): this {
    return this.op(0x2b, 3, ...uleb(offset));
  }
  f32Store(offset = 0): this {
    return this.op(0x38, 2, ...uleb(offset));
  }
  f64Store(offset = 0): this {
    return this.op(0x39, 3, ...uleb(offset));
  }
  v128Load(offset = 0): this {
    return this.simd(0x00, 4, ...uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, 4, ...uleb(offset));
  }
  v128Const(lanes: Uint8Array): this {
    return this.simd(0x0c, ...lanes);
  }
}

/** A function to put in a module: its signature, body and export name. @internal */
export interface FunctionDef {
  name: string;
  params: number[];
  results: number[];
  code: Code;
}

/**
 * Encodes a module that imports its memory as `env.memory` (shared, with `maxPages`, when given: threads
 * then run the same kernels on the same memory) and exports `functions` by name.
 * @internal
 */
export function encodeModule(functions: readonly FunctionDef[], sharedMaxPages?: number): Uint8Array {
  const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
  const types = functions.map((f) => [
    0x60,
    ...vec(f.params.map((p) => [p])),
    ...vec(f.results.map((r) => [r])),
  ]);
  const limits = sharedMaxPages === undefined ? [0x00, 0x01] : [0x03, 0x01, ...uleb(sharedMaxPages)];
  const imports = [[...str("env"), ...str("memory"), 0x02, ...limits]];
  const funcs = functions.map((_, i) => uleb(i));
  const exports = functions.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]);
  const bodies = functions.map((f) => {
    const groups = f.code.locals.map((t) => [1, t]);
    const body = [...vec(groups), ...f.code.bytes, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(funcs)),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
