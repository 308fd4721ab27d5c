// Lets an example file be both a module (for tests) and a script (`tsx src/examples/x.ts`).

import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Runs `main` when the file whose `import.meta.url` is given is the script Node was started with, and
 * does nothing when it is imported.
 * @example
 * ```ts
 * import { runIfMain } from "@tapegrad/examples";
 * runIfMain(import.meta.url, () => console.log("run as a script"));
 * ```
 * @category Examples
 */
export function runIfMain(moduleUrl: string, main: () => void): void {
  const script = process.argv[1];
  if (script === undefined) return;
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  if (real(fileURLToPath(moduleUrl)) === real(script)) main();
}
