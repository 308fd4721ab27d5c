import {
  arange,
  conv2d,
  convTranspose2d,
  DTypeError,
  Generator,
  ones,
  randn,
  ShapeError,
  type Tensor,
  tensor,
  ValueError,
  zeros,
} from "@tapegrad/autograd";
import {
  AvgPool2d,
  Conv2d,
  ConvTranspose2d,
  Flatten,
  type InitOptions,
  init,
  Linear,
  MaxPool2d,
  type Module,
  ReLU,
  Sequential,
  Tanh,
  Unflatten,
} from "@tapegrad/nn";
import { describe, expect, test } from "vitest";
import { checkModule } from "./gradcheck-helpers.js";

const f64 = { dtype: "float64" } as const;
const gen = (seed: number) => new Generator(seed);
const x64 = (shape: number[], seed = 1) => randn(shape, { ...f64, generator: gen(seed) });

describe("gradients match finite differences (float64, inputs and parameters)", () => {
  const cases: [string, () => Module, () => Tensor[]][] = [
    [
      "Conv2d",
      () => new Conv2d(2, 3, 3, { ...f64, padding: 1, generator: gen(0) }),
      () => [x64([2, 2, 4, 4])],
    ],
    [
      "Conv2d strided, dilated, rectangular, without bias",
      () =>
        new Conv2d(2, 2, [2, 3], {
          ...f64,
          stride: [2, 1],
          dilation: [1, 2],
          bias: false,
          generator: gen(0),
        }),
      () => [x64([1, 2, 5, 6])],
    ],
    [
      'Conv2d with groups and padding "same"',
      () => new Conv2d(4, 2, 3, { ...f64, groups: 2, padding: "same", generator: gen(0) }),
      () => [x64([1, 4, 4, 4])],
    ],
    [
      "Conv2d on an unbatched image",
      () => new Conv2d(2, 2, 2, { ...f64, generator: gen(0) }),
      () => [x64([2, 3, 3])],
    ],
    ["MaxPool2d", () => new MaxPool2d(2), () => [x64([2, 2, 4, 4])]],
    [
      "MaxPool2d overlapping, padded",
      () => new MaxPool2d(3, { stride: 2, padding: 1 }),
      () => [x64([1, 2, 5, 5])],
    ],
    ["MaxPool2d dilated", () => new MaxPool2d(2, { stride: 1, dilation: 2 }), () => [x64([1, 1, 5, 5])]],
    ["AvgPool2d", () => new AvgPool2d(2), () => [x64([2, 2, 4, 4])]],
    [
      "AvgPool2d padded, not counting the padding",
      () => new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
      () => [x64([1, 2, 5, 5])],
    ],
    ["Unflatten", () => new Unflatten(1, [2, -1]), () => [x64([3, 6])]],
    [
      "ConvTranspose2d",
      () =>
        new ConvTranspose2d(2, 3, 3, { ...f64, stride: 2, padding: 1, outputPadding: 1, generator: gen(0) }),
      () => [x64([2, 2, 3, 3])],
    ],
    [
      "ConvTranspose2d with groups, dilation, without bias",
      () =>
        new ConvTranspose2d(4, 2, [2, 3], {
          ...f64,
          groups: 2,
          dilation: [1, 2],
          bias: false,
          generator: gen(0),
        }),
      () => [x64([1, 4, 2, 3])],
    ],
    [
      "a small CNN",
      () =>
        new Sequential(
          new Unflatten(1, [1, 4, 4]),
          new Conv2d(1, 2, 3, { ...f64, padding: 1, generator: gen(1) }),
          new Tanh(),
          new AvgPool2d(2),
          new Flatten(),
          new Linear(8, 3, { ...f64, generator: gen(2) }),
        ),
      () => [x64([2, 16])],
    ],
  ];
  test.each(cases)("%s", (_, make, inputs) => {
    expect(checkModule(make(), inputs())).toBeGreaterThan(0);
  });
});

