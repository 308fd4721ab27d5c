// Makes the rings data set of the custom-model example: 2-D points labelled inside or outside a circle.

import { Generator, rand, type Tensor, tensor } from "@tapegrad/autograd";

/**
 * A synthetic two-class data set: `points` `[n, 2]` and int32 `labels` `[n]`.
 *
 * @example
 * ```ts
 * import { makeRings, type Rings } from "@tapegrad/examples";
 * const data: Rings = makeRings(8);
 * console.log(data.points.shape, data.labels.dtype); // [8, 2] "int32"
 * ```
 * @category Data
 */
export interface Rings {
  readonly points: Tensor;
  readonly labels: Tensor;
}

/**
 * `n` points drawn uniformly from the square `[-1, 1]²`, labelled 1 inside the circle of radius 0.6 and 0
 * outside. No straight line separates the classes, so a purely linear model fails; squared coordinates
 * or a hidden layer solve it.
 * @example
 * ```ts
 * import { makeRings } from "@tapegrad/examples";
 * const { labels } = makeRings(1000, { seed: 1 });
 * // about 28% of the square lies inside the circle
 * console.log(labels.sum().item() > 200); // true
 * ```
 * @category Data
 */
export function makeRings(n: number, options: { seed?: number; dtype?: "float32" | "float64" } = {}): Rings {
  const points = rand([n, 2], {
    generator: new Generator(options.seed ?? 0),
    low: -1,
    high: 1,
    dtype: options.dtype ?? "float32",
  });
  const xy = points.data();
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i] as number;
    const y = xy[2 * i + 1] as number;
    labels[i] = x * x + y * y < 0.36 ? 1 : 0;
  }
  return { points, labels: tensor(labels) };
}
