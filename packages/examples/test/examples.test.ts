import { describe, expect, test } from "vitest";
import { makeRings, runGradientCheckExample, TwoBranchNet, trainTwoBranch } from "../src/index.js";
import { runScript } from "./run-cli.js";

describe("custom-model example", () => {
  test("TwoBranchNet names its parameters by property and maps [n, 2] points to [n, 2] logits", () => {
    const net = new TwoBranchNet({ hidden: 4 });
    expect(net.namedParameters().map(([name]) => name)).toEqual([
      "deep.0.weight",
      "deep.0.bias",
      "deep.2.weight",
      "deep.2.bias",
      "quadratic.weight",
      "quadratic.bias",
      "head.weight",
      "head.bias",
    ]);
    expect(net.call(makeRings(5).points).shape).toEqual([5, 2]);
  });

  test("training on rings data beats 95% on new points", () => {
    const run = trainTwoBranch({ steps: 300 });
    expect(run.testAccuracy).toBeGreaterThan(0.95);
    expect(run.losses.at(-1)).toBeLessThan((run.losses[0] as number) / 5);
  });

  test("runs as a script", () => {
    const run = runScript("examples/two-branch.ts", []);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^step +0 +loss/m);
    expect(run.stdout).toContain("TwoBranchNet(");
    expect(run.stdout).toMatch(/test accuracy on 500 new points: \d+\.\d%/);
  });
});

describe("gradient-check example", () => {
  test("the correct module passes gradcheck and the buggy one fails", () => {
    const { correct, buggy } = runGradientCheckExample();
    expect(correct.ok).toBe(true);
    expect(correct.checked).toBe(39);
    expect(buggy.ok).toBe(false);
  });

  test("runs as a script and prints both reports", () => {
    const run = runScript("examples/gradient-check.ts", []);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/gradcheck passed: 39 entries/);
    expect(run.stdout).toMatch(/gradcheck FAILED: 39 entries/);
  });
});
