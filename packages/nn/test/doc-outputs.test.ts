// The values the TSDoc examples of @tapegrad/nn print: every `console.log(...) // value` line of an
// example must print that value. (The root doc test checks that every example type-checks and runs;
// this one checks that the documented outputs are true.)

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { formatWithOptions } from "node:util";
import { afterAll, describe, expect, test } from "vitest";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const outDir = join(pkg, "test", ".doc-examples");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

interface Example {
  name: string;
  code: string;
  /** Expected output of the console.log call on each line that documents one. */
  expected: Map<number, string>;
}

function examples(file: string): Example[] {
  const text = readFileSync(file, "utf8");
  const out: Example[] = [];
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const at = m[0].indexOf("@example");
    if (at < 0) continue;
    const body = m[0]
      .slice(at)
      .split("\n")
      .map((l) => l.replace(/^\s*\*( |$)/, ""))
      .join("\n");
    for (const block of body.matchAll(/```ts\n([\s\S]*?)```/g)) {
      const lines = (block[1] as string).split("\n");
      const expected = new Map<number, string>();
      lines.forEach((l, i) => {
        const c = /console\.log\(.*\);\s*\/\/ (.*)$/.exec(l);
        if (c && !(c[1] as string).includes("...")) expected.set(i + 1, c[1] as string);
      });
      const line = text.slice(0, m.index).split("\n").length;
      out.push({ name: `${relative(pkg, file)}:${line}`, code: block[1] as string, expected });
    }
  }
  return out;
}

/** Spacing and quote style are not part of a value. */
const normalize = (s: string): string => s.replace(/\s+/g, "").replace(/["']/g, "");

const all = sources(join(pkg, "src")).flatMap(examples);
const indexPath = join(pkg, "src", "index.ts");
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const logs = new Map<string, [number, string][]>();
(globalThis as Record<string, unknown>).__docLog = (id: string, line: number, args: unknown[]) => {
  logs.get(id)?.push([line, formatWithOptions({ breakLength: Infinity, depth: 10 }, ...args)]);
};

describe.each(all.filter((e) => e.expected.size > 0).map((e, i) => [e.name, e, i] as const))(
  "example %s",
  (_, example, i) => {
    test("prints the documented values", async () => {
      const id = String(i);
      logs.set(id, []);
      const code = example.code
        .replaceAll('"@tapegrad/nn"', JSON.stringify(relative(outDir, indexPath).replace(/\.ts$/, ".js")))
        .split("\n")
        .map((l, k) => l.replaceAll("console.log(", `__log(${k + 1}, `))
        .join("\n");
      const file = join(outDir, `example-${id}.ts`);
      const prelude = `const __log = (line: number, ...a: unknown[]) => (globalThis as any).__docLog(${JSON.stringify(id)}, line, a);\n`;
      writeFileSync(file, `${prelude}${code}\nexport {};\n`);
      await import(pathToFileURL(file).href);
      const printed = new Map<number, string[]>();
      for (const [line, text] of logs.get(id) ?? []) printed.set(line, [...(printed.get(line) ?? []), text]);
      for (const [line, want] of example.expected) {
        const got = printed.get(line) ?? [];
        expect(got, `line ${line} of the example`).toHaveLength(1);
        expect(normalize(got[0] as string), `line ${line}: printed ${got[0]}, documented ${want}`).toBe(
          normalize(want),
        );
      }
    });
  },
);
