// Module: the base class of layers, losses and models. It finds parameters and submodules by walking
// the instance's own properties, so a subclass only assigns them and writes `forward`.

import { noGrad, Tensor, tensor, ValueError } from "@tapegrad/autograd";
import { fmtShape } from "./format.js";

/** Where a parameter lives: `owner[key]`, or `owner[key][index]` for an array of tensors. @internal */
export interface ParamSlot {
  readonly name: string;
  readonly owner: Module;
  readonly key: string;
  readonly index: number | null;
  readonly tensor: Tensor;
}

/**
 * What {@link Module.loadStateDict} did not match: names the model has but the state dict lacks
 * (`missing`), and names the state dict has but the model lacks (`unexpected`). Both are empty after a
 * strict load.
 *
 * @example
 * ```ts
 * import { Linear, type LoadStateDictResult } from "@tapegrad/nn";
 * const a = new Linear(2, 1);
 * const r: LoadStateDictResult = a.loadStateDict({ weight: a.weight }, { strict: false });
 * console.log(r.missing); // ["bias"]
 * ```
 * @category Modules
 */
export interface LoadStateDictResult {
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
}

/**
 * Thrown by {@link Module.loadStateDict} when a state dict does not fit the model. One error lists every
 * problem (missing and unexpected names in strict mode, wrong shapes and dtypes always), and nothing has
 * been copied when it is thrown.
 *
 * @example
 * ```ts
 * import { Linear, StateDictError } from "@tapegrad/nn";
 * try {
 *   new Linear(2, 3).loadStateDict(new Linear(3, 2).stateDict());
 * } catch (e) {
 *   console.log(e instanceof StateDictError, (e as StateDictError).mismatched.length); // true 2
 * }
 * ```
 * @category Errors
 */
export class StateDictError extends ValueError {
  override name = "StateDictError";
  /** Names the model has and the state dict lacks (strict mode only). */
  readonly missing: readonly string[];
  /** Names the state dict has and the model lacks (strict mode only). */
  readonly unexpected: readonly string[];
  /** Names present in both whose value has the wrong shape or dtype (or is not a tensor). */
  readonly mismatched: readonly string[];

  /** @internal */
  constructor(
    message: string,
    missing: readonly string[],
    unexpected: readonly string[],
    mismatched: readonly string[],
  ) {
    super(message);
    this.missing = missing;
    this.unexpected = unexpected;
    this.mismatched = mismatched;
  }
}

const outputShapes = new WeakMap<Module, readonly number[]>();

/** Names of the properties each module registered as buffers (state that is saved but not trained). */
const bufferNames = new WeakMap<Module, Set<string>>();

/** Records `m`'s output shape for the summary when a container ran it without `call` (fused). @internal */
export function noteOutputShape(m: Module, shape: readonly number[]): void {
  outputShapes.set(m, shape);
}

function isModuleArray(v: unknown): v is readonly Module[] {
  return Array.isArray(v) && v.length > 0 && v.every((m) => m instanceof Module);
}

function isParam(v: unknown): v is Tensor {
  return v instanceof Tensor && v.requiresGrad && v.isLeaf;
}

function isParamArray(v: unknown): v is readonly Tensor[] {
  return Array.isArray(v) && v.length > 0 && v.every(isParam);
}

/**
 * Base class of every layer, loss and model, like PyTorch's `nn.Module`. Subclasses assign parameters
 * (tensors that require grad), submodules and arrays of submodules to `this` and write `forward`; the
 * module finds them by walking its own properties, in assignment order. Names are dotted paths
 * (`encoder.0.weight`), the same as PyTorch gives for the same structure, so state dicts line up.
 *
 * Run a module with {@link Module.call} (typed like `forward`); `call` also records the output shape
 * shown by {@link Module.toString}.
 *
 * @example
 * ```ts
 * import { Linear, Module } from "@tapegrad/nn";
 * import { randn, type Tensor } from "@tapegrad/autograd";
 * class MLP extends Module {
 *   hidden = new Linear(4, 8);
 *   out = new Linear(8, 2);
 *   forward(x: Tensor): Tensor {
 *     return this.out.call(this.hidden.call(x).relu());
 *   }
 * }
 * const model = new MLP();
 * console.log(model.call(randn([3, 4])).shape); // [3, 2]
 * console.log(model.namedParameters().map(([name]) => name)); // ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]
 * ```
 * @category Modules
 */
export abstract class Module {
  /** True in training mode (the default), false after {@link Module.eval}. Dropout reads it. */
  training = true;

