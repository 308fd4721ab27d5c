// The results table the demo prints: one aligned row per trained recipe.

import type { RecipeResult } from "../recipes/types.js";

/**
 * Formats results as a plain-text table with columns recipe, epochs, final loss, test accuracy, seconds.
 * @example
 * ```ts
 * import { resultsTable, trainSeed } from "@tapegrad/examples";
 * console.log(resultsTable([trainSeed({ epochs: 2 })]));
 * // recipe  epochs  final loss  test accuracy  seconds
 * // seed          2  ...
 * ```
 * @category CLI
 */
export function resultsTable(results: readonly RecipeResult[]): string {
  const head = ["recipe", "epochs", "final loss", "test accuracy", "seconds"];
  const rows = results.map((r) => [
    r.recipe,
    String(r.epochs),
    r.finalLoss.toPrecision(6),
    `${(r.testAccuracy * 100).toFixed(2)}%`,
    r.seconds.toFixed(1),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number)))
      .join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}