describe("Conv2d", () => {
  test("PyTorch's default init: weight and bias in U(±1/√fanIn), fanIn = inChannels / groups · kh · kw", () => {
    const conv = new Conv2d(6, 16, [3, 2], { ...f64, groups: 2, generator: gen(3) });
    const bound = 1 / Math.sqrt(3 * 3 * 2);
    const w = conv.weight;
    expect(w.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(w.abs().max().item()).toBeGreaterThan(0.95 * bound); // the draws fill the interval
    // U(±b) has standard deviation b/√3 and mean 0.
    expect(w.std().item()).toBeGreaterThan(0.85 * (bound / Math.sqrt(3)));
    expect(w.std().item()).toBeLessThan(1.15 * (bound / Math.sqrt(3)));
    expect(Math.abs(w.mean().item())).toBeLessThan(0.15 * bound);
    const b = conv.bias as Tensor;
    expect(b.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(b.max().item() - b.min().item()).toBeGreaterThan(bound);
  });

  test("the default bound follows groups (a depthwise convolution has fanIn kh · kw)", () => {
    const depthwise = new Conv2d(6, 6, 3, { ...f64, groups: 6, generator: gen(0) });
    expect(depthwise.weight.abs().max().item()).toBeLessThanOrEqual(1 / 3);
    // Above 1/√54, the bound if the 6 input channels were all counted.
    expect(depthwise.weight.abs().max().item()).toBeGreaterThan(0.3);
  });

  test("float32 parameters by default, seeded and leaf parameters", () => {
    const a = new Conv2d(3, 4, 3, { generator: gen(5) });
    const b = new Conv2d(3, 4, 3, { generator: gen(5) });
    expect(a.weight.dtype).toBe("float32");
    expect(a.weight.toArray()).toEqual(b.weight.toArray());
    expect(a.bias?.toArray()).toEqual(b.bias?.toArray());
    expect(a.weight.requiresGrad && a.weight.isLeaf && a.bias?.requiresGrad).toBe(true);
    expect(new Conv2d(3, 4, 3, { generator: gen(6) }).weight.toArray()).not.toEqual(a.weight.toArray());
  });

  test("custom initialisers get PyTorch's fans of the weight and must return its shape", () => {
    const seen: InitOptions[] = [];
    const record = (s: readonly number[], o: InitOptions) => {
      seen.push(o);
      return init.constant([...s], 0.5, o);
    };
    const conv = new Conv2d(4, 6, [3, 2], { groups: 2, init: { weight: record, bias: record } });
    expect(seen.map((o) => [o.fanIn, o.fanOut])).toEqual([
      [12, 36],
      [12, 36],
    ]);
    expect(conv.bias?.toArray()).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(() => new Conv2d(4, 6, 3, { init: { weight: () => zeros([6, 4, 3, 3]) }, groups: 2 })).toThrow(
      /Conv2d: the weight initialiser must return a float32 tensor of shape \[6, 2, 3, 3\]; got float32 \[6, 4, 3, 3\]/,
    );
  });

  test("computes the cross-correlation with its weight and bias", () => {
    const conv = new Conv2d(1, 1, 2, {
      ...f64,
      init: { weight: (s, o) => init.constant(s, 1, o), bias: (s, o) => init.constant(s, 0.5, o) },
    });
    const x = arange(0, 9, f64).reshape([1, 1, 3, 3]);
    // Each output is the sum of a 2×2 window plus the bias.
    expect(conv.call(x).toArray()).toEqual([
      [
        [
          [8.5, 12.5],
          [20.5, 24.5],
        ],
      ],
    ]);
    const opts = { stride: 2, padding: [1, 0], dilation: [2, 1], groups: 3 } as const;
    const strided = new Conv2d(3, 6, [2, 3], { ...f64, ...opts, generator: gen(1) });
    const input = x64([2, 3, 7, 8]);
    const want = conv2d(input, strided.weight, strided.bias, opts);
    expect(strided.call(input).shape).toEqual([2, 6, 4, 3]);
    expect(strided.call(input).toArray()).toEqual(want.toArray());
  });

  test("groups convolve their own channels only", () => {
    const conv = new Conv2d(4, 6, 1, { ...f64, groups: 2, generator: gen(2) });
    expect(conv.weight.shape).toEqual([6, 2, 1, 1]);
    const x = x64([1, 4, 3, 3]);
    const y = conv.call(x);
    // Changing the second group's input channels (2, 3) leaves the first group's outputs (0-2) alone.
    const x2 = x.mul(tensor([1, 1, 5, -2], f64).reshape([1, 4, 1, 1]));
    const y2 = conv.call(x2);
    const firstGroup = (t: Tensor) => (t.toArray() as number[][][][])[0]?.slice(0, 3);
    const secondGroup = (t: Tensor) => (t.toArray() as number[][][][])[0]?.slice(3);
    expect(firstGroup(y2)).toEqual(firstGroup(y));
    expect(secondGroup(y2)).not.toEqual(secondGroup(y));
  });

  test("state-dict names and shapes are PyTorch's: weight [out, in / groups, kh, kw], bias [out]", () => {
    const conv = new Conv2d(4, 6, [3, 2], { groups: 2 });
    const sd = conv.stateDict();
    expect(Object.entries(sd).map(([n, t]) => [n, t.shape])).toEqual([
      ["weight", [6, 2, 3, 2]],
      ["bias", [6]],
    ]);
    expect(conv.numParameters()).toBe(6 * 2 * 3 * 2 + 6);
    const other = new Conv2d(4, 6, [3, 2], { groups: 2, generator: gen(9) });
    other.loadStateDict(sd);
    expect(other.weight.toArray()).toEqual(conv.weight.toArray());

    const noBias = new Conv2d(3, 2, 3, { bias: false });
    expect(noBias.bias).toBeNull();
    expect(Object.keys(noBias.stateDict())).toEqual(["weight"]);
    expect(noBias.call(zeros([1, 3, 3, 3])).toArray()).toEqual([[[[0]], [[0]]]]);
  });

  test("extraRepr lists channels, kernel and stride, and the settings not at their defaults", () => {
    expect(new Conv2d(1, 8, 3).extraRepr()).toBe(
      "inChannels=1, outChannels=8, kernelSize=[3, 3], stride=[1, 1]",
    );
    expect(new Conv2d(1, 8, 3, { padding: "valid" }).extraRepr()).not.toMatch(/padding/);
    expect(
      new Conv2d(4, 8, [3, 1], {
        stride: [2, 1],
        padding: [1, 0],
        dilation: 2,
        groups: 4,
        bias: false,
      }).extraRepr(),
    ).toBe(
      "inChannels=4, outChannels=8, kernelSize=[3, 1], stride=[2, 1], padding=[1, 0], dilation=[2, 2], groups=4, bias=false",
    );
    expect(new Conv2d(2, 2, 3, { padding: "same" }).extraRepr()).toMatch(/padding="same"/);
  });

  test("errors name the layer, the values and the rule", () => {
    expect(() => new Conv2d(0, 4, 3)).toThrow(ValueError);
    expect(() => new Conv2d(0, 4, 3)).toThrow(/Conv2d: inChannels must be a positive integer; got 0/);
    expect(() => new Conv2d(3, 2.5, 3)).toThrow(/Conv2d: outChannels must be a positive integer; got 2.5/);
    expect(() => new Conv2d(3, 4, 3, { groups: 0 })).toThrow(
      /Conv2d: groups must be a positive integer; got 0/,
    );
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(
      /Conv2d: inChannels 3 must be divisible by groups 2/,
    );
    expect(() => new Conv2d(4, 3, 3, { groups: 2 })).toThrow(
      /Conv2d: outChannels 3 must be divisible by groups 2/,
    );
    expect(() => new Conv2d(1, 1, 0)).toThrow(
      /Conv2d: kernelSize must be a positive integer or a pair of them; got 0/,
    );
    expect(() => new Conv2d(1, 1, 3, { stride: [1, 0] })).toThrow(
      /Conv2d: stride must be a positive integer/,
    );
    expect(() => new Conv2d(1, 1, 3, { padding: -1 })).toThrow(
      /Conv2d: padding must be a non-negative integer/,
    );
    expect(() => new Conv2d(1, 1, 3, { dilation: 0 })).toThrow(/Conv2d: dilation must be a positive integer/);
    expect(() => new Conv2d(1, 1, 3, { padding: "same", stride: 2 })).toThrow(
      /Conv2d: padding "same" needs stride 1; got stride \[2, 2\]/,
    );
    expect(() => new Conv2d(1, 1, 3, { dtype: "int32" })).toThrow(DTypeError);

    const conv = new Conv2d(4, 2, 3);
    expect(() => conv.call(zeros([2, 3, 5, 5]))).toThrow(ShapeError);
    expect(() => conv.call(zeros([2, 3, 5, 5]))).toThrow(
      /Conv2d: input has shape \[2, 3, 5, 5\]; expected \[n, 4, h, w\] or \[4, h, w\]/,
    );
    expect(() => conv.call(zeros([4, 5]))).toThrow(/Conv2d: input has shape \[4, 5\]/);
    expect(() => conv.call(zeros([1, 4, 2, 2]))).toThrow(/does not fit/);
  });
});

describe("pooling layers", () => {
  const x = tensor([1, 2, 5, 0, 3, 4, 1, 1, 0, 0, 2, 2, 9, 0, 2, 3], { shape: [1, 1, 4, 4] });

  test("MaxPool2d takes each window's largest value; the stride defaults to the window", () => {
    const pool = new MaxPool2d(2);
    expect(pool.stride).toEqual([2, 2]);
    expect(pool.call(x).toArray()).toEqual([
      [
        [
          [4, 5],
          [9, 3],
        ],
      ],
    ]);
    expect(new MaxPool2d([2, 1], { stride: [2, 1] }).call(x).shape).toEqual([1, 1, 2, 4]);
    expect(new MaxPool2d(3, { stride: 1, padding: 1 }).call(x).shape).toEqual([1, 1, 4, 4]);
    expect(pool.parameters()).toEqual([]);
  });

  test("AvgPool2d takes each window's mean, counting the padding unless told not to", () => {
    expect(new AvgPool2d(2).call(x).toArray()).toEqual([
      [
        [
          [2.5, 1.75],
          [2.25, 2.25],
        ],
      ],
    ]);
    const padded = (countIncludePad: boolean) =>
      new AvgPool2d(3, { stride: 1, padding: 1, countIncludePad }).call(ones([1, 1, 2, 2], f64));
    expect(padded(true).toArray()).toEqual([
      [
        [
          [4 / 9, 4 / 9],
          [4 / 9, 4 / 9],
        ],
      ],
    ]);
    expect(padded(false).toArray()).toEqual([
      [
        [
          [1, 1],
          [1, 1],
        ],
      ],
    ]);
  });

  test("extraRepr lists kernel and stride, and the settings not at their defaults", () => {
    expect(new MaxPool2d(2).extraRepr()).toBe("kernelSize=[2, 2], stride=[2, 2]");
    expect(new MaxPool2d(3, { stride: 1, padding: 1, dilation: [1, 2] }).extraRepr()).toBe(
      "kernelSize=[3, 3], stride=[1, 1], padding=[1, 1], dilation=[1, 2]",
    );
    expect(new AvgPool2d([2, 4], { padding: [1, 2], countIncludePad: false }).extraRepr()).toBe(
      "kernelSize=[2, 4], stride=[2, 4], padding=[1, 2], countIncludePad=false",
    );
  });

  test("errors name the layer, the values and the rule", () => {
    expect(() => new MaxPool2d(0)).toThrow(ValueError);
    expect(() => new MaxPool2d(0)).toThrow(
      /MaxPool2d: kernelSize must be a positive integer or a pair of them; got 0/,
    );
    expect(() => new AvgPool2d(2, { stride: 0 })).toThrow(/AvgPool2d: stride must be a positive integer/);
    expect(() => new MaxPool2d(2, { dilation: -1 })).toThrow(
      /MaxPool2d: dilation must be a positive integer/,
    );
    expect(() => new AvgPool2d(2, { padding: 2 })).toThrow(
      /AvgPool2d: padding \[2, 2\] must be at most half the window \[2, 2\]/,
    );
    expect(() => new MaxPool2d(2).call(zeros([4, 4]))).toThrow(ShapeError);
  });
});

describe("Unflatten", () => {
  test("splits one axis into the given sizes, keeping the values", () => {
    const x = arange(2 * 64).reshape([2, 64]);
    const y = new Unflatten(1, [1, 8, 8]).call(x);
    expect(y.shape).toEqual([2, 1, 8, 8]);
    expect(Array.from(y.data())).toEqual(Array.from(x.data()));
    expect(new Flatten().call(y).toArray()).toEqual(x.toArray());
    expect(new Unflatten(0, [2, 3]).call(zeros([6, 5])).shape).toEqual([2, 3, 5]);
  });

  test("infers a -1 entry and counts a negative axis from the end", () => {
    expect(new Unflatten(1, [2, -1]).call(zeros([3, 6, 5])).shape).toEqual([3, 2, 3, 5]);
    expect(new Unflatten(-1, [-1, 4]).call(zeros([3, 8])).shape).toEqual([3, 2, 4]);
    expect(new Unflatten(-2, [3, 2]).call(zeros([6, 5])).shape).toEqual([3, 2, 5]);
    expect(new Unflatten(1, [2, 3]).extraRepr()).toBe("axis=1, sizes=[2, 3]");
  });

  test("errors say what does not fit", () => {
    expect(() => new Unflatten(1, [8, 8]).call(zeros([2, 63]))).toThrow(ShapeError);
    expect(() => new Unflatten(1, [8, 8]).call(zeros([2, 63]))).toThrow(
      /Unflatten: sizes \[8, 8\] do not fit axis 1 of input \[2, 63\]; they multiply to 64, expected the axis length 63/,
    );
    expect(() => new Unflatten(1, [4, -1]).call(zeros([2, 6]))).toThrow(
      /the axis length 6 does not divide by the other sizes' product 4/,
    );
    expect(() => new Unflatten(2, [1, 2]).call(zeros([2, 2]))).toThrow(
      /Unflatten: axis 2 is out of range for input \[2, 2\]/,
    );
    expect(() => new Unflatten(-3, [1, 2]).call(zeros([2, 2]))).toThrow(ShapeError);
    expect(() => new Unflatten(0, [-1, -1])).toThrow(ValueError);
    expect(() => new Unflatten(0, [-1, -1])).toThrow(/at most one -1; got \[-1,-1\]/);
    expect(() => new Unflatten(0, [])).toThrow(/non-empty/);
    expect(() => new Unflatten(0, [2, -3])).toThrow(ValueError);
    expect(() => new Unflatten(0.5, [2])).toThrow(/Unflatten: axis must be an integer; got 0.5/);
  });
});

describe("a CNN in Sequential", () => {
  const make = () =>
    new Sequential(
      new Unflatten(1, [1, 8, 8]),
      new Conv2d(1, 4, 3, { padding: 1, generator: gen(0) }),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(64, 10, { generator: gen(1) }),
    );

  test("runs forward and backward with the expected shapes", () => {
    const net = make();
    const x = randn([5, 64], { generator: gen(2), requiresGrad: true });
    const y = net.call(x);
    expect(y.shape).toEqual([5, 10]);
    y.mul(randn([5, 10], { generator: gen(3) }))
      .sum()
      .backward();
    expect(x.grad?.shape).toEqual([5, 64]);
    expect(net.namedParameters().map(([n, p]) => [n, p.grad?.shape])).toEqual([
      ["1.weight", [4, 1, 3, 3]],
      ["1.bias", [4]],
      ["5.weight", [10, 64]],
      ["5.bias", [10]],
    ]);
    for (const p of net.parameters()) expect(p.grad?.abs().max().item()).toBeGreaterThan(0);
  });

  test("toString shows every layer's settings, output shape and parameter count", () => {
    const net = make();
    net.call(zeros([5, 64]));
    expect(net.toString()).toBe(
      [
        "Sequential(",
        "  (0): Unflatten(axis=1, sizes=[1, 8, 8])  # [5, 1, 8, 8]",
        "  (1): Conv2d(inChannels=1, outChannels=4, kernelSize=[3, 3], stride=[1, 1], padding=[1, 1])  # [5, 4, 8, 8], 40 params",
        "  (2): ReLU()  # [5, 4, 8, 8]",
        "  (3): MaxPool2d(kernelSize=[2, 2], stride=[2, 2])  # [5, 4, 4, 4]",
        "  (4): Flatten(startAxis=1, endAxis=-1)  # [5, 64]",
        "  (5): Linear(inFeatures=64, outFeatures=10, bias=true)  # [5, 10], 650 params",
        ")  # [5, 10], 690 params",
        "690 parameters",
      ].join("\n"),
    );
  });
});

describe("ConvTranspose2d", () => {
  test("PyTorch's layout [in, out / groups, kh, kw] and init bound 1/√(out / groups · kh · kw)", () => {
    const up = new ConvTranspose2d(6, 8, 3, { ...f64, groups: 2, generator: gen(4) });
    expect(Object.entries(up.stateDict()).map(([n, t]) => [n, t.shape])).toEqual([
      ["weight", [6, 4, 3, 3]],
      ["bias", [8]],
    ]);
    const bound = 1 / Math.sqrt(4 * 3 * 3);
    expect(up.weight.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(up.weight.abs().max().item()).toBeGreaterThan(0.95 * bound);
    expect((up.bias as Tensor).abs().max().item()).toBeLessThanOrEqual(bound);
  });

  test("is autograd's convTranspose2d with its parameters, and stride 2 doubles the size", () => {
    const opts = { stride: 2, padding: 1, outputPadding: 1 } as const;
    const up = new ConvTranspose2d(3, 2, 3, { ...f64, ...opts, generator: gen(1) });
    const x = x64([2, 3, 4, 5]);
    const y = up.call(x);
    expect(y.shape).toEqual([2, 2, 8, 10]);
    expect(y.toArray()).toEqual(convTranspose2d(x, up.weight, up.bias, opts).toArray());
    expect(up.extraRepr()).toBe(
      "inChannels=3, outChannels=2, kernelSize=[3, 3], stride=[2, 2], padding=[1, 1], outputPadding=[1, 1]",
    );
  });

  test("bad settings and inputs get errors naming the layer and the rule", () => {
    expect(() => new ConvTranspose2d(3, 4, 3, { groups: 2 })).toThrow(
      /^ConvTranspose2d: inChannels 3 must be divisible by groups 2/,
    );
    expect(() => new ConvTranspose2d(2, 2, 3, { outputPadding: -1 })).toThrow(ValueError);
    const up = new ConvTranspose2d(2, 2, 2, { stride: 2, outputPadding: 2 });
    expect(() => up.call(zeros([1, 2, 3, 3]))).toThrow(/outputPadding \[2, 2\] must be less than the stride/);
    expect(() => up.call(zeros([1, 3, 3, 3]))).toThrow(
      /^ConvTranspose2d: input has shape \[1, 3, 3, 3\]; expected \[n, 2, h, w\]/,
    );
  });

  test("a convolutional autoencoder maps 8×8 images back to 8×8 and trains end to end", () => {
    const auto = new Sequential(
      new Conv2d(1, 4, 3, { ...f64, stride: 2, padding: 1, generator: gen(1) }), // 8×8 → 4×4
      new ReLU(),
      new ConvTranspose2d(4, 1, 4, { ...f64, stride: 2, padding: 1, generator: gen(2) }), // 4×4 → 8×8
    );
    const x = x64([3, 1, 8, 8]);
    expect(auto.call(x).shape).toEqual([3, 1, 8, 8]);
    expect(checkModule(auto, [x])).toBeGreaterThan(0);
  });
});

describe("pooling layers with ceilMode", () => {
  test("keep the last partial window, as PyTorch's ceil_mode does, and say so in their summary", () => {
    const x = arange(1, 10, f64).reshape([1, 1, 3, 3]);
    const max = new MaxPool2d(2, { ceilMode: true });
    expect(max.call(x).toArray()).toEqual([
      [
        [
          [5, 6],
          [8, 9],
        ],
      ],
    ]);
    expect(max.extraRepr()).toBe("kernelSize=[2, 2], stride=[2, 2], ceilMode=true");
    const avg = new AvgPool2d(2, { ceilMode: true });
    expect(avg.call(x).toArray()).toEqual([
      [
        [
          [3, 4.5],
          [7.5, 9],
        ],
      ],
    ]);
    expect(new MaxPool2d(2).call(x).shape).toEqual([1, 1, 1, 1]);
    expect(
      checkModule(new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: true }), [x64([1, 2, 6, 5])]),
    ).toBeGreaterThan(0);
  });
});
