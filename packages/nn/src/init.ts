// Parameter initialisers: seeded draws of a given shape, or fills of an existing tensor in place.

import {
  type DType,
  DTypeError,
  div,
  full,
  type Generator,
  noGrad,
  rand,
  randn,
  type Shape,
  ShapeError,
  Tensor,
  ValueError,
} from "@tapegrad/autograd";
import { fmtShape } from "./format.js";

/**
 * Options every initialiser takes. `dtype` applies when a shape is given (a tensor keeps its own);
 * `fanIn`/`fanOut` override the fans computed from the shape, which is how a 1-D bias gets the fan of its
 * layer's weight.
 *
 * @example
 * ```ts
 * import { init, type InitOptions } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * const opts: InitOptions = { generator: new Generator(0), dtype: "float64", fanIn: 64 };
 * console.log(init.uniform([3], opts).dtype); // "float64"
 * ```
 * @category Initialisers
 */
export interface InitOptions {
  /** Element type of a new tensor; float32 by default. Ignored when filling a tensor. */
  dtype?: DType;
  /** Where the random numbers come from; the global generator by default. */
  generator?: Generator;
  /** Number of inputs feeding each output; computed from the shape when omitted. */
  fanIn?: number;
  /** Number of outputs each input feeds; computed from the shape when omitted. */
  fanOut?: number;
}

/**
 * An initialiser as layers take it: a new tensor of `shape`, drawn with the layer's generator, dtype and
 * fans. Every function of {@link init} fits.
 *
 * @example
 * ```ts
 * import { Linear, init, type Initializer } from "@tapegrad/nn";
 * const weight: Initializer = init.xavierUniform;
 * console.log(new Linear(3, 2, { init: { weight, bias: init.zeros } }).bias?.toArray()); // [0, 0]
 * ```
 * @category Initialisers
 */
export type Initializer = (shape: Shape, options: InitOptions) => Tensor;

/**
 * The nonlinearities {@link calculateGain} knows.
 *
 * @example
 * ```ts
 * import { calculateGain, type Nonlinearity } from "@tapegrad/nn";
 * const n: Nonlinearity = "tanh";
 * console.log(calculateGain(n)); // 1.6666666666666667
 * ```
 * @category Initialisers
 */
export type Nonlinearity = "linear" | "sigmoid" | "tanh" | "relu" | "leakyRelu" | "selu";

/**
 * Fans of a weight shape, as PyTorch computes them: for `[out, in, ...kernel]`, `fanIn = in · prod(kernel)`
 * and `fanOut = out · prod(kernel)`.
 * @throws {ShapeError} If the shape has fewer than 2 axes (pass `fanIn`/`fanOut` explicitly then).
 * @example
 * ```ts
 * import { init } from "@tapegrad/nn";
 * console.log(init.fans([32, 64])); // { fanIn: 64, fanOut: 32 }
 * ```
 * @category Initialisers
 */
export function fans(shape: Shape, op = "fans"): { fanIn: number; fanOut: number } {
  if (shape.length < 2) {
    throw new ShapeError(
      `${op}: fans need a weight of at least 2 axes [out, in, ...]; got ${fmtShape(shape)} ` +
        "(pass { fanIn, fanOut } for a bias)",
    );
  }
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: (shape[1] as number) * receptive, fanOut: (shape[0] as number) * receptive };
}

function resolveFans(op: string, shape: Shape, options: InitOptions): { fanIn: number; fanOut: number } {
  const need = options.fanIn === undefined || options.fanOut === undefined;
  const computed = need && shape.length >= 2 ? fans(shape, op) : null;
  const fanIn = options.fanIn ?? computed?.fanIn;
  const fanOut = options.fanOut ?? computed?.fanOut;
  if (fanIn === undefined || fanOut === undefined) fans(shape, op); // throws the explanatory ShapeError
  for (const [name, v] of [
    ["fanIn", fanIn],
    ["fanOut", fanOut],
  ] as const) {
    if (!Number.isInteger(v) || (v as number) < 0) {
      throw new ValueError(`${op}: ${name} must be a non-negative integer; got ${v}`);
    }
  }
  return { fanIn: fanIn as number, fanOut: fanOut as number };
}

/** Draws into a new tensor of `target`'s shape, or fills `target` in place and returns it. */
function emit(
  target: Shape | Tensor,
  options: InitOptions,
  draw: (shape: Shape, dtype: DType) => Tensor,
): Tensor {
  if (target instanceof Tensor) {
    const value = draw(target.shape, target.dtype);
    noGrad(() => target.assign(value));
    return target;
  }
  return draw(target, options.dtype ?? "float32");
}

function floatOnly(op: string, dtype: DType): void {
  if (dtype === "int32")
    throw new DTypeError(`${op}: random initialisers need float32 or float64; got int32`);
}

