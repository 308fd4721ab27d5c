import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Tensor, tensor } from "@tapegrad/autograd";
import {
  Linear,
  loadSafetensorsFile,
  SafetensorsError,
  saveSafetensors,
  saveSafetensorsFile,
} from "@tapegrad/nn";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { fixture } from "./helpers.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tapegrad-nn-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("saveSafetensorsFile / loadSafetensorsFile", () => {
  test("round trip through a file, leaving no temporary files", async () => {
    const sd = new Linear(4, 3).stateDict();
    const path = join(dir, "model.safetensors");
    await saveSafetensorsFile(path, sd, { metadata: { epoch: "2" } });
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    expect(new Uint8Array(readFileSync(path))).toEqual(saveSafetensors(sd, { metadata: { epoch: "2" } }));
    const { tensors, metadata } = await loadSafetensorsFile(path);
    expect(tensors.weight?.toArray()).toEqual(sd.weight?.toArray());
    expect(metadata).toEqual({ epoch: "2" });
  });

  test("replaces an existing file", async () => {
    const path = join(dir, "m.safetensors");
    await saveSafetensorsFile(path, { a: tensor([1]) });
    await saveSafetensorsFile(path, { b: tensor([2]) });
    expect(Object.keys((await loadSafetensorsFile(path)).tensors)).toEqual(["b"]);
    expect(readdirSync(dir)).toEqual(["m.safetensors"]);
  });

  test("a state dict that cannot be saved leaves the old file untouched", async () => {
    const path = join(dir, "m.safetensors");
    await saveSafetensorsFile(path, { a: tensor([1]) });
    const before = readFileSync(path);
    await expect(saveSafetensorsFile(path, { a: "nope" as unknown as Tensor })).rejects.toThrow(
      SafetensorsError,
    );
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir)).toEqual(["m.safetensors"]);
  });

  test("a failed rename removes the temporary file and changes nothing", async () => {
    const target = join(dir, "taken");
    mkdirSync(join(target, "child"), { recursive: true });
    await expect(saveSafetensorsFile(target, { a: tensor([1]) })).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(["taken"]);
    expect(readdirSync(target)).toEqual(["child"]);
  });

  test("a missing directory is the file system's error", async () => {
    await expect(saveSafetensorsFile(join(dir, "no", "m.safetensors"), {})).rejects.toThrow(/ENOENT/);
  });

  test("loads the Python-written fixture", async () => {
    const { tensors } = await loadSafetensorsFile(fixture("seed-0.init.safetensors"));
    expect(tensors["0.weight"]?.shape).toEqual([32, 64]);
  });

  test("a corrupted file is a SafetensorsError naming the path", async () => {
    const path = join(dir, "bad.safetensors");
    writeFileSync(path, readFileSync(fixture("seed-0.init.safetensors")).subarray(0, 1000));
    await expect(loadSafetensorsFile(path)).rejects.toThrow(SafetensorsError);
    await expect(loadSafetensorsFile(path)).rejects.toThrow(`${path}: loadSafetensors:`);
  });
});