  /** The computation. Call modules through {@link Module.call}, not `forward`. */
  // biome-ignore lint/suspicious/noExplicitAny: subclasses choose their own argument and result types.
  abstract forward(...inputs: any[]): any;

  /**
   * Runs {@link Module.forward} with the given inputs and returns its result; typed like the subclass's
   * `forward`.
   */
  call(...inputs: Parameters<this["forward"]>): ReturnType<this["forward"]> {
    const out = this.forward(...inputs);
    if (out instanceof Tensor) outputShapes.set(this, out.shape);
    return out;
  }

  /**
   * The parameters with their dotted names, each tensor once (a shared tensor under its first name).
   * @example
   * ```ts
   * import { Linear } from "@tapegrad/nn";
   * console.log(new Linear(2, 3).namedParameters().map(([n, p]) => [n, p.shape])); // [["weight", [3, 2]], ["bias", [3]]]
   * ```
   */
  namedParameters(): [string, Tensor][] {
    return paramSlots(this, true).map((s) => [s.name, s.tensor]);
  }

  /**
   * The parameters (tensors that require grad, found recursively), each once: what an optimizer takes.
   * @example
   * ```ts
   * import { Linear, SGD } from "@tapegrad/nn";
   * const model = new Linear(2, 3);
   * const opt = new SGD(model.parameters(), { lr: 0.1 });
   * console.log(model.parameters().length); // 2
   * ```
   */
  parameters(): Tensor[] {
    return paramSlots(this, true).map((s) => s.tensor);
  }