/**
 * The gain PyTorch recommends for a nonlinearity, which scales Xavier and Kaiming initialisers: 1 for
 * linear and sigmoid, 5/3 for tanh, √2 for relu, `√(2 / (1 + slope²))` for leakyRelu (slope default
 * 0.01), 3/4 for selu.
 * @throws {ValueError} For an unknown nonlinearity.
 * @example
 * ```ts
 * import { calculateGain } from "@tapegrad/nn";
 * console.log(calculateGain("relu")); // 1.4142135623730951
 * ```
 * @category Initialisers
 */
export function calculateGain(nonlinearity: Nonlinearity, slope?: number): number {
  switch (nonlinearity) {
    case "linear":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leakyRelu": {
      const a = slope ?? 0.01;
      return Math.sqrt(2 / (1 + a * a));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new ValueError(`calculateGain: unknown nonlinearity ${JSON.stringify(nonlinearity)}`);
  }
}

/**
 * Zeros. With a tensor, fills it in place and returns it.
 * @example
 * ```ts
 * import { init } from "@tapegrad/nn";
 * console.log(init.zeros([2]).toArray()); // [0, 0]
 * ```
 * @category Initialisers
 */
export function zeros(target: Shape | Tensor, options: InitOptions = {}): Tensor {
  return constant(target, 0, options);
}

/**
 * A constant value. With a tensor, fills it in place and returns it.
 * @throws {ValueError} If `value` is not a finite number.
 * @example
 * ```ts
 * import { init } from "@tapegrad/nn";
 * console.log(init.constant([2], 0.5).toArray()); // [0.5, 0.5]
 * ```
 * @category Initialisers
 */
export function constant(target: Shape | Tensor, value: number, options: InitOptions = {}): Tensor {
  if (!Number.isFinite(value)) throw new ValueError(`constant: value must be finite; got ${value}`);
  return emit(target, options, (shape, dtype) => full(shape, value, { dtype }));
}

/**
 * Uniform draws in `[low, high)` (default `[0, 1)`). With a tensor, fills it in place and returns it.
 * @throws {ValueError} If `low > high` or a bound is not finite.
 * @example
 * ```ts
 * import { init } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * const w = init.uniform([100], { low: -1, high: 1, generator: new Generator(0) });
 * console.log(w.abs().max().item() <= 1); // true
 * ```
 * @category Initialisers
 */
export function uniform(
  target: Shape | Tensor,
  options: InitOptions & { low?: number; high?: number } = {},
): Tensor {
  return emit(target, options, (shape, dtype) => {
    floatOnly("uniform", dtype);
    return rand(shape, { low: options.low ?? 0, high: options.high ?? 1, dtype, ...gen(options) });
  });
}

/**
 * Normal draws with `mean` (default 0) and `std` (default 1). With a tensor, fills it in place and
 * returns it. The notebook this project grew from draws its biases this way.
 * @throws {ValueError} If `std < 0` or a parameter is not finite.
 * @example
 * ```ts
 * import { init } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * console.log(init.normal([2, 3], { std: 0.1, generator: new Generator(0) }).shape); // [2, 3]
 * ```
 * @category Initialisers
 */
export function normal(
  target: Shape | Tensor,
  options: InitOptions & { mean?: number; std?: number } = {},
): Tensor {
  return emit(target, options, (shape, dtype) => {
    floatOnly("normal", dtype);
    return randn(shape, { mean: options.mean ?? 0, std: options.std ?? 1, dtype, ...gen(options) });
  });
}

/**
 * LeCun normal: `randn / √fanIn`, i.e. std `1/√fanIn`. The notebook this project grew from initialises
 * its weights this way (`np.random.randn(out, in) / np.sqrt(in)`).
 * @throws {ShapeError} If fans cannot be computed from the shape and are not given.
 * @example
 * ```ts
 * import { init } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * const w = init.lecunNormal([32, 64], { generator: new Generator(0) });
 * console.log(w.shape); // [32, 64]
 * ```
 * @category Initialisers
 */
export function lecunNormal(target: Shape | Tensor, options: InitOptions = {}): Tensor {
  const { fanIn } = resolveFans("lecunNormal", shapeOf(target), options);
  return emit(target, options, (shape, dtype) => {
    floatOnly("lecunNormal", dtype);
    const draws = randn(shape, { dtype, ...gen(options) });
    return fanIn === 0 ? draws.mul(0) : div(draws, Math.sqrt(fanIn));
  });
}

/**
 * Xavier/Glorot uniform: `U(-a, a)` with `a = gain · √(6 / (fanIn + fanOut))` (Glorot & Bengio, 2010).
 * @throws {ShapeError} If fans cannot be computed from the shape and are not given.
 * @example
 * ```ts
 * import { init } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * const w = init.xavierUniform([3, 5], { generator: new Generator(0) });
 * console.log(w.abs().max().item() <= Math.sqrt(6 / 8)); // true
 * ```
 * @category Initialisers
 */
