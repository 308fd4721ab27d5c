// The safetensors format in memory: state dicts to bytes and back, byte-identical to the reference
// writer, with every header claim checked before any tensor is made.

import { type DType, TapegradError, type Tensor, Tensor as TensorClass, tensor } from "@tapegrad/autograd";
import { fmtShape } from "./format.js";

/**
 * Thrown when bytes are not a valid safetensors file that tapegrad can load (truncated, corrupted, a
 * header that lies about sizes or offsets, invalid JSON, an unsupported dtype), or when a state dict
 * cannot be saved. The message says what is wrong and where. Nothing is returned when it is thrown, so
 * there is never a half-loaded state dict.
 *
 * @example
 * ```ts
 * import { loadSafetensors, SafetensorsError } from "@tapegrad/nn";
 * try {
 *   loadSafetensors(new Uint8Array([1, 2, 3]));
 * } catch (e) {
 *   // Three bytes cannot even hold the 8-byte header length.
 *   console.log(e instanceof SafetensorsError); // true
 * }
 * ```
 * @category Serialization
 */
export class SafetensorsError extends TapegradError {
  override name = "SafetensorsError";
}

/**
 * Options of {@link saveSafetensors}.
 *
 * @example
 * ```ts
 * import { saveSafetensors, type SaveSafetensorsOptions } from "@tapegrad/nn";
 * const opts: SaveSafetensorsOptions = { metadata: { format: "pt" } };
 * console.log(saveSafetensors({}, opts).length); // 40
 * ```
 * @category Serialization
 */
export interface SaveSafetensorsOptions {
  /** Free-form string-to-string metadata stored under `__metadata__`; omitted when null or undefined. */
  metadata?: Readonly<Record<string, string>> | null;
}

/**
 * What {@link loadSafetensors} returns: the tensors by name (in file order) and the `__metadata__`
 * record, or null when the file has none.
 *
 * @example
 * ```ts
 * import { loadSafetensors, saveSafetensors, type SafetensorsContents } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const c: SafetensorsContents = loadSafetensors(saveSafetensors({ w: tensor([1, 2]) }));
 * console.log(c.tensors.w?.toArray(), c.metadata); // [1, 2] null
 * ```
 * @category Serialization
 */
export interface SafetensorsContents {
  readonly tensors: Record<string, Tensor>;
  readonly metadata: Record<string, string> | null;
}

type Code = "F64" | "F32" | "I32";

const CODE: Record<DType, Code> = { float64: "F64", float32: "F32", int32: "I32" };
const DTYPE: Record<Code, DType> = { F64: "float64", F32: "float32", I32: "int32" };
/** What a file may hold: the dtypes written, plus I64, read into int32 (PyTorch's integer buffers). */
type ReadCode = Code | "I64";
const ITEM_SIZE: Record<ReadCode, number> = { F64: 8, F32: 4, I32: 4, I64: 8 };
/** Position in the reference implementation's dtype enum, which is ordered by alignment. */
const RANK: Record<Code, number> = { I32: 0, F32: 1, F64: 2 };
/** Dtypes the format defines that tapegrad has no tensor type for. */
const UNSUPPORTED = new Set([
  "BOOL",
  "U8",
  "I8",
  "F8_E5M2",
  "F8_E4M3",
  "F8_E8M0",
  "F4",
  "F6_E2M3",
  "F6_E3M2",
  "I16",
  "U16",
  "F16",
  "BF16",
  "U32",
  "U64",
  "C64",
]);
/** The reference reader's limit on the header, 100 MB. */
const MAX_HEADER = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const METADATA_KEY = "__metadata__";

function isCode(s: unknown): s is Code {
  return s === "F64" || s === "F32" || s === "I32";
}

/** Orders strings by Unicode code point, which is the byte order of their UTF-8 (Rust's `str` order). */
function compareNames(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(j) as number;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  const ra = a.length - i;
  const rb = b.length - j;
  return ra === rb ? 0 : ra < rb ? -1 : 1;
}

function checkText(op: string, what: string, s: unknown): string {
  if (typeof s !== "string") throw new SafetensorsError(`${op}: ${what} must be a string; got ${typeof s}`);
  if (/[\uD800-\uDFFF]/u.test(s)) {
    throw new SafetensorsError(
      `${op}: ${what} ${JSON.stringify(s)} has a lone surrogate and is not valid UTF-8`,
    );
  }
  return s;
}

/** The bytes of a typed array, little-endian whatever the host is. */
function littleEndianBytes(data: Float32Array | Float64Array | Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (data instanceof Float64Array) view.setFloat64(i * 8, v, true);
    else if (data instanceof Float32Array) view.setFloat32(i * 4, v, true);
    else view.setInt32(i * 4, v, true);
  }
  return out;
}

