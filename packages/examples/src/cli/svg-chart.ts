// Renders loss and test accuracy per epoch as an SVG with vega-lite, headless (no canvas needed).

import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { RecipeName, RecipeResult } from "../recipes/types.js";

/** One point of the chart data. */
interface Row {
  recipe: string;
  epoch: number;
  loss: number;
  accuracy: number | null;
}

/** What each recipe minimises, for the axis titles. */
const LOSS_NAMES: Record<RecipeName, string> = { seed: "quadratic loss", modern: "cross-entropy loss" };

/**
 * The vega-lite spec of the training chart: one column per recipe (each with its own epoch axis), the
 * training loss on a log scale above the test accuracy.
 * @example
 * ```ts
 * import { trainingChartSpec, trainSeed } from "@tapegrad/examples";
 * const spec = trainingChartSpec([trainSeed({ epochs: 2 })]);
 * console.log("hconcat" in spec); // true
 * ```
 * @category Charts
 */
export function trainingChartSpec(results: readonly RecipeResult[]): TopLevelSpec {
  const values: Row[] = results.flatMap((r) =>
    r.history.map((h) => ({ recipe: r.recipe, epoch: h.epoch + 1, loss: h.loss, accuracy: h.testAccuracy })),
  );
  const x = { field: "epoch", type: "quantitative", title: "epoch" } as const;
  const color = {
    field: "recipe",
    type: "nominal",
    legend: null,
    scale: { domain: ["seed", "modern"] },
  } as const;
  const column = (r: RecipeResult) => {
    const only = { filter: { field: "recipe", equal: r.recipe } };
    return {
      title: `${r.recipe}: ${r.epochs} epochs, ${(r.testAccuracy * 100).toFixed(1)}% test accuracy`,
      vconcat: [
        {
          width: 300,
          height: 180,
          transform: [only],
          mark: { type: "line" },
          encoding: {
            x,
            y: {
              field: "loss",
              type: "quantitative",
              scale: { type: "log" },
              title: `${LOSS_NAMES[r.recipe]} (log)`,
            },
            color,
          },
        },
        {
          width: 300,
          height: 180,
          transform: [only, { filter: "datum.accuracy != null" }],
          mark: { type: "line" },
          encoding: {
            x,
            y: {
              field: "accuracy",
              type: "quantitative",
              scale: { domain: [0, 1] },
              axis: { format: ".0%" },
              title: "test accuracy",
            },
            color,
          },
        },
      ],
    };
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "tapegrad digits demo: training loss and test accuracy per epoch",
    data: { values },
    hconcat: results.map(column),
  } as TopLevelSpec;
}

/**
 * The training chart as SVG text (see {@link trainingChartSpec}).
 * @example
 * ```ts
 * import { trainingChartSvg, trainSeed } from "@tapegrad/examples";
 * const svg = await trainingChartSvg([trainSeed({ epochs: 2 })]);
 * console.log(svg.startsWith("<svg")); // true
 * ```
 * @category Charts
 */
export async function trainingChartSvg(results: readonly RecipeResult[]): Promise<string> {
  const view = new View(parse(compile(trainingChartSpec(results)).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
