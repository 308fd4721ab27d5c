// Property tests of the safetensors codec: bit-identical round trips of random state dicts, and random
// damage to valid files, which must give a SafetensorsError or a complete, consistent load.

import { readFileSync } from "node:fs";
import { type DType, type Tensor, tensor } from "@tapegrad/autograd";
import { loadSafetensors, SafetensorsError, saveSafetensors } from "@tapegrad/nn";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { fcRuns, fixture } from "./helpers.js";

const ITEM: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };
const CTOR = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;

/** A tensor of any supported dtype and small shape whose bytes are arbitrary (NaN payloads included). */
const tensorArb = fc
  .record({
    dtype: fc.constantFrom<DType>("float32", "float64", "int32"),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
  })
  .chain(({ dtype, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return fc.uint8Array({ minLength: size * ITEM[dtype], maxLength: size * ITEM[dtype] }).map((bytes) => {
      const data = new CTOR[dtype](new Uint8Array(bytes).buffer);
      return tensor(data, { shape, dtype });
    });
  });

const nameArb = fc.string({ unit: "binary", maxLength: 8 }).filter((s) => s !== "__metadata__");

const stateDictArb = fc.dictionary(nameArb, tensorArb, { maxKeys: 6 });
const metadataArb = fc.option(
  fc.dictionary(fc.string({ unit: "binary", maxLength: 6 }), fc.string({ maxLength: 8 })),
  {
    nil: null,
  },
);

const bytesOf = (t: Tensor): Uint8Array => {
  const d = t.data();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
};

const fileArb = fc
  .tuple(stateDictArb, metadataArb)
  .map(([sd, metadata]) => saveSafetensors(sd, { metadata }));

function headerLength(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
}

function withHeader(header: unknown, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** Loading must either throw a SafetensorsError or return a complete, self-consistent result. */
function loadOrReject(bytes: Uint8Array): void {
  let loaded: ReturnType<typeof loadSafetensors>;
  try {
    loaded = loadSafetensors(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    return;
  }
  const n = headerLength(bytes);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const names = Object.keys(header).filter((k) => k !== "__metadata__");
  expect(Object.keys(loaded.tensors).sort()).toEqual(names.sort());
  // Sizes as the header's dtypes give them: an I64 entry loads as int32 but takes 8 bytes in the file.
  const fileItem = (name: string): number =>
    ({ F64: 8, F32: 4, I32: 4, I64: 8 })[(header[name] as { dtype: "F64" | "F32" | "I32" | "I64" }).dtype];
  const total = Object.entries(loaded.tensors).reduce((s, [name, t]) => s + t.size * fileItem(name), 0);
  expect(total).toBe(bytes.length - 8 - n);
  // A valid load re-saves to a file that loads to the same bytes.
  const again = loadSafetensors(saveSafetensors(loaded.tensors, { metadata: loaded.metadata }));
  for (const [k, t] of Object.entries(loaded.tensors))
    expect(bytesOf(again.tensors[k] as Tensor)).toEqual(bytesOf(t));
}

describe("round trips", () => {
  test("save → load gives the same names, shapes, dtypes, bytes and metadata; save again gives the same file", () => {
    fc.assert(
      fc.property(stateDictArb, metadataArb, (sd, metadata) => {
        const bytes = saveSafetensors(sd, { metadata });
        expect(headerLength(bytes) % 8).toBe(0);
        const loaded = loadSafetensors(bytes);
        expect(Object.keys(loaded.tensors).sort()).toEqual(Object.keys(sd).sort());
        for (const [name, t] of Object.entries(sd)) {
          const u = loaded.tensors[name] as Tensor;
          expect([u.shape, u.dtype]).toEqual([t.shape, t.dtype]);
          expect(bytesOf(u)).toEqual(bytesOf(t));
        }
        expect(loaded.metadata).toEqual(metadata);
        expect(saveSafetensors(loaded.tensors, { metadata: loaded.metadata })).toEqual(bytes);
      }),
      fcRuns(150),
    );
  });
});

describe("damaged files give a SafetensorsError or a complete load, never anything else", () => {
  test("every truncation of the Python-written fixture is rejected", () => {
    const bytes = new Uint8Array(readFileSync(fixture("seed-0.init.safetensors")));
    for (let len = 0; len < bytes.length; len++) {
      expect(() => loadSafetensors(bytes.subarray(0, len))).toThrow(SafetensorsError);
    }
  });

  test("truncation anywhere in random files", () => {
    fc.assert(
      fc.property(fileArb, fc.double({ min: 0, max: 1, noNaN: true }), (bytes, at) => {
        const len = Math.min(bytes.length - 1, Math.floor(at * bytes.length));
        expect(() => loadSafetensors(bytes.subarray(0, len))).toThrow(SafetensorsError);
      }),
      fcRuns(150),
    );
  });

  test("flipped bytes", () => {
    fc.assert(
      fc.property(
        fileArb,
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (bytes, flips) => {
          const damaged = bytes.slice();
          for (const [at, mask] of flips) {
            const i = Math.min(damaged.length - 1, Math.floor(at * damaged.length));
            damaged[i] = (damaged[i] as number) ^ mask;
          }
          loadOrReject(damaged);
        },
      ),
      fcRuns(300),
    );
  });

  test("flipped bytes in the header of the fixture", () => {
    const bytes = new Uint8Array(readFileSync(fixture("seed-0.init.safetensors")));
    const n = headerLength(bytes);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 + n - 1 }), fc.integer({ min: 1, max: 255 }), (i, mask) => {
        const damaged = bytes.slice();
        damaged[i] = (damaged[i] as number) ^ mask;
        loadOrReject(damaged);
      }),
      fcRuns(300),
    );
  });

  type Lie = (h: Record<string, Record<string, unknown>>, names: string[], k: number) => void;
  const lies: [string, Lie][] = [
    ["shift a begin offset", (h, ns, k) => shiftOffset(h, ns, k, 0)],
    ["shift an end offset", (h, ns, k) => shiftOffset(h, ns, k, 1)],
    ["grow a dimension", (h, ns, k) => editShape(h, ns, k, (s) => s.map((d, i) => (i === 0 ? d + 1 : d)))],
    [
      "shrink a dimension",
      (h, ns, k) => editShape(h, ns, k, (s) => s.map((d, i) => (i === 0 ? Math.max(0, d - 1) : d))),
    ],
    ["add an axis", (h, ns, k) => editShape(h, ns, k, (s) => [...s, 2])],
    [
      "change a dtype",
      (h, ns, k) => editField(h, ns, k, "dtype", ["F32", "F64", "I32", "F16", "I64", "X"][k % 6]),
    ],
    ["drop a tensor", (h, ns, k) => (ns.length > 0 ? delete h[ns[k % ns.length] as string] : undefined)],
    [
      "duplicate a tensor",
      (h, ns, k) => {
        const e = h[ns[k % Math.max(1, ns.length)] as string];
        if (e !== undefined) h[`copy${k}`] = e;
      },
    ],
    [
      "overlap two tensors",
      (h, ns, k) =>
        editField(h, ns, k, "data_offsets", [
          0,
          (h[ns[k % ns.length] as string]?.data_offsets as number[] | undefined)?.[1] ?? 0,
        ]),
    ],
    ["offsets past the end", (h, ns, k) => editField(h, ns, k, "data_offsets", [0, 2 ** 40 + k])],
    ["offsets that are not integers", (h, ns, k) => editField(h, ns, k, "data_offsets", [0.5, k])],
    ["a huge shape", (h, ns, k) => editField(h, ns, k, "shape", [2 ** 30, 2 ** 30, 2 ** 30 + k])],
    ["a non-string metadata value", (h) => (h.__metadata__ = { k: 5 } as unknown as Record<string, unknown>)],
    [
      "a missing field",
      (h, ns, k) => (ns.length > 0 ? delete h[ns[k % ns.length] as string]?.shape : undefined),
    ],
  ];

  function editField(
    h: Record<string, Record<string, unknown>>,
    ns: string[],
    k: number,
    field: string,
    v: unknown,
  ) {
    const e = h[ns[k % Math.max(1, ns.length)] as string];
    if (e !== undefined) e[field] = v;
  }
  function shiftOffset(h: Record<string, Record<string, unknown>>, ns: string[], k: number, which: 0 | 1) {
    const e = h[ns[k % Math.max(1, ns.length)] as string];
    if (e === undefined) return;
    const o = [...(e.data_offsets as number[])];
    o[which] = Math.max(0, (o[which] as number) + ((k % 9) - 4 || 1));
    e.data_offsets = o;
  }
  function editShape(
    h: Record<string, Record<string, unknown>>,
    ns: string[],
    k: number,
    f: (s: number[]) => number[],
  ) {
    const e = h[ns[k % Math.max(1, ns.length)] as string];
    if (e !== undefined) e.shape = f(e.shape as number[]);
  }

  test.each(lies)("a header that lies: %s", (_, lie) => {
    fc.assert(
      fc.property(fileArb, fc.nat(1000), fc.boolean(), (bytes, k, lengthLie) => {
        const n = headerLength(bytes);
        const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
          string,
          Record<string, unknown>
        >;
        const names = Object.keys(header).filter((x) => x !== "__metadata__");
        lie(header, names, k);
        const damaged = withHeader(header, bytes.subarray(8 + n));
        if (lengthLie) new DataView(damaged.buffer).setUint32(0, headerLength(damaged) + (k % 7) - 3, true);
        loadOrReject(damaged);
      }),
      fcRuns(60),
    );
  });
});
