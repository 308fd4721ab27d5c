// Seeded pseudo-random numbers: a small counter-free generator whose streams are identical on every
// machine, because they use only 32-bit integer arithmetic and IEEE doubles.

import { ValueError } from "./errors.js";

/**
 * A seeded random number generator (xoshiro128**, seeded through SplitMix32). The same seed gives the
 * same sequence, bit for bit, on every run and machine. Pass one to {@link rand}, {@link randn},
 * {@link randint} and initialisers to make a computation reproducible.
 *
 * @example
 * ```ts
 * import { Generator, randn } from "@tapegrad/autograd";
 * const a = randn([3], { generator: new Generator(42) }).toArray();
 * const b = randn([3], { generator: new Generator(42) }).toArray();
 * console.log(JSON.stringify(a) === JSON.stringify(b)); // true
 * ```
 * @category Random
 */
export class Generator {
  #s0 = 0;
  #s1 = 0;
  #s2 = 0;
  #s3 = 0;
  #spare: number | null = null;

  /** @param seed Any integer (only its low 53 bits matter). */
  constructor(seed = 0) {
    this.seed(seed);
  }

  /**
   * Restarts the sequence from `seed`.
   * @throws {ValueError} If the seed is not a finite integer.
   */
  seed(seed: number): this {
    if (!Number.isSafeInteger(seed)) {
      throw new ValueError(`Generator: seed must be a safe integer; got ${seed}`);
    }
    // SplitMix32 over both halves of the seed fills the four state words, never all zero.
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x9e3779b9);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#s0 = next();
    this.#s1 = next();
    this.#s2 = next();
    this.#s3 = next();
    this.#spare = null;
    return this;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.#s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return r;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal double (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.#spare !== null) {
      const s = this.#spare;
      this.#spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /**
   * A uniform integer in `[low, high)`, without modulo bias.
   * @throws {ValueError} If the range is empty or wider than 2³².
   */
  integer(low: number, high: number): number {
    const span = high - low;
    if (!Number.isInteger(low) || !Number.isInteger(high) || span <= 0 || span > 2 ** 32) {
      throw new ValueError(
        `Generator.integer: need integers low < high with high - low <= 2^32; got [${low}, ${high})`,
      );
    }
    const limit = 2 ** 32 - (2 ** 32 % span);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return low + (r % span);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let defaultGenerator = new Generator(0);

/**
 * The generator used when none is passed.
 *
 * @example
 * ```ts
 * import { getDefaultGenerator } from "@tapegrad/autograd";
 * console.log(getDefaultGenerator().uniform() < 1); // true
 * ```
 * @category Random
 */
export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}

/**
 * Reseeds the global generator used by random functions when no `generator` is given, like PyTorch's
 * `torch.manual_seed`.
 *
 * @example
 * ```ts
 * import { manualSeed, rand } from "@tapegrad/autograd";
 * manualSeed(7);
 * const a = rand([2]).toArray();
 * manualSeed(7);
 * console.log(JSON.stringify(rand([2]).toArray()) === JSON.stringify(a)); // true
 * ```
 * @category Random
 */
export function manualSeed(seed: number): Generator {
  defaultGenerator = new Generator(seed);
  return defaultGenerator;
}
