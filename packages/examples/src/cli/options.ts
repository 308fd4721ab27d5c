// Parses the demo's command line with commander into validated DemoOptions.

import { resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import type { FloatDType, RecipeName } from "../recipes/types.js";
import { oneLine } from "./cli-error.js";

/**
 * The demo's settings after parsing and validation; paths are absolute.
 *
 * @example
 * ```ts
 * import { parseDemoArgs, type DemoOptions } from "@tapegrad/examples";
 * const opts: DemoOptions = parseDemoArgs(["--recipe", "seed"], { cwd: "/tmp" });
 * console.log(opts.recipes, opts.out); // ["seed"] "/tmp/out"
 * ```
 * @category CLI
 */
export interface DemoOptions {
  readonly recipes: readonly RecipeName[];
  /** Epochs for every recipe; each recipe's default when undefined. */
  readonly epochs: number | undefined;
  readonly seed: number;
  readonly dtype: FloatDType;
  /** Initial weights of the seed recipe (a safetensors file), if given. */
  readonly init: string | undefined;
  readonly out: string;
  readonly quiet: boolean;
}

/**
 * Where {@link parseDemoArgs} writes help and errors, and which directory relative paths start from.
 *
 * @example
 * ```ts
 * import { parseDemoArgs, type ParseIO } from "@tapegrad/examples";
 * let help = "";
 * const io: ParseIO = { cwd: "/tmp", writeOut: (s) => { help += s; } };
 * try { parseDemoArgs(["--help"], io); } catch {}
 * console.log(help.includes("--recipe")); // true
 * ```
 * @category CLI
 */
export interface ParseIO {
  /** Base of relative `--init` and `--out` paths. */
  readonly cwd: string;
  writeOut?: (text: string) => void;
  writeErr?: (text: string) => void;
}

function integer(positive: boolean): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isSafeInteger(n) || (positive && n < 1)) {
      throw new InvalidArgumentError(positive ? "expected a positive integer." : "expected an integer.");
    }
    return n;
  };
}

function program(io: ParseIO): Command {
  return new Command("pnpm demo")
    .description(
      "Train the digits recipes (seed: the notebook's sigmoid MLP; modern: a small CNN with Adam), save " +
        "each model as safetensors and chart loss and test accuracy per epoch.",
    )
    .addOption(
      new Option("--recipe <name>", "which recipe to train")
        .choices(["seed", "modern", "all"])
        .default("all"),
    )
    .option("--epochs <n>", "epochs for every recipe (default: seed 350, modern 40)", integer(true))
    .option("--seed <n>", "seed of the initial weights and of the shuffling", integer(false), 0)
    .addOption(
      new Option("--dtype <dtype>", "dtype to train in").choices(["float32", "float64"]).default("float32"),
    )
    .option("--init <file>", "start the seed recipe from these weights (safetensors)")
    .option("--out <dir>", "where models and charts go", "out")
    .option("--quiet", "no progress bars and no terminal chart", false)
    .helpOption("-h, --help", "show this help")
    .showSuggestionAfterError(false)
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: io.writeOut ?? ((s) => process.stdout.write(s)),
      writeErr: io.writeErr ?? ((s) => process.stderr.write(s)),
      outputError: (s, write) => write(`${oneLine(s)}\n`),
    });
}

/**
 * Parses the demo's arguments (without `node` and the script). Help and errors are written through `io`.
 * @throws {CommanderError} (from commander) After `--help` (exit code 0) or on a bad option (exit code 1, message written).
 * @example
 * ```ts
 * import { parseDemoArgs } from "@tapegrad/examples";
 * const opts = parseDemoArgs(["--epochs", "5", "--dtype", "float64"], { cwd: "/tmp" });
 * console.log(opts.epochs, opts.dtype, opts.recipes); // 5 "float64" ["seed", "modern"]
 * ```
 * @category CLI
 */
export function parseDemoArgs(argv: readonly string[], io: ParseIO): DemoOptions {
  const cmd = program(io);
  // pnpm passes a literal "--" through when users write `pnpm demo -- --epochs 3`.
  cmd.parse(argv[0] === "--" ? argv.slice(1) : [...argv], { from: "user" });
  const o = cmd.opts<{
    recipe: "seed" | "modern" | "all";
    epochs?: number;
    seed: number;
    dtype: FloatDType;
    init?: string;
    out: string;
    quiet: boolean;
  }>();
  if (o.init !== undefined && o.recipe === "modern") {
    cmd.error("error: --init sets the seed recipe's weights; it cannot be used with --recipe modern", {
      code: "tapegrad.initWithModern",
    });
  }
  return {
    recipes: o.recipe === "all" ? ["seed", "modern"] : [o.recipe],
    epochs: o.epochs,
    seed: o.seed,
    dtype: o.dtype,
    init: o.init === undefined ? undefined : resolve(io.cwd, o.init),
    out: resolve(io.cwd, o.out),
    quiet: o.quiet,
  };
}