  /** The number of scalar parameters (each shared tensor counted once). */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /**
   * Direct submodules with their names: a module property by its key, an array of modules as `key.0`,
   * `key.1`, ...
   * @example
   * ```ts
   * import { Linear, Sequential, Sigmoid } from "@tapegrad/nn";
   * const net = new Sequential(new Linear(2, 2), new Sigmoid());
   * console.log(net.namedChildren().map(([n]) => n)); // ["0", "1"]
   * ```
   */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [key, v] of Object.entries(this)) {
      if (v instanceof Module) out.push([key, v]);
      else if (isModuleArray(v)) {
        for (const [i, c] of v.entries()) out.push([`${key}.${i}`, c]);
      }
    }
    return out;
  }

  /** Direct submodules (see {@link Module.namedChildren}). */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /**
   * This module (named `""`) and every module below it with dotted names, each module once, depth first.
   * @example
   * ```ts
   * import { Linear, Sequential, Sigmoid } from "@tapegrad/nn";
   * const net = new Sequential(new Linear(2, 2), new Sigmoid());
   * console.log(net.namedModules().map(([n]) => n)); // ["", "0", "1"]
   * ```
   */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (m: Module, name: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [child, c] of m.namedChildren()) visit(c, name === "" ? child : `${name}.${child}`);
    };
    visit(this, "");
    return out;
  }

  /** This module and every module below it (see {@link Module.namedModules}). */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Sets training mode on this module and all below it (`mode = false` is evaluation mode).
   * @example
   * ```ts
   * import { Dropout, Sequential } from "@tapegrad/nn";
   * const net = new Sequential(new Dropout(0.5));
   * net.eval();
   * console.log(net.at(0).training); // false
   * net.train();
   * console.log(net.at(0).training); // true
   * ```
   */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. Dropout becomes the identity. */
  eval(): this {
    return this.train(false);
  }

  /** Drops the gradient of every parameter (`p.grad = null`), as optimizers' `zeroGrad()` do. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Registers `value` as a buffer named `name`: state that is saved and loaded with the parameters but not
   * trained, such as batch normalisation's running statistics (PyTorch's `register_buffer`). The tensor is
   * assigned to `this[name]`; reassign that property to replace it. A buffer must not require grad.
   * @throws {ValueError} If `value` is not a tensor, requires grad, or `name` is taken by something else.
   * @example
   * ```ts
   * import { Module } from "@tapegrad/nn";
   * import { type Tensor, zeros } from "@tapegrad/autograd";
   * class Counter extends Module {
   *   declare seen: Tensor;
   *   constructor() {
   *     super();
   *     this.registerBuffer("seen", zeros([1]));
   *   }
   *   forward(x: Tensor): Tensor {
   *     return x;
   *   }
   * }
   * const c = new Counter();
   * console.log(Object.keys(c.stateDict()), c.parameters().length); // ["seen"] 0
   * ```
   */
  registerBuffer(name: string, value: Tensor): void {
    if (!(value instanceof Tensor) || value.requiresGrad) {
      throw new ValueError(
        `${this.constructor.name}.registerBuffer: ${quote(name)} must be a tensor that does not require grad`,
      );
    }
    const existing: unknown = (this as Record<string, unknown>)[name];
    const names = bufferNames.get(this) ?? new Set<string>();
    if (existing !== undefined && !names.has(name)) {
      throw new ValueError(`${this.constructor.name}.registerBuffer: ${quote(name)} is already a property`);
    }
    names.add(name);
    bufferNames.set(this, names);
    Object.defineProperty(this, name, { value, enumerable: true, writable: true, configurable: true });
  }

  /**
   * Buffers (see {@link Module.registerBuffer}) of this module and all below it, with dotted names.
   * @example
   * ```ts
   * import { BatchNorm1d, Sequential } from "@tapegrad/nn";
   * const net = new Sequential(new BatchNorm1d(3));
   * console.log(net.namedBuffers().map(([n]) => n)); // ["0.running_mean", "0.running_var", "0.num_batches_tracked"]
   * ```
   */
  namedBuffers(): [string, Tensor][] {
    return paramSlots(this, true, true)
      .filter((s) => !isParam(s.tensor))
      .map((s) => [s.name, s.tensor]);
  }

  /**
   * The parameters and buffers as a plain record of detached copies, named as
   * {@link Module.namedParameters} and {@link Module.namedBuffers} name them (a shared tensor appears under
   * each of its names, as in PyTorch). Later training does not change the copies. Save it with
   * {@link saveSafetensors}.
   * @example
   * ```ts
   * import { Linear } from "@tapegrad/nn";
   * const sd = new Linear(2, 3).stateDict();
   * console.log(Object.keys(sd), sd.weight?.requiresGrad); // ["weight", "bias"] false
   * ```
   */
  stateDict(): Record<string, Tensor> {
    return Object.fromEntries(
      paramSlots(this, false, true).map((s) => [
        s.name,
        tensor(s.tensor.data(), { shape: s.tensor.shape, dtype: s.tensor.dtype }),
      ]),
    );
  }

  /**
   * Copies values from a state dict into the parameters and buffers, in place (so optimizers holding the
   * parameters keep working). Everything is checked first and the problems are reported together in one
   * {@link StateDictError}; when it throws, no parameter has changed. `strict` (default true) also
   * rejects missing and unexpected names; a wrong shape or dtype is an error in either mode.
   * @throws {StateDictError} If the state dict does not fit; the message lists every problem.
   * @example
   * ```ts
   * import { Linear } from "@tapegrad/nn";
   * import { Generator } from "@tapegrad/autograd";
   * const a = new Linear(2, 3, { generator: new Generator(1) });
   * const b = new Linear(2, 3, { generator: new Generator(2) });
   * b.loadStateDict(a.stateDict());
   * console.log(JSON.stringify(b.weight.toArray()) === JSON.stringify(a.weight.toArray())); // true
   * ```
   */
  loadStateDict(
    stateDict: Readonly<Record<string, Tensor>>,
    options: { strict?: boolean } = {},
  ): LoadStateDictResult {
    const strict = options.strict ?? true;
    const slots = paramSlots(this, false, true);
    const expected = new Set(slots.map((s) => s.name));
    const given = Object.keys(stateDict);
    const missing = slots.map((s) => s.name).filter((n) => !Object.hasOwn(stateDict, n));
    const unexpected = given.filter((n) => !expected.has(n));
    const mismatched: string[] = [];
    const problems: string[] = [];
    if (strict && missing.length > 0) problems.push(`missing ${missing.map(quote).join(", ")}`);
    if (strict && unexpected.length > 0) problems.push(`unexpected ${unexpected.map(quote).join(", ")}`);
    const writes: [Tensor, Tensor][] = [];
    for (const s of slots) {
      if (!Object.hasOwn(stateDict, s.name)) continue;
      const v: unknown = stateDict[s.name];
      const want = `${fmtShape(s.tensor.shape)} ${s.tensor.dtype}`;
      if (!(v instanceof Tensor)) {
        mismatched.push(s.name);
        problems.push(`${quote(s.name)} is not a Tensor (got ${describe(v)}), expected ${want}`);
      } else if (
        v.dtype !== s.tensor.dtype ||
        v.ndim !== s.tensor.ndim ||
        v.shape.some((n, i) => n !== s.tensor.shape[i])
      ) {
        mismatched.push(s.name);
        problems.push(`${quote(s.name)} has ${fmtShape(v.shape)} ${v.dtype}, expected ${want}`);
      } else {
        writes.push([s.tensor, v]);
      }
    }
    if (problems.length > 0) {
      throw new StateDictError(
        `loadStateDict: the state dict does not fit ${this.constructor.name}; nothing was loaded:\n` +
          problems.map((p) => `  - ${p}`).join("\n"),
        strict ? missing : [],
        strict ? unexpected : [],
        mismatched,
      );
    }
    noGrad(() => {
      for (const [target, value] of writes) target.assign(value);
    });
    return { missing, unexpected };
  }

  /**
   * Extra text inside this module's parentheses in {@link Module.toString}, such as `inFeatures=2`.
   * Override it in layers with settings; the default is empty.
   */
  extraRepr(): string {
    return "";
  }

  /**
   * A summary in PyTorch's layout: one line per module with its settings, then, after `#`, the output
   * shape of its last {@link Module.call} (when there was one) and its parameter count; the last line
   * gives the total.
   * @example
   * ```ts
   * import { Linear, Sequential, Sigmoid } from "@tapegrad/nn";
   * import { zeros } from "@tapegrad/autograd";
   * const net = new Sequential(new Linear(64, 32), new Sigmoid());
   * net.call(zeros([5, 64]));
   * console.log(net.toString());
   * // Sequential(
   * //   (0): Linear(inFeatures=64, outFeatures=32, bias=true)  # [5, 32], 2,080 params
   * //   (1): Sigmoid()  # [5, 32]
   * // )  # [5, 32], 2,080 params
   * // 2,080 parameters
   * ```
   */
  toString(): string {
    return `${reprLines(this, "").join("\n")}\n${fmtCount(this.numParameters())} parameters`;
  }
}

