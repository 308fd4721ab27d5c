// The SIMD matrix-multiply micro-kernel, emitted as WebAssembly: C (+)= A·B computed in tiles of 4 rows
// by two v128 columns, with the eight accumulators held in registers across the k loop.

import { Code, type FunctionDef, I32, V128 } from "./encoder.js";

// SIMD opcodes (after the 0xfd prefix) per element type.
const OPS = {
  f32: { splat: 0x13, add: 0xe4, mul: 0xe6, bytes: 4, lanes: 4 },
  f64: { splat: 0x14, add: 0xf0, mul: 0xf2, bytes: 8, lanes: 2 },
} as const;

/** Rows of A per strip. @internal */
export const MR = 4;

/** Columns of C per tile (two v128 registers), in elements. @internal */
export function panelWidth(kind: "f32" | "f64"): number {
  return 2 * OPS[kind].lanes;
}

/**
 * `gemm_<kind>(pa, rsA, csA, pb, ldb, pc, ldc, strips, panels, kc, accumulate)`, all in bytes but the
 * counts: A(i, k) is read at `pa + i·rsA + k·csA` (either layout of A, so a transposed operand needs no
 * copy), B(k, j) at `pb + k·ldb + j·size`, C(i, j) at `pc + i·ldc + j·size`. Computes `strips`×4 rows and
 * `panels`×panelWidth columns over `kc` steps of k, adding to C when `accumulate` is -1 (all bits set) and overwriting it when 0. Rows and
 * columns past the caller's M and N read neighbouring memory and are discarded by the caller: each row of C
 * depends only on its row of A, and each column on its column of B.
 * @internal
 */
export function gemmKernel(kind: "f32" | "f64"): FunctionDef {
  const t = OPS[kind];
  const nr = 2 * t.lanes;
  const [pa, rsA, csA, pb, ldb, pc, ldc, strips, panels, kc, accumulate] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const c = new Code(11);
  const p = c.local(I32);
  const ib = c.local(I32);
  const k = c.local(I32);
  const c0 = c.local(I32);
  const bp = c.local(I32);
  const a = [c.local(I32), c.local(I32), c.local(I32), c.local(I32)];
  const acc = Array.from({ length: 2 * MR }, () => c.local(V128));
  const b0 = c.local(V128);
  const b1 = c.local(V128);
  const s = c.local(V128);
  c.i32(0).set(p);
  c.block(() =>
    c.loop(() => {
      c.get(p).get(panels).geU().brIf(1);
      c.i32(0).set(ib);
      c.block(() =>
        c.loop(() => {
          c.get(ib).get(strips).geU().brIf(1);
          // c0 = pc + ib·MR·ldc + p·nr·size
          c.get(pc)
            .get(ib)
            .i32(MR)
            .mul()
            .get(ldc)
            .mul()
            .add()
            .get(p)
            .i32(nr * t.bytes)
            .mul()
            .add()
            .set(c0);
          for (let r = 0; r < MR; r++)
            c.get(pa).get(ib).i32(MR).mul().i32(r).add().get(rsA).mul().add().set(a[r]!);
          for (let r = 0; r < MR; r++) {
            for (let h = 0; h < 2; h++) {
              // acc = accumulate ? C tile : 0, as bitselect(C, 0, splat(accumulate)) with accumulate 0 or -1
              c.get(c0);
              if (r > 0) c.get(ldc).i32(r).mul().add();
              c.v128Load(h * 16);
              c.v128Const(new Uint8Array(16));
              c.get(accumulate).simd(0x11).simd(0x52);
              c.set(acc[2 * r + h]!);
            }
          }
          c.get(pb)
            .get(p)
            .i32(nr * t.bytes)
            .mul()
            .add()
            .set(bp);
          c.get(kc).set(k);
          c.block(() =>
            c.loop(() => {
              c.get(k).i32(0).op(0x4c).brIf(1); // k <= 0
              c.get(bp).v128Load(0).set(b0);
              c.get(bp).v128Load(16).set(b1);
              for (let r = 0; r < MR; r++) {
                c.get(a[r]!);
                if (kind === "f32") c.f32Load();
                else c.f64Load();
                c.simd(t.splat).set(s);
                for (let h = 0; h < 2; h++) {
                  c.get(acc[2 * r + h]!)
                    .get(s)
                    .get(h === 0 ? b0 : b1)
                    .simd(t.mul)
                    .simd(t.add)
                    .set(acc[2 * r + h]!);
                }
                c.get(a[r]!).get(csA).add().set(a[r]!);
              }
              c.get(bp).get(ldb).add().set(bp);
              c.inc(k, -1);
              c.br(0);
            }),
          );
          for (let r = 0; r < MR; r++) {
            for (let h = 0; h < 2; h++) {
              c.get(c0);
              if (r > 0) c.get(ldc).i32(r).mul().add();
              c.get(acc[2 * r + h]!).v128Store(h * 16);
            }
          }
          c.inc(ib, 1);
          c.br(0);
        }),
      );
      c.inc(p, 1);
      c.br(0);
    }),
  );
  const params = Array.from({ length: 11 }, () => I32);
  return { name: `gemm_${kind}`, params, results: [], code: c };
}
