import { readFileSync } from "node:fs";
import { type DType, DTypeError, type Tensor, tensor } from "@tapegrad/autograd";
import { loadSafetensors, SafetensorsError, saveSafetensors } from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { fixture } from "./helpers.js";

const seedFile = (): Uint8Array => new Uint8Array(readFileSync(fixture("seed-0.init.safetensors")));

/** A file assembled by hand from a header object (padded as the reference does) and data bytes. */
function rawFile(header: unknown, data: Uint8Array | number[] = [], pad = true): Uint8Array {
  let json = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  if (pad) {
    const padded = new Uint8Array(json.length + ((8 - (json.length % 8)) % 8)).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function headerOf(bytes: Uint8Array): string {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
}

describe("the Python-written fixture", () => {
  test("loads with the names, shapes, dtypes and metadata Python wrote", () => {
    const { tensors, metadata } = loadSafetensors(seedFile());
    expect(Object.keys(tensors)).toEqual(["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"]);
    const shapes = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, [t.shape, t.dtype]]));
    expect(shapes).toEqual({
      "0.weight": [[32, 64], "float64"],
      "0.bias": [[32], "float64"],
      "2.weight": [[16, 32], "float64"],
      "2.bias": [[16], "float64"],
      "4.weight": [[10, 16], "float64"],
      "4.bias": [[10], "float64"],
    });
    expect(metadata).toEqual({ source: "seed notebook algorithm, numpy random seed 0" });
  });

  test("saving what was loaded gives the same bytes", () => {
    const bytes = seedFile();
    const { tensors, metadata } = loadSafetensors(bytes);
    expect(saveSafetensors(tensors, { metadata })).toEqual(bytes);
  });

  test("values are read as little-endian float64", () => {
    const bytes = seedFile();
    const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    const view = new DataView(bytes.buffer, bytes.byteOffset + 8 + n);
    const bias = loadSafetensors(bytes).tensors["0.bias"] as Tensor;
    expect(bias.toArray()).toEqual(Array.from({ length: 32 }, (_, i) => view.getFloat64(i * 8, true)));
  });
});

