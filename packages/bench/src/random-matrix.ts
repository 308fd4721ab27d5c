// Deterministic random matrices, so every system multiplies the same numbers.

/**
 * A row-major `n × n` float32 matrix of values uniform in [-1, 1), from a 32-bit xorshift generator
 * seeded with `seed` (any non-zero integer). Same `n` and `seed`, same matrix, in every process.
 */
export function randomMatrix(n: number, seed: number): Float32Array {
  const out = new Float32Array(n * n);
  let s = seed | 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return out;
}
