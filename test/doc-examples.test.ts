// Every exported symbol is documented with an @example, and every example (TSDoc and Markdown guides)
// type-checks and runs: documentation cannot drift from the API.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, test, vi } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, ".doc-examples");
const packages = readdirSync(join(root, "packages")).filter((p) => {
  try {
    return readFileSync(join(root, "packages", p, "src", "index.ts")).length > 0;
  } catch {
    return false;
  }
});

function walk(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(p, ext);
    return p.endsWith(ext) ? [p] : [];
  });
}

interface Example {
  name: string;
  source: string;
  code: string;
}

/** ```ts blocks inside the @example tags of TSDoc comments. */
function tsdocExamples(file: string): Example[] {
  const text = readFileSync(file, "utf8");
  const out: Example[] = [];
  for (const m of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const comment = m[0];
    const at = comment.indexOf("@example");
    if (at < 0) continue;
    const body = comment
      .slice(at)
      .split("\n")
      .map((l) => l.replace(/^\s*\*( |$)/, ""))
      .join("\n");
    for (const block of body.matchAll(/```ts\n([\s\S]*?)```/g)) {
      const line = text.slice(0, m.index).split("\n").length;
      out.push({ name: `${relative(root, file)}:${line}`, source: file, code: block[1] as string });
    }
  }
  return out;
}

/** ```ts blocks of Markdown guides and the README. */
function markdownExamples(file: string): Example[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => ({
    name: `${relative(root, file)}:${text.slice(0, m.index).split("\n").length}`,
    source: file,
    code: m[1] as string,
  }));
}

const guides = (() => {
  try {
    return walk(join(root, "docs", "guides"), ".md");
  } catch {
    return [];
  }
})();
const examples: Example[] = [
  ...packages.flatMap((p) => walk(join(root, "packages", p, "src"), ".ts").flatMap(tsdocExamples)),
  ...[join(root, "README.md"), ...guides].flatMap(markdownExamples),
];

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const files = examples.map((e, i) => {
  const file = join(outDir, `${String(i).padStart(4, "0")}-${basename(e.source).replace(/\W/g, "_")}.ts`);
  // A trailing export makes each file a module, so top-level names do not collide across examples.
  writeFileSync(file, `${e.code}\nexport {};\n`);
  return file;
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("API documentation", () => {
  test("every exported symbol of every package has TSDoc with an @example", () => {
    const missing: string[] = [];
    for (const p of packages) {
      const entries = [join(root, "packages", p, "src", "index.ts")];
      const testing = join(root, "packages", p, "src", "testing", "index.ts");
      try {
        readFileSync(testing);
        entries.push(testing);
      } catch {
        // this package has no testing subpath
      }
      const program = ts.createProgram(entries, {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        customConditions: ["source"],
        noEmit: true,
      });
      const checker = program.getTypeChecker();
      for (const entry of entries) {
        const sf = program.getSourceFile(entry);
        const sym = sf && checker.getSymbolAtLocation(sf);
        if (!sym) continue;
        for (const exp of checker.getExportsOfModule(sym)) {
          const target = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
          const decls = target.getDeclarations() ?? [];
          const documented = decls.some((d) => ts.getJSDocTags(d).some((t) => t.tagName.text === "example"));
          if (!documented) missing.push(`${p}: ${exp.name}`);
        }
      }
    }
    expect(missing, `exports without an @example:\n${missing.join("\n")}`).toEqual([]);
  });

  test(`all ${examples.length} examples type-check`, () => {
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2023.d.ts"],
      types: ["node"],
      customConditions: ["source"],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const i = d.file ? files.indexOf(d.file.fileName) : -1;
      const where = i >= 0 ? (examples[i] as Example).name : (d.file?.fileName ?? "?");
      const line =
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `${where} (example line ${line}): ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(errors, errors.join("\n")).toEqual([]);
  });

  describe.each(examples.map((e, i) => [e.name, files[i] as string]))("example %s", (_name, file) => {
    test("runs without throwing", async () => {
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      try {
        await import(pathToFileURL(file).href);
      } finally {
        log.mockRestore();
      }
    });
  });
});
