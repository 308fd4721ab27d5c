// Node file helpers for safetensors: atomic saves (temp file, fsync, rename) and checked loads.

import type { Tensor } from "@tapegrad/autograd";
import {
  loadSafetensors,
  type SafetensorsContents,
  SafetensorsError,
  type SaveSafetensorsOptions,
  saveSafetensors,
} from "./safetensors.js";

/**
 * Saves a state dict to a safetensors file atomically: the bytes go to a temporary file in the same
 * directory, which is flushed to disk and then renamed over `path`. A crash or error part-way never leaves
 * a half-written model at `path`: readers see the old file or the new one. Node only (the module is
 * imported on first use, so browser bundles that never call it are unaffected).
 * @throws {SafetensorsError} If the state dict cannot be serialised (nothing is written then).
 * @throws {Error} The file system's error if the directory is missing or not writable (the temporary file
 * is removed).
 * @example
 * ```ts
 * import { mkdtempSync, readdirSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { Linear, saveSafetensorsFile } from "@tapegrad/nn";
 * const dir = mkdtempSync(join(tmpdir(), "checkpoints-"));
 * await saveSafetensorsFile(join(dir, "model.safetensors"), new Linear(64, 10).stateDict(), {
 *   metadata: { epoch: "3" },
 * });
 * console.log(readdirSync(dir)); // ["model.safetensors"]
 * rmSync(dir, { recursive: true });
 * ```
 * @category Serialization
 */
export async function saveSafetensorsFile(
  path: string,
  stateDict: Readonly<Record<string, Tensor>>,
  options: SaveSafetensorsOptions = {},
): Promise<void> {
  const bytes = saveSafetensors(stateDict, options);
  const fs = await import("node:fs/promises");
  const { basename, dirname, join } = await import("node:path");
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  let handle: Awaited<ReturnType<typeof fs.open>> | null = null;
  try {
    handle = await fs.open(tmp, "wx");
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(tmp, path);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  // Make the rename itself durable where the platform allows syncing a directory (not on Windows).
  try {
    const d = await fs.open(dir, "r");
    await d.sync().finally(() => d.close());
  } catch {
    // best effort
  }
}

/**
 * Reads and validates a safetensors file; see {@link loadSafetensors} for what is checked.
 * @throws {SafetensorsError} If the file is not a valid safetensors file (the message starts with the path).
 * @throws {Error} The file system's error if the file cannot be read.
 * @example
 * ```ts
 * import { mkdtempSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { Linear, loadSafetensorsFile, saveSafetensorsFile } from "@tapegrad/nn";
 * const path = join(mkdtempSync(join(tmpdir(), "checkpoints-")), "model.safetensors");
 * const model = new Linear(64, 10);
 * await saveSafetensorsFile(path, model.stateDict(), { metadata: { epoch: "3" } });
 * const { tensors, metadata } = await loadSafetensorsFile(path);
 * model.loadStateDict(tensors);
 * console.log(Object.keys(tensors), metadata); // ["bias", "weight"] { epoch: "3" }
 * rmSync(join(path, ".."), { recursive: true });
 * ```
 * @category Serialization
 */
export async function loadSafetensorsFile(path: string): Promise<SafetensorsContents> {
  const { readFile } = await import("node:fs/promises");
  const buf = await readFile(path);
  try {
    return loadSafetensors(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  } catch (e) {
    if (e instanceof SafetensorsError) throw new SafetensorsError(`${path}: ${e.message}`, { cause: e });
    throw e;
  }
}