/**
 * Every parameter slot under `root`, depth first in assignment order. With `dedupe`, a tensor or module
 * reached twice is listed once (under its first name); without, only cycles are cut.
 * @internal
 */
export function paramSlots(root: Module, dedupe: boolean, withBuffers = false): ParamSlot[] {
  const slots: ParamSlot[] = [];
  const seenTensors = new Set<Tensor>();
  const seenModules = new Set<Module>();
  const visit = (m: Module, prefix: string, path: Set<Module>): void => {
    if (path.has(m) || (dedupe && seenModules.has(m))) return;
    seenModules.add(m);
    path.add(m);
    const record = (tensor: Tensor, name: string, key: string, index: number | null): void => {
      if (dedupe && seenTensors.has(tensor)) return;
      seenTensors.add(tensor);
      slots.push({ name, owner: m, key, index, tensor });
    };
    const buffers = withBuffers ? bufferNames.get(m) : undefined;
    for (const [key, v] of Object.entries(m)) {
      if (isParam(v) || (buffers?.has(key) === true && v instanceof Tensor))
        record(v, prefix + key, key, null);
      else if (v instanceof Module) visit(v, `${prefix}${key}.`, path);
      else if (isModuleArray(v)) {
        for (const [i, c] of v.entries()) visit(c, `${prefix}${key}.${i}.`, path);
      } else if (isParamArray(v)) {
        for (const [i, t] of v.entries()) record(t, `${prefix}${key}.${i}`, key, i);
      }
    }
    path.delete(m);
  };
  visit(root, "", new Set());
  return slots;
}

function reprLines(m: Module, indent: string, shown = new Set<Module>()): string[] {
  if (shown.has(m)) return [`${indent}${m.constructor.name}(...)  # shown above`];
  shown.add(m);
  const shape = outputShapes.get(m);
  const count = m.numParameters();
  const notes = [shape ? fmtShape(shape) : null, count > 0 ? `${fmtCount(count)} params` : null].filter(
    (x) => x !== null,
  );
  const note = notes.length > 0 ? `  # ${notes.join(", ")}` : "";
  const children = m.namedChildren();
  if (children.length === 0) return [`${indent}${m.constructor.name}(${m.extraRepr()})${note}`];
  const inner = children.flatMap(([name, c]) => {
    const lines = reprLines(c, `${indent}  `, shown);
    lines[0] = `${indent}  (${name}): ${(lines[0] as string).trimStart()}`;
    return lines;
  });
  const extra = m.extraRepr();
  return [
    `${indent}${m.constructor.name}(`,
    ...(extra === "" ? [] : [`${indent}  ${extra}`]),
    ...inner,
    `${indent})${note}`,
  ];
}

function fmtCount(n: number): string {
  return n.toLocaleString("en-US");
}

function quote(name: string): string {
  return JSON.stringify(name);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v;
}