export function xavierUniform(target: Shape | Tensor, options: InitOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = resolveFans("xavierUniform", shapeOf(target), options);
  const a = fanIn + fanOut === 0 ? 0 : (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(target, { ...options, low: -a, high: a });
}

/**
 * Xavier/Glorot normal: std `gain · √(2 / (fanIn + fanOut))`.
 * @throws {ShapeError} If fans cannot be computed from the shape and are not given.
 * @example
 * ```ts
 * import { init } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * console.log(init.xavierNormal([3, 5], { generator: new Generator(0) }).shape); // [3, 5]
 * ```
 * @category Initialisers
 */
export function xavierNormal(target: Shape | Tensor, options: InitOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = resolveFans("xavierNormal", shapeOf(target), options);
  const std = fanIn + fanOut === 0 ? 0 : (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  return normal(target, { ...options, mean: 0, std });
}

/**
 * Options of the Kaiming initialisers: `a` is the negative slope of a following leaky ReLU (default 0),
 * `mode` picks the fan that keeps the variance (`"fanIn"`, the default, for the forward pass; `"fanOut"`
 * for the backward pass), `nonlinearity` picks the gain (default `"leakyRelu"`, which with `a = 0` is
 * ReLU's √2).
 *
 * @example
 * ```ts
 * import { init, type KaimingOptions } from "@tapegrad/nn";
 * const opts: KaimingOptions = { mode: "fanOut", nonlinearity: "relu" };
 * console.log(init.kaimingNormal([4, 4], opts).shape); // [4, 4]
 * ```
 * @category Initialisers
 */
export interface KaimingOptions extends InitOptions {
  a?: number;
  mode?: "fanIn" | "fanOut";
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, target: Shape | Tensor, options: KaimingOptions): number {
  const { fanIn, fanOut } = resolveFans(op, shapeOf(target), options);
  const fan = (options.mode ?? "fanIn") === "fanIn" ? fanIn : fanOut;
  const gain = calculateGain(options.nonlinearity ?? "leakyRelu", options.a ?? 0);
  return fan === 0 ? 0 : gain / Math.sqrt(fan);
}

/**
 * He/Kaiming uniform: `U(-b, b)` with `b = gain · √(3 / fan)` (He et al., 2015). With `a = √5` this is
 * PyTorch's default for Linear weights, `U(±1/√fanIn)`.
 * @throws {ShapeError} If fans cannot be computed from the shape and are not given.
 * @example
 * ```ts
 * import { init } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * const w = init.kaimingUniform([8, 4], { a: Math.sqrt(5), generator: new Generator(0) });
 * // With a = √5 the bound is 1/√fanIn = 1/√4.
 * console.log(w.abs().max().item() <= 0.5); // true
 * ```
 * @category Initialisers
 */
export function kaimingUniform(target: Shape | Tensor, options: KaimingOptions = {}): Tensor {
  const b = Math.sqrt(3) * kaimingStd("kaimingUniform", target, options);
  return uniform(target, { ...options, low: -b, high: b });
}

/**
 * He/Kaiming normal: std `gain / √fan`.
 * @throws {ShapeError} If fans cannot be computed from the shape and are not given.
 * @example
 * ```ts
 * import { init } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * console.log(init.kaimingNormal([8, 4], { generator: new Generator(0) }).shape); // [8, 4]
 * ```
 * @category Initialisers
 */
export function kaimingNormal(target: Shape | Tensor, options: KaimingOptions = {}): Tensor {
  return normal(target, { ...options, mean: 0, std: kaimingStd("kaimingNormal", target, options) });
}

function shapeOf(target: Shape | Tensor): Shape {
  return target instanceof Tensor ? target.shape : target;
}

function gen(options: InitOptions): { generator?: Generator } {
  return options.generator === undefined ? {} : { generator: options.generator };
}

/**
 * Every initialiser in one object, like PyTorch's `nn.init`: `init.zeros`, `init.constant`, `init.uniform`,
 * `init.normal`, `init.lecunNormal`, `init.xavierUniform`, `init.xavierNormal`, `init.kaimingUniform`,
 * `init.kaimingNormal`, plus `init.fans` and `init.calculateGain`. Each takes a shape (and returns a new
 * tensor) or a tensor (and fills it in place), and fits {@link Initializer}. (`zeros` lives only here, so it
 * does not clash with autograd's `zeros`.)
 * @example
 * ```ts
 * import { Linear, init } from "@tapegrad/nn";
 * import { Generator } from "@tapegrad/autograd";
 * const layer = new Linear(4, 3);
 * init.xavierUniform(layer.weight, { generator: new Generator(0) }); // refill in place
 * init.zeros(layer.bias!);
 * console.log(layer.bias?.toArray()); // [0, 0, 0]
 * ```
 * @category Initialisers
 */
export const init = {
  fans,
  calculateGain,
  zeros,
  constant,
  uniform,
  normal,
  lecunNormal,
  xavierUniform,
  xavierNormal,
  kaimingUniform,
  kaimingNormal,
} as const;
