// Runs the demo: trains the chosen recipes with progress bars, then writes models, history and charts.

import { mkdirSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { saveSafetensorsFile } from "@tapegrad/nn";
import { loadDigits } from "../data/digits.js";
import { RECIPES } from "../recipes/registry.js";
import type { RecipeResult } from "../recipes/types.js";
import { CliError, oneLine } from "./cli-error.js";
import { readInitFile } from "./init-file.js";
import type { DemoOptions } from "./options.js";
import { type Progress, progressBar } from "./progress.js";
import { trainingChartSvg } from "./svg-chart.js";
import { resultsTable } from "./table.js";
import { terminalChart } from "./terminal-chart.js";

/**
 * Where the demo writes: text to `stdout`, progress bars to `stderr` (only when it is a TTY); paths are
 * printed relative to `cwd`.
 *
 * @example
 * ```ts
 * import type { DemoIO } from "@tapegrad/examples";
 * const io: DemoIO = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
 * console.log(typeof io.cwd); // "string"
 * ```
 * @category CLI
 */
export interface DemoIO {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly cwd: string;
}

/**
 * What {@link runDemo} produced: the results in training order and the absolute paths it wrote.
 *
 * @example
 * ```ts
 * import type { DemoOutcome } from "@tapegrad/examples";
 * const files: DemoOutcome["files"] = { models: {}, svg: "out/training.svg", history: "out/history.json" };
 * console.log(files.svg); // "out/training.svg"
 * ```
 * @category CLI
 */
export interface DemoOutcome {
  readonly results: readonly RecipeResult[];
  readonly files: {
    readonly models: Readonly<Record<string, string>>;
    readonly svg: string;
    readonly history: string;
  };
}

function makeOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CliError(`--out: cannot create ${dir} (${oneLine((e as Error).message)})`);
  }
}

function display(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/**
 * Trains `options.recipes` (test accuracy after every epoch), then saves each model as
 * `<out>/<recipe>.safetensors`, the history as `<out>/history.json` and the chart as
 * `<out>/training.svg`, and prints the results table, a terminal chart (unless quiet) and the paths.
 * @throws {CliError} When `--init` is missing, corrupt or does not fit, or the output directory cannot be made.
 * @example
 * ```ts
 * import { runDemo } from "@tapegrad/examples";
 * const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
 * const opts = { recipes: ["seed"], epochs: 3, seed: 0, dtype: "float32", init: undefined, out: "/tmp/demo", quiet: true } as const;
 * const { files } = await runDemo(opts, io);
 * console.log(files.svg); // "/tmp/demo/training.svg"
 * ```
 * @category CLI
 */
export async function runDemo(options: DemoOptions, io: DemoIO): Promise<DemoOutcome> {
  const init = options.init === undefined ? undefined : await readInitFile(options.init, options.dtype);
  makeOutDir(options.out);
  const digits = loadDigits({ dtype: options.dtype });
  const results: RecipeResult[] = [];
  for (const recipe of options.recipes) {
    let bar: Progress | null = null;
    const showBar = !options.quiet && io.stderr.isTTY === true;
    const result = RECIPES[recipe]({
      epochs: options.epochs,
      seed: options.seed,
      dtype: options.dtype,
      init: recipe === "seed" ? init : undefined,
      evalEvery: 1,
      digits,
      onEpoch: (record, epochs) => {
        if (showBar) bar ??= progressBar(recipe, epochs, { stream: io.stderr });
        bar?.update(record);
      },
    });
    (bar as Progress | null)?.stop();
    results.push(result);
  }
  const models: Record<string, string> = {};
  for (const r of results) {
    models[r.recipe] = join(options.out, `${r.recipe}.safetensors`);
    await saveSafetensorsFile(models[r.recipe] as string, r.model.stateDict(), {
      metadata: { recipe: r.recipe, epochs: String(r.epochs), seed: String(options.seed) },
    });
  }
  const history = join(options.out, "history.json");
  const runs = results.map(({ recipe, epochs, dtype, finalLoss, testAccuracy, seconds, history: h }) => ({
    recipe,
    epochs,
    dtype,
    finalLoss,
    testAccuracy,
    seconds,
    history: h,
  }));
  writeFileSync(history, `${JSON.stringify({ seed: options.seed, runs }, null, 2)}\n`);
  const svg = join(options.out, "training.svg");
  writeFileSync(svg, await trainingChartSvg(results));
  const lines = ["", resultsTable(results), ""];
  if (!options.quiet) lines.push(terminalChart(results, { color: io.stdout.isTTY === true }), "");
  const shown = [...Object.values(models), history, svg].map((p) => display(p, io.cwd));
  lines.push(`wrote ${shown.join("\n      ")}`);
  io.stdout.write(`${lines.join("\n")}\n`);
  return { results, files: { models, svg, history } };
}
