// A small test-accuracy chart for the terminal, drawn with asciichart.

import asciichart from "asciichart";
import type { RecipeResult } from "../recipes/types.js";

/** Stretches or thins `values` to exactly `width` points (nearest sample), so runs of any length line up. */
function resample(values: readonly number[], width: number): number[] {
  if (values.length <= 1) return [...values];
  const last = values.length - 1;
  return Array.from({ length: width }, (_, i) => values[Math.round((i * last) / (width - 1))] as number);
}

/**
 * Plots each recipe's test accuracy over its training, resampled to `width` columns so recipes with
 * different epoch counts share the x axis as the fraction of training done, with a legend line.
 * @example
 * ```ts
 * import { terminalChart, trainSeed } from "@tapegrad/examples";
 * console.log(terminalChart([trainSeed({ epochs: 5, evalEvery: 1 })], { color: false }));
 * ```
 * @category Charts
 */
export function terminalChart(
  results: readonly RecipeResult[],
  options: { width?: number; height?: number; color?: boolean } = {},
): string {
  const width = options.width ?? 60;
  const palette = [asciichart.blue, asciichart.green, asciichart.magenta, asciichart.yellow];
  const series = results.map((r) =>
    resample(
      r.history.flatMap((h) => (h.testAccuracy === null ? [] : [h.testAccuracy * 100])),
      width,
    ),
  );
  const colors = results.map((_, i) => (options.color === true ? palette[i % palette.length] : undefined));
  const plot = asciichart.plot(series, {
    height: options.height ?? 10,
    min: Math.min(...series.flat()),
    max: 100,
    colors,
    format: (v) => `${v.toFixed(0).padStart(4)}%`,
  });
  const legend = results.map((r, i) => asciichart.colored(`\u2500\u2500 ${r.recipe}`, colors[i])).join("   ");
  return `test accuracy over training  ${legend}\n${plot}`;
}
