import { Generator, ShapeError, type Tensor, tensor, ValueError } from "@tapegrad/autograd";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { randomShift } from "../src/index.js";

/** `img` [h, w] (row-major numbers) moved by (dy, dx) with zeros coming in, as plain arrays. */
function moved(img: number[], h: number, w: number, dy: number, dx: number): number[] {
  return img.map((_, i) => {
    const [y, x] = [Math.floor(i / w) - dy, (i % w) - dx];
    return y >= 0 && y < h && x >= 0 && x < w ? (img[y * w + x] as number) : 0;
  });
}

/** Which (dy, dx) within ±max turns `a` into `b`; one of them must, for every image. */
function shiftOf(a: number[], b: number[], h: number, w: number, max: number): [number, number][] {
  const found: [number, number][] = [];
  for (let dy = -max; dy <= max; dy++) {
    for (let dx = -max; dx <= max; dx++) {
      if (moved(a, h, w, dy, dx).every((v, i) => v === b[i])) found.push([dy, dx]);
    }
  }
  return found;
}

const rows = (t: Tensor, size: number): number[][] => {
  const d = Array.from(t.data());
  return Array.from({ length: d.length / size }, (_, i) => d.slice(i * size, (i + 1) * size));
};

describe("randomShift", () => {
  test("every image is its input moved by at most maxShift pixels, zeros coming in", () => {
    const cases = fc.record({
      n: fc.integer({ min: 1, max: 4 }),
      h: fc.integer({ min: 1, max: 5 }),
      w: fc.integer({ min: 1, max: 5 }),
      max: fc.integer({ min: 0, max: 2 }),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(cases, ({ n, h, w, max, seed }) => {
        // Distinct positive pixels, so the shift that produced an image is unambiguous unless it is blank.
        const x = tensor(
          Array.from({ length: n * h * w }, (_, i) => i + 1),
          { shape: [n, h, w], dtype: "float64" },
        );
        const y = randomShift(x, { maxShift: max, generator: new Generator(seed) });
        expect(y.shape).toEqual([n, h, w]);
        expect(y.dtype).toBe("float64");
        const [xs, ys] = [rows(x, h * w), rows(y, h * w)];
        xs.forEach((img, i) => {
          expect(shiftOf(img, ys[i] as number[], h, w, max).length).toBeGreaterThan(0);
        });
      }),
    );
  });

  test("all channels of an image move together, and all nine moves of ±1 occur", () => {
    const n = 200;
    const plane = Array.from({ length: 9 }, (_, i) => i + 1);
    const x = tensor(Array.from({ length: n }, () => [...plane, ...plane.map((v) => -v)]).flat(), {
      shape: [n, 2, 3, 3],
    });
    const y = randomShift(x, { generator: new Generator(1) });
    const seen = new Set<string>();
    rows(y, 18).forEach((img) => {
      const [a, b] = [img.slice(0, 9), img.slice(9)];
      expect(b).toEqual(a.map((v) => (v === 0 ? 0 : -v)));
      const [s] = shiftOf(plane, a, 3, 3, 1);
      seen.add(JSON.stringify(s));
    });
    expect(seen.size).toBe(9);
  });

  test("the same generator state gives the same batch; maxShift 0 changes nothing", () => {
    const x = tensor(
      Array.from({ length: 64 * 3 }, (_, i) => i % 17),
      { shape: [3, 8, 8] },
    );
    const a = randomShift(x, { generator: new Generator(5) }).toArray();
    expect(randomShift(x, { generator: new Generator(5) }).toArray()).toEqual(a);
    expect(randomShift(x, { maxShift: 0 }).toArray()).toEqual(x.toArray());
  });

  test("bad input is refused with the rule it breaks", () => {
    expect(() => randomShift(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => randomShift(tensor([[1, 2]]))).toThrow(
      /^randomShift: images must be \[n, \.\.\., h, w\] \(at least 3 axes\); got \[1, 2\]/,
    );
    expect(() => randomShift(tensor([[[1]]]), { maxShift: -1 })).toThrow(ValueError);
    expect(() => randomShift(tensor([[[1]]]), { maxShift: 1.5 })).toThrow(
      /maxShift must be a non-negative integer; got 1.5/,
    );
  });
});
