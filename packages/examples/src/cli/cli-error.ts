// The error the demo CLI prints as one line (no stack trace) before exiting non-zero.

/**
 * An expected failure of the demo CLI (a bad file, a bad option combination): printed as
 * `error: <message>` on one line, with exit code 1.
 *
 * @example
 * ```ts
 * import { CliError } from "@tapegrad/examples";
 * console.log(new CliError("--init: file not found").message); // "--init: file not found"
 * ```
 * @category CLI
 */
export class CliError extends Error {
  override name = "CliError";
}

/**
 * Collapses a message to one line: the first line, then any further lines (list items such as
 * `  - "0.weight" has [3] ...`) joined with `; `.
 *
 * @example
 * ```ts
 * import { oneLine } from "@tapegrad/examples";
 * console.log(oneLine("does not fit:\n  - a is missing\n  - b is too long")); // "does not fit: a is missing; b is too long"
 * ```
 * @category CLI
 */
export function oneLine(message: string): string {
  const [first = "", ...rest] = message
    .split("\n")
    .map((line) => line.trim().replace(/^- /, ""))
    .filter((line) => line !== "");
  return rest.length === 0 ? first : `${first} ${rest.join("; ")}`;
}
