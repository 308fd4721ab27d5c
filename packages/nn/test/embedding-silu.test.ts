import {
  assertGradcheck,
  DTypeError,
  Generator,
  randn,
  sigmoid,
  type Tensor,
  tensor,
  ValueError,
} from "@tapegrad/autograd";
import { Embedding, SiLU } from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { checkModule, TOL } from "./gradcheck-helpers.js";

const f64 = { dtype: "float64" } as const;
const ids = (values: number[][]) => tensor(values, { dtype: "int32" });

describe("Embedding", () => {
  test("looks up rows: [...ids.shape, embeddingDim], the table's own values", () => {
    const embed = new Embedding(4, 3, { ...f64, generator: new Generator(0) });
    const y = embed.call(
      ids([
        [3, 0],
        [3, 1],
      ]),
    );
    expect(y.shape).toEqual([2, 2, 3]);
    const w = embed.weight.toArray() as number[][];
    expect(y.toArray()).toEqual([
      [w[3], w[0]],
      [w[3], w[1]],
    ]);
    expect(Object.keys(embed.stateDict())).toEqual(["weight"]);
  });

  test("gradients match finite differences, and a repeated id sums its cotangents", () => {
    const embed = new Embedding(5, 2, { ...f64, generator: new Generator(1) });
    const x = ids([[1, 4, 1]]);
    const u = randn([1, 3, 2], { ...f64, generator: new Generator(2) });
    const f = (w: Tensor) => {
      embed.weight = w;
      return embed.call(x).mul(u).sum();
    };
    expect(assertGradcheck(f, [embed.weight], TOL).checked).toBeGreaterThan(0);
    embed.weight.requiresGrad = true;
    embed.call(x).mul(u).sum().backward();
    const g = embed.weight.grad?.toArray() as number[][];
    const us = u.toArray() as number[][][];
    const row = (i: number) => us[0]?.[i] as number[];
    expect(g[1]).toEqual([row(0)[0]! + row(2)[0]!, row(0)[1]! + row(2)[1]!]);
    expect(g[0]).toEqual([0, 0]);
  });

  test("the padding row starts at zero and gets no gradient", () => {
    const embed = new Embedding(3, 2, { ...f64, paddingIdx: 1, generator: new Generator(3) });
    expect((embed.weight.toArray() as number[][])[1]).toEqual([0, 0]);
    embed
      .call(ids([[1, 2, 1]]))
      .sum()
      .backward();
    expect(embed.weight.grad?.toArray()).toEqual([
      [0, 0],
      [0, 0],
      [1, 1],
    ]);
    expect(embed.extraRepr()).toBe("numEmbeddings=3, embeddingDim=2, paddingIdx=1");
  });

  test("bad ids and settings get errors that name the rule", () => {
    const embed = new Embedding(3, 2);
    expect(() => embed.call(tensor([0, 1]))).toThrow(DTypeError);
    expect(() => embed.call(ids([[0, 3]]))).toThrow(/^Embedding: id 3 is out of range for a table of 3 rows/);
    expect(() => embed.call(ids([[-1]]))).toThrow(ValueError);
    expect(() => new Embedding(0, 2)).toThrow(/numEmbeddings must be a positive integer; got 0/);
    expect(() => new Embedding(3, 2, { paddingIdx: 3 })).toThrow(
      /paddingIdx must be an id in \[0, 3\); got 3/,
    );
  });
});

describe("SiLU", () => {
  test("is x·sigmoid(x), and its gradient matches finite differences", () => {
    const x = randn([3, 4], { ...f64, generator: new Generator(4) });
    expect(new SiLU().call(x).toArray()).toEqual(x.mul(sigmoid(x)).toArray());
    expect(checkModule(new SiLU(), [x])).toBeGreaterThan(0);
  });
});
