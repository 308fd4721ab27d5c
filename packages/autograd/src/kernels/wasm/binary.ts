// Elementwise kernels of two inputs in WebAssembly SIMD: the one-pass backward of sigmoid and tanh,
// `g·y(1 - y)` and `g(1 - y²)` from the activation's output y and its cotangent g.

import { Code, type FunctionDef, I32, V128 } from "./encoder.js";
import { constF, emitPrologue, F32, F64, type Lanes } from "./unary.js";

/** `name(y, g, dst, n)`: 32 bytes of each input per iteration (buffers padded by the caller). */
function mapPair(name: string, t: Lanes, body: (c: Code, y: number, g: number) => void): FunctionDef {
  const [py, pg, dst, n] = [0, 1, 2, 3];
  const c = new Code(4);
  const y = c.local(V128);
  const g = c.local(V128);
  const perIteration = t === F32 ? 8 : 4;
  c.block(() =>
    c.loop(() => {
      c.get(n).i32(0).op(0x4c).brIf(1); // n <= 0
      for (const offset of [0, 16]) {
        c.get(py).v128Load(offset).set(y);
        c.get(pg).v128Load(offset).set(g);
        c.get(dst);
        body(c, y, g);
        c.v128Store(offset);
      }
      c.inc(py, 32).inc(pg, 32).inc(dst, 32).inc(n, -perIteration);
      c.br(0);
    }),
  );
  emitPrologue(c);
  return { name, params: [I32, I32, I32, I32], results: [], code: c };
}

/** The two-input kernels of the module, float32 and float64. @internal */
export function binaryKernels(): FunctionDef[] {
  return [F32, F64].flatMap((t) => {
    const suffix = t === F32 ? "f32" : "f64";
    return [
      // g·y·(1 - y)
      mapPair(`sigmoidGrad_${suffix}`, t, (c, y, g) => {
        c.get(g).get(y).simd(t.mul);
        constF(c, t, 1).get(y).simd(t.sub).simd(t.mul);
      }),
      // g·(1 - y)(1 + y): 1 - y is exact near |y| = 1, where 1 - y·y would cancel in float32
      mapPair(`tanhGrad_${suffix}`, t, (c, y, g) => {
        c.get(g);
        constF(c, t, 1).get(y).simd(t.sub).simd(t.mul);
        constF(c, t, 1).get(y).simd(t.add).simd(t.mul);
      }),
    ];
  });
}