/**
 * Serialises a state dict to the safetensors format: an 8-byte little-endian header length N, N bytes
 * of compact JSON header (space-padded to a multiple of 8), then the raw little-endian data. Tensors are
 * laid out as the reference implementation lays them out (by dtype alignment, F64 then F32 then I32, then
 * by name in UTF-8 byte order) and the header lists them in that order, so the bytes are identical to what
 * Python's `safetensors` writes for the same tensors. `__metadata__` comes last with its keys sorted, as in
 * safetensors 0.4 (which wrote the project's reference fixture); newer releases write it first and in hash
 * order, which changes only the order of header keys: every reader accepts both. float32, float64 and int32
 * are supported.
 * @throws {SafetensorsError} If a value is not a Tensor, a name is `__metadata__` or not valid UTF-8, or a
 * metadata value is not a string.
 * @example
 * ```ts
 * import { Linear, saveSafetensors } from "@tapegrad/nn";
 * const bytes = saveSafetensors(new Linear(2, 3).stateDict(), { metadata: { epoch: "0" } });
 * console.log(bytes.length > 8); // true
 * ```
 * @category Serialization
 */
export function saveSafetensors(
  stateDict: Readonly<Record<string, Tensor>>,
  options: SaveSafetensorsOptions = {},
): Uint8Array {
  const op = "saveSafetensors";
  const entries = Object.entries(stateDict).map(([name, t]) => {
    checkText(op, "tensor name", name);
    if (name === METADATA_KEY)
      throw new SafetensorsError(`${op}: "${METADATA_KEY}" is reserved; rename that tensor`);
    if (!(t instanceof TensorClass)) {
      throw new SafetensorsError(`${op}: entry ${JSON.stringify(name)} is not a Tensor; got ${typeof t}`);
    }
    return { name, t, code: CODE[t.dtype] };
  });
  entries.sort((a, b) => RANK[b.code] - RANK[a.code] || compareNames(a.name, b.name));
  const parts: string[] = [];
  let offset = 0;
  const placed = entries.map((e) => {
    const begin = offset;
    offset += e.t.size * ITEM_SIZE[e.code];
    parts.push(
      `${JSON.stringify(e.name)}:{"dtype":"${e.code}","shape":[${e.t.shape.join(",")}],"data_offsets":[${begin},${offset}]}`,
    );
    return { t: e.t, begin };
  });
  const metadata = options.metadata;
  if (metadata !== undefined && metadata !== null) {
    const fields = Object.entries(metadata)
      .map(([k, v]) => [
        checkText(op, "metadata key", k),
        checkText(op, `metadata value of ${JSON.stringify(k)}`, v),
      ])
      .sort(([a], [b]) => compareNames(a as string, b as string))
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    parts.push(`"${METADATA_KEY}":{${fields.join(",")}}`);
  }
  const json = new TextEncoder().encode(`{${parts.join(",")}}`);
  const n = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + n + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, n % 2 ** 32, true);
  view.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  for (const { t, begin } of placed) out.set(littleEndianBytes(t.data()), 8 + n + begin);
  return out;
}

