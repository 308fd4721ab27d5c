import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { DIGITS_SPLIT, loadDigits, readDigitsCsv } from "../src/index.js";

describe("digits", () => {
  test("the bundled file has 1797 rows of 64 pixels in 0..16 and labels 0..9", () => {
    const t = readDigitsCsv();
    expect(t.rows).toBe(1797);
    expect(Math.max(...t.pixels)).toBe(16);
    expect(Math.min(...t.pixels)).toBe(0);
    expect(new Set(t.labels).size).toBe(10);
  });

  test("the split is rows 0..1499 and 1500..1795 with raw values", () => {
    const t = readDigitsCsv();
    const { train, test: held } = loadDigits({ dtype: "float64" });
    expect(train.features.shape).toEqual([1500, 64]);
    expect(held.features.shape).toEqual([296, 64]);
    expect(train.features.dtype).toBe("float64");
    expect(held.labels.dtype).toBe("int32");
    expect(Array.from(held.labels.data())).toEqual(
      Array.from(t.labels.subarray(DIGITS_SPLIT.test.start, DIGITS_SPLIT.test.end)),
    );
    expect(Array.from(held.features.data().subarray(0, 64))).toEqual(
      Array.from(t.pixels.subarray(1500 * 64, 1501 * 64)),
    );
  });

  test("scale divides by 16 and the default dtype is float32", () => {
    const { train } = loadDigits({ scale: true });
    expect(train.features.dtype).toBe("float32");
    expect(train.features.max().item()).toBe(1);
  });

  test("a file that is not gzip, or a bad line, gives a digits: error", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-"));
    const plain = join(dir, "plain.csv");
    writeFileSync(plain, "1,2,3\n");
    expect(() => loadDigits({ path: plain })).toThrow(/^digits: cannot read/);
    const short = join(dir, "short.csv.gz");
    writeFileSync(short, gzipSync("1,2,3\n"));
    expect(() => readDigitsCsv(short)).toThrow(/line 1: got 3 values, expected 65/);
    writeFileSync(short, gzipSync(`${"0,".repeat(64)}10\n`));
    expect(() => readDigitsCsv(short)).toThrow(/value 10 in column 64 is not 0..9/);
    writeFileSync(short, gzipSync(`${"0,".repeat(64)}1\n`));
    expect(() => loadDigits({ path: short })).toThrow(/need at least 1500 rows; got 1/);
  });
});