describe("saveSafetensors writes what the reference writer writes", () => {
  test("an empty state dict is {} padded to 8 bytes", () => {
    expect(Array.from(saveSafetensors({}))).toEqual([
      8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32,
    ]);
  });

  test("one float32 tensor: compact header, space padding to a multiple of 8, raw data", () => {
    const t = tensor([0, 1, 2, 3, 4, 5], { shape: [1, 2, 3] });
    const bytes = saveSafetensors({ "attn.0": t });
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(64);
    expect(headerOf(bytes)).toBe(header);
    expect(bytes.length).toBe(8 + 64 + 24);
    expect(Array.from(new Float32Array(bytes.slice(72).buffer))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test("a header that needs padding is padded with spaces", () => {
    const bytes = saveSafetensors({ attn0: tensor([0, 1, 2, 3, 4, 5], { shape: [1, 1, 2, 3] }) });
    expect(headerOf(bytes)).toBe('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ');
  });

  test("tensors are laid out by dtype alignment (F64, F32, I32) then by name, metadata last", () => {
    const bytes = saveSafetensors(
      {
        b: tensor([1], { dtype: "int32" }),
        a: tensor([1], { dtype: "int32" }),
        z: tensor([1], { dtype: "float32" }),
        y: tensor([1], { dtype: "float64" }),
        c: tensor([1], { dtype: "float32" }),
      },
      { metadata: { z: "1", a: "2" } },
    );
    expect(headerOf(bytes).trimEnd()).toBe(
      '{"y":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},' +
        '"c":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},' +
        '"z":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},' +
        '"a":{"dtype":"I32","shape":[1],"data_offsets":[16,20]},' +
        '"b":{"dtype":"I32","shape":[1],"data_offsets":[20,24]},' +
        '"__metadata__":{"a":"2","z":"1"}}',
    );
  });

  test("names sort by code point (UTF-8 byte order), not by UTF-16 unit", () => {
    // U+FF21 sorts before U+1F600 in UTF-8, but after its surrogate pair in UTF-16.
    const bytes = saveSafetensors({ "\u{1F600}": tensor([1]), "\uFF21": tensor([2]) });
    const { tensors } = loadSafetensors(bytes);
    expect(headerOf(bytes).indexOf("\uFF21")).toBeLessThan(headerOf(bytes).indexOf("\u{1F600}"));
    expect(tensors["\uFF21"]?.toArray()).toEqual([2]);
  });

  test("names with quotes, backslashes and control characters are escaped as JSON", () => {
    const name = 'a"b\\c\nd\u0001';
    const { tensors } = loadSafetensors(saveSafetensors({ [name]: tensor([3]) }));
    expect(Object.keys(tensors)).toEqual([name]);
  });

  test("scalars and empty tensors round-trip", () => {
    const sd = { s: tensor([7], { shape: [], dtype: "float64" }), e: tensor([], { shape: [0, 3] }) };
    const { tensors } = loadSafetensors(saveSafetensors(sd));
    expect(tensors.s?.shape).toEqual([]);
    expect(tensors.s?.item()).toBe(7);
    expect(tensors.e?.shape).toEqual([0, 3]);
  });

  test("a metadata-only file round-trips its metadata", () => {
    const { tensors, metadata } = loadSafetensors(saveSafetensors({}, { metadata: { framework: "pt" } }));
    expect(tensors).toEqual({});
    expect(metadata).toEqual({ framework: "pt" });
  });

  test("rejects what the format cannot hold", () => {
    expect(() => saveSafetensors({ __metadata__: tensor([1]) })).toThrow(SafetensorsError);
    expect(() => saveSafetensors({ "bad\uD800": tensor([1]) })).toThrow(/lone surrogate/);
    expect(() => saveSafetensors({ x: [1, 2] as unknown as Tensor })).toThrow(/not a Tensor/);
    expect(() => saveSafetensors({}, { metadata: { k: 1 as unknown as string } })).toThrow(
      /must be a string/,
    );
  });
});

describe("loadSafetensors rejects bad files with a SafetensorsError", () => {
  const good = { w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } };
  const data = new Uint8Array(8);
  const cases: [string, Uint8Array, RegExp][] = [
    ["too short for the header length", new Uint8Array(5), /8-byte header length/],
    ["header length past the end", rawFile(good, data).slice(0, 20), /runs past the end/],
    [
      "absurd header length",
      (() => {
        const b = rawFile(good, data);
        new DataView(b.buffer).setUint32(4, 1, true);
        return b;
      })(),
      /larger than/,
    ],
    ["invalid JSON", rawFile("{not json}", data), /not valid JSON/],
    ["a JSON array", rawFile("[1, 2]"), /must be a JSON object/],
    ["invalid UTF-8", rawFile(new Uint8Array([0x7b, 0xff, 0x7d]) as unknown as string), /./],
    [
      "unknown dtype",
      rawFile({ w: { dtype: "Q7", shape: [2], data_offsets: [0, 8] } }, data),
      /unknown dtype "Q7"/,
    ],
    [
      "unsupported dtype",
      rawFile({ w: { dtype: "F16", shape: [4], data_offsets: [0, 8] } }, data),
      /F16, which tapegrad does not support/,
    ],
    [
      "an I64 value outside int32",
      rawFile({ n: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, [0, 0, 0, 0, 1, 0, 0, 0]),
      /tensor "n" is I64 and holds 4294967296, which does not fit tapegrad's int32/,
    ],
    [
      "size not prod(shape)·itemsize",
      rawFile({ w: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, data),
      /takes 12 bytes/,
    ],
    [
      "negative dimension",
      rawFile({ w: { dtype: "F32", shape: [-2], data_offsets: [0, 8] } }, data),
      /shape must be/,
    ],
    [
      "fractional offset",
      rawFile({ w: { dtype: "F32", shape: [2], data_offsets: [0.5, 8] } }, data),
      /data_offsets/,
    ],
    [
      "reversed offsets",
      rawFile({ w: { dtype: "F32", shape: [0], data_offsets: [8, 0] } }, data),
      /end before/,
    ],
    ["data shorter than claimed", rawFile(good, new Uint8Array(4)), /truncated/],
    ["trailing bytes", rawFile(good, new Uint8Array(12)), /cover only 8/],
    [
      "a gap",
      rawFile({ w: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, data),
      /belong to no tensor/,
    ],
    [
      "overlapping tensors",
      rawFile(
        {
          a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
          b: { dtype: "F32", shape: [1], data_offsets: [4, 8] },
        },
        data,
      ),
      /overlaps/,
    ],
    ["metadata that is not strings", rawFile({ ...good, __metadata__: { k: 1 } }, data), /must be a string/],
    ["an entry that is not an object", rawFile({ w: 3 }), /expected an object/],
  ];
  test.each(cases)("%s", (_, bytes, message) => {
    expect(() => loadSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => loadSafetensors(bytes)).toThrow(message);
  });

  test("accepts an unpadded header and any JSON key order (other writers)", () => {
    const bytes = rawFile(
      { __metadata__: { a: "b" }, w: { data_offsets: [0, 8], shape: [2], dtype: "I32" } },
      new Uint8Array([1, 0, 0, 0, 255, 255, 255, 255]),
      false,
    );
    const { tensors, metadata } = loadSafetensors(bytes);
    expect(tensors.w?.toArray()).toEqual([1, -1]);
    expect(tensors.w?.dtype).toBe<DType>("int32");
    expect(metadata).toEqual({ a: "b" });
  });

  test("a SafetensorsError is a TapegradError, not a DTypeError", () => {
    try {
      loadSafetensors(new Uint8Array(2));
    } catch (e) {
      expect(e).toBeInstanceOf(SafetensorsError);
      expect(e).not.toBeInstanceOf(DTypeError);
      expect((e as Error).name).toBe("SafetensorsError");
    }
  });
});

describe("I64, as PyTorch writes integer buffers", () => {
  test("is read into int32, values and shape kept, negative ones too", () => {
    const bytes = new Uint8Array(24);
    const view = new DataView(bytes.buffer);
    view.setBigInt64(0, 7n, true);
    view.setBigInt64(8, -3n, true);
    view.setBigInt64(16, 2147483647n, true);
    const file = rawFile({ num_batches_tracked: { dtype: "I64", shape: [3], data_offsets: [0, 24] } }, bytes);
    const t = loadSafetensors(file).tensors.num_batches_tracked as Tensor;
    expect(t.dtype).toBe("int32");
    expect(t.toArray()).toEqual([7, -3, 2147483647]);
    // Saved back, it is an I32 tensor (tapegrad writes the dtypes it has).
    expect(headerOf(saveSafetensors({ n: t }))).toContain('"dtype":"I32"');
  });
});
