// Data augmentation for the digits: random whole-pixel shifts, so a model sees each digit in several
// positions and learns that position does not change the class.

import { Generator, ShapeError, type Tensor, tensor, ValueError } from "@tapegrad/autograd";

/**
 * Options of {@link randomShift}.
 *
 * @example
 * ```ts
 * import { randomShift, type RandomShiftOptions } from "@tapegrad/examples";
 * import { Generator, ones } from "@tapegrad/autograd";
 * const opts: RandomShiftOptions = { maxShift: 0, generator: new Generator(0) };
 * console.log(randomShift(ones([2, 1, 8, 8]), opts).sum().item()); // 128
 * ```
 * @category Data
 */
export interface RandomShiftOptions {
  /** Largest move in pixels along each axis; default 1 (moves of -1, 0 or 1 down and across). */
  maxShift?: number;
  /** Source of the moves; a generator seeded with 0 by default, so results repeat. */
  generator?: Generator;
}

/**
 * Moves every image of `images` [n, ..., h, w] by its own random offset (dy, dx), each drawn uniformly
 * from `-maxShift..maxShift`; pixels moved off the edge are lost and uncovered ones are 0 (the digits'
 * background). All channels of an image move together. Returns a new tensor of the same shape and dtype,
 * outside any graph (augmentation is input preparation, not part of the model).
 * @throws {ShapeError} If `images` has fewer than 3 axes.
 * @throws {ValueError} If `maxShift` is not a non-negative integer.
 * @example
 * ```ts
 * import { randomShift } from "@tapegrad/examples";
 * import { Generator, tensor } from "@tapegrad/autograd";
 * const x = tensor([0, 0, 0, 0, 1, 0, 0, 0, 0], { shape: [1, 3, 3] });
 * const y = randomShift(x, { generator: new Generator(3) });
 * console.log(y.shape, y.sum().item()); // [1, 3, 3] 1
 * ```
 * @category Data
 */
export function randomShift(images: Tensor, options: RandomShiftOptions = {}): Tensor {
  const maxShift = options.maxShift ?? 1;
  if (!Number.isInteger(maxShift) || maxShift < 0) {
    throw new ValueError(`randomShift: maxShift must be a non-negative integer; got ${maxShift}`);
  }
  if (images.ndim < 3) {
    throw new ShapeError(
      `randomShift: images must be [n, ..., h, w] (at least 3 axes); got [${images.shape.join(", ")}]`,
    );
  }
  const generator = options.generator ?? new Generator(0);
  const shape = images.shape;
  const [h, w] = [shape[shape.length - 2] as number, shape[shape.length - 1] as number];
  const n = shape[0] as number;
  const planes = images.size / (n * h * w); // channels per image
  const src = images.data();
  const out = src.slice().fill(0); // same array type as the input
  for (let i = 0; i < n; i++) {
    const dy = generator.integer(-maxShift, maxShift + 1);
    const dx = generator.integer(-maxShift, maxShift + 1);
    for (let p = 0; p < planes; p++) {
      const base = (i * planes + p) * h * w;
      // Output row y reads input row y - dy; only rows and columns that land inside are copied.
      for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
        const from = base + (y - dy) * w;
        const to = base + y * w;
        for (let x = Math.max(0, dx); x < Math.min(w, w + dx); x++)
          out[to + x] = src[from + x - dx] as number;
      }
    }
  }
  return tensor(out, { shape: [...shape], dtype: images.dtype });
}
