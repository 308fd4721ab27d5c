import { Generator, randn, type Tensor, tensor, zeros } from "@tapegrad/autograd";
import { Dropout, Linear, Module, ReLU, Sequential, Sigmoid, StateDictError } from "@tapegrad/nn";
import { describe, expect, test } from "vitest";

class Block extends Module {
  fc = new Linear(3, 4, { generator: new Generator(1) });
  act = new ReLU();
  forward(x: Tensor): Tensor {
    return this.act.call(this.fc.call(x));
  }
}

class Net extends Module {
  scale = tensor([2], { requiresGrad: true });
  constant = tensor([5]); // no grad: not a parameter
  blocks = [new Block(), new Block()];
  head = new Linear(4, 2, { generator: new Generator(2) });
  label = "not a module";
  forward(x: Tensor): Tensor {
    let y = x;
    for (const b of this.blocks) y = b.call(y.slice([0, 0], [-1, 3]));
    return this.head.call(y).mul(this.scale);
  }
}

describe("registration by assignment", () => {
  test("names parameters with dotted paths in assignment order", () => {
    expect(new Net().namedParameters().map(([n]) => n)).toEqual([
      "scale",
      "blocks.0.fc.weight",
      "blocks.0.fc.bias",
      "blocks.1.fc.weight",
      "blocks.1.fc.bias",
      "head.weight",
      "head.bias",
    ]);
  });

  test("children and modules", () => {
    const net = new Net();
    expect(net.namedChildren().map(([n]) => n)).toEqual(["blocks.0", "blocks.1", "head"]);
    expect(net.children()).toHaveLength(3);
    expect(net.namedModules().map(([n]) => n)).toEqual([
      "",
      "blocks.0",
      "blocks.0.fc",
      "blocks.0.act",
      "blocks.1",
      "blocks.1.fc",
      "blocks.1.act",
      "head",
    ]);
    expect(net.modules()[0]).toBe(net);
  });

  test("a shared layer's parameters are listed once but saved under every name", () => {
    const shared = new Linear(2, 2);
    class Tied extends Module {
      a = shared;
      b = shared;
      forward(x: Tensor): Tensor {
        return this.b.call(this.a.call(x));
      }
    }
    const m = new Tied();
    expect(m.parameters()).toHaveLength(2);
    expect(m.numParameters()).toBe(6);
    expect(Object.keys(m.stateDict())).toEqual(["a.weight", "a.bias", "b.weight", "b.bias"]);
  });

  test("a cycle between modules does not loop forever", () => {
    class Node extends Module {
      w = tensor([1], { requiresGrad: true });
      other: Module | null = null;
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const a = new Node();
    const b = new Node();
    a.other = b;
    b.other = a;
    expect(a.namedParameters().map(([n]) => n)).toEqual(["w", "other.w"]);
    expect(Object.keys(a.stateDict())).toEqual(["w", "other.w"]);
    expect(String(a)).toBe(
      [
        "Node(",
        "  (other): Node(",
        "    (other): Node(...)  # shown above",
        "  )  # 2 params",
        ")  # 2 params",
        "2 parameters",
      ].join("\n"),
    );
  });

  test("arrays of parameters are registered as name.i", () => {
    class Bag extends Module {
      ws = [tensor([1], { requiresGrad: true }), tensor([2], { requiresGrad: true })];
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(new Bag().namedParameters().map(([n]) => n)).toEqual(["ws.0", "ws.1"]);
  });
});

describe("modes and gradients", () => {
  test("train and eval reach every submodule", () => {
    const net = new Sequential(new Linear(2, 2), new Sequential(new Dropout(0.5)));
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
  });

  test("zeroGrad drops every gradient", () => {
    const net = new Net();
    net
      .call(randn([2, 4], { generator: new Generator(0) }))
      .sum()
      .backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  test("call runs forward and is typed like it", () => {
    const y: Tensor = new Block().call(zeros([5, 3]));
    expect(y.shape).toEqual([5, 4]);
  });
});

describe("state dicts", () => {
  test("stateDict holds detached copies", () => {
    const layer = new Linear(2, 2, { generator: new Generator(0) });
    const sd = layer.stateDict();
    expect(sd.weight?.requiresGrad).toBe(false);
    const before = sd.weight?.toArray();
    layer.weight.assign(zeros([2, 2]));
    expect(sd.weight?.toArray()).toEqual(before);
  });

  test("loadStateDict copies in place, so existing references see the values", () => {
    const a = new Net();
    const b = new Net();
    for (const p of a.parameters()) p.assign(randn(p.shape, { generator: new Generator(9) }));
    const weight = b.head.weight;
    expect(b.loadStateDict(a.stateDict())).toEqual({ missing: [], unexpected: [] });
    expect(b.head.weight).toBe(weight);
    expect(b.head.weight.toArray()).toEqual(a.head.weight.toArray());
  });

  test("one error lists every problem and nothing is loaded", () => {
    const net = new Net();
    const before = net.stateDict();
    const sd = net.stateDict();
    delete sd["head.bias"];
    sd.extra = zeros([1]);
    sd["head.weight"] = zeros([3, 3]);
    sd["blocks.0.fc.bias"] = zeros([4], { dtype: "float64" });
    sd.scale = [1] as unknown as Tensor;
    let error: StateDictError | null = null;
    try {
      net.loadStateDict(sd);
    } catch (e) {
      error = e as StateDictError;
    }
    expect(error).toBeInstanceOf(StateDictError);
    expect(error?.missing).toEqual(["head.bias"]);
    expect(error?.unexpected).toEqual(["extra"]);
    expect(error?.mismatched).toEqual(["scale", "blocks.0.fc.bias", "head.weight"]);
    expect(error?.message).toMatch(/missing "head.bias"/);
    expect(error?.message).toMatch(/unexpected "extra"/);
    expect(error?.message).toMatch(/"head.weight" has \[3, 3\] float32, expected \[2, 4\] float32/);
    expect(error?.message).toMatch(/"blocks.0.fc.bias" has \[4\] float64, expected \[4\] float32/);
    expect(error?.message).toMatch(/"scale" is not a Tensor/);
    for (const [k, v] of Object.entries(net.stateDict())) expect(v.toArray()).toEqual(before[k]?.toArray());
  });

  test("non-strict loading skips missing and unexpected names but not mismatches", () => {
    const net = new Sequential(new Linear(2, 3), new Sigmoid());
    const r = net.loadStateDict({ "0.weight": zeros([3, 2]), other: zeros([1]) }, { strict: false });
    expect(r).toEqual({ missing: ["0.bias"], unexpected: ["other"] });
    expect(net.at(0).parameters()[0]?.toArray()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(() => net.loadStateDict({ "0.weight": zeros([2, 3]) }, { strict: false })).toThrow(StateDictError);
  });
});

describe("toString", () => {
  test("summarises layers, output shapes after a call, and parameter counts", () => {
    const net = new Sequential(new Linear(64, 32), new Sigmoid(), new Linear(32, 10));
    expect(String(net)).toBe(
      [
        "Sequential(",
        "  (0): Linear(inFeatures=64, outFeatures=32, bias=true)  # 2,080 params",
        "  (1): Sigmoid()",
        "  (2): Linear(inFeatures=32, outFeatures=10, bias=true)  # 330 params",
        ")  # 2,410 params",
        "2,410 parameters",
      ].join("\n"),
    );
    net.call(zeros([7, 64]));
    expect(String(net).split("\n").slice(1, 3)).toEqual([
      "  (0): Linear(inFeatures=64, outFeatures=32, bias=true)  # [7, 32], 2,080 params",
      "  (1): Sigmoid()  # [7, 32]",
    ]);
  });

  test("nests custom modules", () => {
    const text = String(new Net());
    expect(text).toContain(
      "Net(\n  (blocks.0): Block(\n    (fc): Linear(inFeatures=3, outFeatures=4, bias=true)",
    );
    expect(text.endsWith("43 parameters")).toBe(true);
  });
});
