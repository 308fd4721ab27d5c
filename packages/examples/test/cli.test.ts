import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSafetensorsFile, saveSafetensorsFile } from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { modernModel } from "../src/index.js";
import { runCli } from "./run-cli.js";

const fixture = new URL("fixtures/seed-0.init.safetensors", import.meta.url).pathname;

/** The process failed with exactly one line on stderr, starting with "error:", and printed no stack. */
function expectOneLineError(run: ReturnType<typeof runCli>, pattern: RegExp): void {
  expect(run.code).not.toBe(0);
  expect(run.code).not.toBeNull();
  const lines = run.stderr.split("\n").filter((l) => l.trim() !== "");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stdout).toBe("");
}

describe("demo CLI", () => {
  test("--help lists every option and exits 0", () => {
    const run = runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const option of [
      "--recipe",
      "--epochs",
      "--seed",
      "--dtype",
      "--init",
      "--out",
      "--quiet",
      "--help",
    ]) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toContain('choices: "seed", "modern", "all"');
  });

  test.each([
    [["--bogus"], /unknown option '--bogus'/],
    [["--recipe", "fancy"], /--recipe.*fancy.*invalid/],
    [["--epochs", "0"], /--epochs.*positive integer/],
    [["--epochs", "2.5"], /--epochs.*positive integer/],
    [["--seed", "x"], /--seed.*integer/],
    [["--dtype", "float16"], /--dtype.*float16.*invalid/],
    [["--epochs"], /argument missing/],
    [["extra"], /too many arguments|unknown command/],
    [["--recipe", "modern", "--init", fixture], /--init sets the seed recipe's weights/],
  ])("a bad command line %j gives a one-line error", (args, pattern) => {
    expectOneLineError(runCli(args), pattern);
  });

  test("a missing --init file gives a one-line error", () => {
    const dir = mkdtempSync(join(tmpdir(), "demo-"));
    expectOneLineError(runCli(["--init", "nope.safetensors"], { cwd: dir }), /--init: no such file: .*nope/);
  });

  test("a corrupt --init file gives a one-line error", () => {
    const dir = mkdtempSync(join(tmpdir(), "demo-"));
    const file = join(dir, "corrupt.safetensors");
    writeFileSync(file, Buffer.from([200, 0, 0, 0, 0, 0, 0, 0, 123, 34]));
    expectOneLineError(
      runCli(["--init", file]),
      /--init: not a valid safetensors file: .*corrupt\.safetensors/,
    );
  });

  test("an --init file with other names or shapes gives a one-line error listing them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "demo-"));
    const file = join(dir, "modern.safetensors");
    await saveSafetensorsFile(file, modernModel().stateDict());
    expectOneLineError(runCli(["--init", file]), /does not fit the seed model .*0\.weight/);
  });

  test("a quick run writes the models, history and SVG chart under --out, relative to the caller's cwd", async () => {
    const dir = mkdtempSync(join(tmpdir(), "demo-"));
    const run = runCli(
      ["--epochs", "2", "--out", "results", "--init", fixture, "--dtype", "float64", "--seed", "3"],
      { cwd: dir },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = join(dir, "results");
    expect(run.stdout).toMatch(/recipe\s+epochs\s+final loss\s+test accuracy\s+seconds/);
    expect(run.stdout).toMatch(/^seed\s+2\s/m);
    expect(run.stdout).toMatch(/^modern\s+2\s/m);
    expect(run.stdout).toContain("test accuracy over training");
    expect(run.stdout).toContain(join("results", "training.svg"));
    const svg = readFileSync(join(out, "training.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("test accuracy");
    const seed = (await loadSafetensorsFile(join(out, "seed.safetensors"))).tensors;
    expect(Object.keys(seed).sort()).toEqual([
      "0.bias",
      "0.weight",
      "2.bias",
      "2.weight",
      "4.bias",
      "4.weight",
    ]);
    expect(seed["0.weight"]?.dtype).toBe("float64");
    const modern = await loadSafetensorsFile(join(out, "modern.safetensors"));
    expect(Object.keys(modern.tensors)).toHaveLength(10);
    expect(modern.metadata).toEqual({ recipe: "modern", epochs: "2", seed: "3" });
    const history = JSON.parse(readFileSync(join(out, "history.json"), "utf8"));
    expect(history.runs.map((r: { recipe: string }) => r.recipe)).toEqual(["seed", "modern"]);
    expect(history.runs[0].history).toHaveLength(2);
  });

  test("--quiet --recipe seed prints the table and paths but no chart", () => {
    const dir = mkdtempSync(join(tmpdir(), "demo-"));
    const run = runCli(["--recipe", "seed", "--epochs", "1", "--quiet", "--out", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("test accuracy over training");
    expect(run.stdout).toMatch(/^seed\s+1\s/m);
    expect(existsSync(join(dir, "seed.safetensors"))).toBe(true);
    expect(existsSync(join(dir, "modern.safetensors"))).toBe(false);
  });
});