interface Entry {
  readonly name: string;
  readonly code: ReadCode;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

function fail(message: string): never {
  throw new SafetensorsError(`loadSafetensors: ${message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function parseEntry(name: string, info: unknown): Entry {
  const what = `tensor ${JSON.stringify(name)}`;
  if (!isRecord(info)) fail(`${what}: expected an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = info;
  if (!isCode(dtype) && dtype !== "I64") {
    const supported = "supported: F32, F64, I32, and I64 read as int32";
    if (typeof dtype === "string" && UNSUPPORTED.has(dtype)) {
      fail(`${what} has dtype ${dtype}, which tapegrad does not support; ${supported}`);
    }
    fail(`${what} has unknown dtype ${JSON.stringify(dtype) ?? "(missing)"}; ${supported}`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    fail(
      `${what}: shape must be a list of non-negative integers; got ${JSON.stringify(shape) ?? "(missing)"}`,
    );
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(
      `${what}: data_offsets must be [begin, end] of non-negative integers; got ${JSON.stringify(offsets) ?? "(missing)"}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`${what}: data_offsets [${begin}, ${end}] end before they begin`);
  let count = shape.includes(0) ? 0 : 1;
  for (const d of shape as number[]) {
    count *= d;
    if (count > Number.MAX_SAFE_INTEGER) fail(`${what}: shape ${fmtShape(shape as number[])} is too large`);
  }
  const bytes = count * ITEM_SIZE[dtype];
  if (bytes !== end - begin) {
    fail(
      `${what} is ${dtype} ${fmtShape(shape as number[])}, which takes ${bytes} bytes, ` +
        `but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  return { name, code: dtype, shape: shape as number[], begin, end };
}

function parseMetadata(v: unknown): Record<string, string> {
  if (!isRecord(v)) fail(`${METADATA_KEY} must be an object of strings; got ${JSON.stringify(v)}`);
  for (const [k, s] of Object.entries(v)) {
    if (typeof s !== "string")
      fail(`${METADATA_KEY} value of ${JSON.stringify(k)} must be a string; got ${JSON.stringify(s)}`);
  }
  return Object.fromEntries(Object.entries(v)) as Record<string, string>;
}

/** An I64 entry as int32, or an error naming the tensor when a value does not fit. */
function readI64(bytes: Uint8Array, start: number, e: Entry): Tensor {
  const src = bytes.subarray(start + e.begin, start + e.end);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const data = new Int32Array(src.byteLength / 8);
  for (let i = 0; i < data.length; i++) {
    const v = view.getBigInt64(i * 8, true);
    if (v < -2147483648n || v > 2147483647n) {
      fail(`tensor ${JSON.stringify(e.name)} is I64 and holds ${v}, which does not fit tapegrad's int32`);
    }
    data[i] = Number(v);
  }
  return tensor(data, { shape: e.shape, dtype: "int32" });
}

function readTensor(bytes: Uint8Array, start: number, e: Entry): Tensor {
  if (e.code === "I64") return readI64(bytes, start, e);
  const count = (e.end - e.begin) / ITEM_SIZE[e.code];
  const data =
    e.code === "F64"
      ? new Float64Array(count)
      : e.code === "F32"
        ? new Float32Array(count)
        : new Int32Array(count);
  const src = bytes.subarray(start + e.begin, start + e.end);
  if (LITTLE_ENDIAN) {
    new Uint8Array(data.buffer).set(src);
  } else {
    const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
    for (let i = 0; i < count; i++) {
      if (data instanceof Float64Array) data[i] = view.getFloat64(i * 8, true);
      else if (data instanceof Float32Array) data[i] = view.getFloat32(i * 4, true);
      else data[i] = view.getInt32(i * 4, true);
    }
  }
  return tensor(data, { shape: e.shape, dtype: DTYPE[e.code] });
}

/**
 * Parses a safetensors file from memory. Everything is validated before any tensor is made: the header
 * length, UTF-8 and JSON of the header, every entry's dtype (F32, F64, I32; I64 too, read into int32, as
 * PyTorch saves integer buffers such as batch normalisation's `num_batches_tracked` in I64), shape and
 * offsets, that each entry's byte size is `prod(shape) · itemsize`, and that the entries tile the data
 * section exactly (no overlap, no gap, nothing out of bounds, nothing left over). Any problem, including
 * an I64 value outside int32's range, is one {@link SafetensorsError}; no partial result is ever returned.
 * @throws {SafetensorsError} If the bytes are not a valid safetensors file of supported dtypes.
 * @example
 * ```ts
 * import { Linear, loadSafetensors, saveSafetensors } from "@tapegrad/nn";
 * const model = new Linear(2, 3);
 * const { tensors, metadata } = loadSafetensors(saveSafetensors(model.stateDict(), { metadata: { step: "7" } }));
 * model.loadStateDict(tensors);
 * console.log(Object.keys(tensors), metadata); // ["bias", "weight"] { step: "7" }
 * ```
 * @category Serialization
 */
export function loadSafetensors(bytes: Uint8Array): SafetensorsContents {
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array; got ${typeof bytes}`);
  const len = bytes.length;
  if (len < 8) fail(`the input has ${len} bytes; a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  if (hi !== 0 || lo > MAX_HEADER) {
    fail(
      `the header length ${hi * 2 ** 32 + lo} is larger than the ${MAX_HEADER}-byte limit (corrupted file?)`,
    );
  }
  const n = lo;
  if (8 + n > len)
    fail(`the header length ${n} runs past the end of the ${len}-byte input (truncated file?)`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail("the header is not valid UTF-8");
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(header)) fail("the header must be a JSON object");
  let metadata: Record<string, string> | null = null;
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = parseMetadata(info);
    else entries.push(parseEntry(name, info));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  const dataLen = len - 8 - n;
  let pos = 0;
  for (const e of entries) {
    if (e.begin < pos)
      fail(`tensor ${JSON.stringify(e.name)} at [${e.begin}, ${e.end}] overlaps bytes before ${pos}`);
    if (e.begin > pos)
      fail(
        `bytes [${pos}, ${e.begin}) of the data belong to no tensor (gap before ${JSON.stringify(e.name)})`,
      );
    pos = e.end;
  }
  if (pos > dataLen)
    fail(`the tensors need ${pos} bytes of data but the input holds ${dataLen} (truncated file?)`);
  if (pos < dataLen) fail(`the data section has ${dataLen} bytes but the tensors cover only ${pos}`);
  const start = 8 + n;
  const tensors = entries.map((e) => [e.name, readTensor(bytes, start, e)] as const);
  return { tensors: Object.fromEntries(tensors), metadata };
}
