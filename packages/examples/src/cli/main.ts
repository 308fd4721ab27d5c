// Entry point of `pnpm demo`: parses the arguments, runs the demo and turns expected failures into one line.

import { CommanderError } from "commander";
import { CliError, oneLine } from "./cli-error.js";
import { runDemo } from "./demo.js";
import { parseDemoArgs } from "./options.js";

// pnpm runs scripts inside the package directory and records where the user typed the command in
// INIT_CWD, so relative --init and --out paths are taken from there.
const cwd = process.env.INIT_CWD ?? process.cwd();

try {
  const options = parseDemoArgs(process.argv.slice(2), { cwd });
  await runDemo(options, { stdout: process.stdout, stderr: process.stderr, cwd });
} catch (e) {
  if (e instanceof CommanderError) {
    // commander has already printed the one-line error (or the help).
    process.exitCode = e.exitCode;
  } else if (e instanceof CliError) {
    process.stderr.write(`error: ${oneLine(e.message)}\n`);
    process.exitCode = 1;
  } else {
    throw e;
  }
}
