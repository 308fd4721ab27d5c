// Test helper: runs the demo CLI (or an example script) through tsx as a child process.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `src/<script>` with `args`; `cwd` becomes INIT_CWD, the base of relative paths. */
export function runScript(script: string, args: readonly string[], options: { cwd?: string } = {}): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.INIT_CWD;
  if (options.cwd !== undefined) env.INIT_CWD = options.cwd;
  const r = spawnSync(tsx, ["--conditions=source", `src/${script}`, ...args], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the demo CLI. */
export function runCli(args: readonly string[], options: { cwd?: string } = {}): CliRun {
  return runScript("cli/main.ts", args, options);
}
