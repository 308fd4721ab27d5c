// Draws the graph picture of the "How the tape works" guide: runs the guide's own `toDot()` example and
// renders the DOT it prints with Graphviz, so the picture always shows what the code on the page records.

import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const guide = join(root, "docs", "guides", "how-the-tape-works.md");
const outDir = join(root, "docs", "guides", "generated");
const svgPath = join(outDir, "tape-graph.svg");

function fail(message: string): never {
  console.error(`graph-picture: ${message}`);
  process.exit(1);
}

// Checked first, so a machine without Graphviz gets one actionable line instead of a stack trace.
if (spawnSync("dot", ["-V"]).error) {
  fail("Graphviz `dot` was not found; install it with `apt-get install graphviz`");
}

const examples = [...readFileSync(guide, "utf8").matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1] as string)
  .filter((code) => code.includes(".toDot()"));
if (examples.length !== 1) {
  fail(
    `expected exactly one ts example calling .toDot() in ${relative(root, guide)}; found ${examples.length}`,
  );
}

// The example is a module importing "@tapegrad/autograd"; written inside the repository it resolves the
// workspace package like the guide's reader would. Its console output is captured to get the DOT.
mkdirSync(outDir, { recursive: true });
const program = join(outDir, "tape-example.ts");
writeFileSync(program, examples[0] as string);
const printed: string[] = [];
const log = console.log;
console.log = (...args: unknown[]) => {
  printed.push(args.map(String).join(" "));
};
try {
  await import(pathToFileURL(program).href);
} finally {
  console.log = log;
  rmSync(program);
}
const dot = printed.find((text) => text.startsWith("digraph"));
if (dot === undefined) fail(`the example in ${relative(root, guide)} printed no DOT graph`);

// The export lays graphs out left to right; a chain of ops that long would be shrunk to unreadable text in
// the guide's column, so the picture is drawn top to bottom (-G overrides the graph's own rankdir).
const rendered = spawnSync("dot", ["-Grankdir=TB", "-Tsvg"], { input: dot, encoding: "utf8" });
if (rendered.status !== 0) fail(`dot failed: ${rendered.stderr.trim()}`);
// Graphviz puts its <title> inside a group; a label on the <svg> element itself is what screen readers
// and biome's accessibility lint (which also sees this generated file) look for.
const label = "The graph recorded for the loss in the How the tape works guide";
writeFileSync(svgPath, rendered.stdout.replace(/<svg\b/, `<svg role="img" aria-label="${label}"`));
console.log(`graph-picture: wrote ${relative(root, svgPath)}`);
