// Reverse mode: topological order, the backward walk, fan-out accumulation, summing cotangents back to
// each input's shape, and freeing the graph afterwards.

import { isFloat } from "./dtype.js";
import { AnomalyError, AutogradError, fmtShape } from "./errors.js";
import { isAnomalyEnabled, withAnomalyMode, withGradMode } from "./grad-mode.js";
import { fillND } from "./ndarray.js";
import { add } from "./ops/binary.js";
import { cast } from "./ops/cast.js";
import { reshape } from "./ops/movement.js";
import { sum } from "./ops/reduce.js";
import { shapesEqual } from "./shape.js";
import { type TapeNode, Tensor } from "./tensor.js";
import { versionOf } from "./version.js";

/**
 * Options of {@link gradients} and {@link Tensor.backward}.
 *
 * @example
 * ```ts
 * import { tensor, type BackwardOptions } from "@tapegrad/autograd";
 * const opts: BackwardOptions = { retainGraph: true };
 * const x = tensor([1, 2], { requiresGrad: true });
 * const y = x.square().sum();
 * y.backward(undefined, opts);
 * y.backward(); // allowed: the graph was retained
 * console.log(x.grad?.toArray()); // [4, 8]
 * ```
 * @category Autodiff
 */
export interface BackwardOptions {
  /** Record the backward pass too, so the gradients can be differentiated again. Default false. */
  createGraph?: boolean;
  /** Keep the graph for another backward. Default: the value of `createGraph`. */
  retainGraph?: boolean;
}

/** Sums a cotangent over the axes along which `shape` was broadcast to reach `g`'s shape. @internal */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return reshape(sum(g, { axis: axes, keepDims: true }), shape);
}

/** Whether `shape` broadcasts to exactly `target`. */
function reducible(shape: readonly number[], target: readonly number[]): boolean {
  if (shape.length > target.length) return false;
  const lead = target.length - shape.length;
  return shape.every((n, i) => n === target[i + lead] || n === 1);
}

interface Walk {
  /** Tensors with a node whose inputs lead to a target, in topological order (inputs first). */
  order: Tensor[];
  visited: Tensor[];
}

/** Depth-first post-order from `outputs`, keeping only what leads to a tensor `isTarget` accepts. */
function walk(outputs: readonly Tensor[], isTarget: (t: Tensor) => boolean): Walk {
  const relevant = new Map<Tensor, boolean>();
  const order: Tensor[] = [];
  const visited: Tensor[] = [];
  const stack: [Tensor, number][] = [];
  for (const o of outputs) {
    if (!relevant.has(o)) stack.push([o, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [Tensor, number];
      const [t, i] = top;
      const node = t.node;
      if (i === 0) {
        if (relevant.has(t)) {
          stack.pop();
          continue;
        }
        if (node?.freed) {
          throw new AutogradError(
            `backward: the graph through '${node.op.name}' (output ${fmtShape(t.shape)}) was freed by an earlier ` +
              "backward; pass { retainGraph: true } to the first backward to run another",
          );
        }
        relevant.set(t, false); // provisional, guards against revisits
        visited.push(t);
      }
      const inputs = node?.inputs ?? [];
      if (i < inputs.length) {
        top[1] = i + 1;
        const next = inputs[i] as Tensor;
        if (!relevant.has(next) && next.requiresGrad) stack.push([next, 0]);
        continue;
      }
      stack.pop();
      const upstream = inputs.some((x) => relevant.get(x) === true);
      relevant.set(t, upstream || isTarget(t));
      if (upstream) order.push(t);
    }
  }
  return { order, visited };
}

/** Refuses to run a vjp whose saved input or output was overwritten in place after it was recorded. */
function checkVersions(node: TapeNode, out: Tensor): void {
  const tensors = [...node.inputs, out];
  tensors.forEach((x, i) => {
    if (versionOf(x.nd.data) !== node.versions[i]) {
      const which = i < node.inputs.length ? `input '${node.op.inputs[i] ?? i}'` : "output";
      throw new AutogradError(
        `backward: the ${which} ${fmtShape(x.shape)} of '${node.op.name}' was modified in place (assign) after ` +
          "it was recorded; its gradient would use the new values. Update parameters after backward(), not before",
      );
    }
  });
}

function hasNonFinite(t: Tensor): boolean {
  if (!isFloat(t.dtype)) return false;
  const d = t.nd.data;
  for (let i = 0; i < d.length; i++) if ((d[i] as number) - (d[i] as number) !== 0) return true;
  return false;
}

/**
 * Runs reverse mode from `outputs` (seeded with `seeds`) and returns the cotangent reaching each tensor
 * `isTarget` accepts. The core shared by `backward()` and every transform.
 * @internal
 */
export function runBackward(
  outputs: readonly Tensor[],
  seeds: readonly Tensor[],
  isTarget: (t: Tensor) => boolean,
  options: BackwardOptions,
): Map<Tensor, Tensor> {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const { order, visited } = walk(outputs, isTarget);
  const ct = new Map<Tensor, Tensor>();
  const accumulate = (t: Tensor, g: Tensor): void => {
    const prev = ct.get(t);
    ct.set(t, prev === undefined ? g : add(prev, g));
  };
  withGradMode(createGraph, () => {
    outputs.forEach((o, i) => {
      accumulate(o, seeds[i] as Tensor);
    });
    const anomaly = isAnomalyEnabled();
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k] as Tensor;
      const g = ct.get(t);
      const node = t.node;
      if (g === undefined || node === null) continue;
      const vjp = node.op.vjp;
      if (vjp === undefined) {
        throw new AutogradError(
          `backward: '${node.op.name}' is not differentiable; wrap its input in stopGradient() or detach()`,
        );
      }
      checkVersions(node, t);
      // NOTE: the ops inside a vjp are not checked one by one: a NaN there is reported below as coming
      // from the backward of this node, the op the user wrote, rather than from the div or mul the rule uses.
      const results = withAnomalyMode(false, () =>
        vjp({ inputs: node.inputs, out: t, g, attrs: node.attrs }),
      );
      node.inputs.forEach((x, i) => {
        const r = results[i];
        if (r === null || r === undefined || !x.requiresGrad) return;
        const name = node.op.inputs[i] ?? node.op.inputs[0] ?? `#${i}`;
        if (!reducible(x.shape, r.shape)) {
          throw new AutogradError(
            `internal: backward: vjp of '${node.op.name}' returned ${fmtShape(r.shape)} for input '${name}' ` +
              `of shape ${fmtShape(x.shape)}`,
          );
        }
        let gi = sumTo(r, x.shape);
        if (gi.dtype !== x.dtype) gi = cast(gi, x.dtype);
        if (anomaly && hasNonFinite(gi) && !hasNonFinite(g) && !node.inputs.some(hasNonFinite)) {
          throw new AnomalyError(
            `anomaly: the backward of '${node.op.name}' produced NaN or Infinity for input '${name}' ` +
              `${fmtShape(x.shape)} from a finite gradient\n${node.stack ?? "(recorded before anomaly mode was on)"}`,
          );
        }
        accumulate(x, gi);
      });
    }
  });
  if (!retainGraph) {
    for (const t of visited) {
      if (t.node !== null) {
        t.node.freed = true;
        t.node.inputs = [];
      }
    }
  }
  return ct;
}

function checkSeed(op: string, out: Tensor, g: Tensor | undefined): Tensor {
  if (g === undefined) {
    if (out.size !== 1) {
      throw new AutogradError(
        `${op}: the output has shape ${fmtShape(out.shape)}; a gradient is only implied for a one-element output, ` +
          "so pass gradOutput of the output's shape",
      );
    }
    return onesOf(out);
  }
  if (!shapesEqual(g.shape, out.shape)) {
    throw new AutogradError(
      `${op}: gradOutput has shape ${fmtShape(g.shape)} but the output has shape ${fmtShape(out.shape)}`,
    );
  }
  return g.dtype === out.dtype ? g : cast(g, out.dtype);
}

function onesOf(t: Tensor): Tensor {
  return new Tensor(fillND(t.dtype, t.shape, 1));
}

/**
 * Backpropagates from `out`: adds d out / d leaf into `.grad` of every leaf that requires grad
 * (a leaf used several times receives the sum). The graph is freed afterwards unless `retainGraph`.
 * @internal
 */
export function backward(out: Tensor, gradOutput?: Tensor, options: BackwardOptions = {}): void {
  if (!out.requiresGrad) {
    throw new AutogradError(
      "backward: this tensor does not require grad, so nothing was recorded; set requiresGrad on the leaves " +
        "(parameters, inputs) before computing it",
    );
  }
  const seed = checkSeed("backward", out, gradOutput);
  const isLeafTarget = (t: Tensor): boolean => t.node === null && t.requiresGrad;
  const ct = runBackward([out], [seed], isLeafTarget, options);
  const keep = options.createGraph ?? false;
  withGradMode(keep, () => {
    for (const [t, g] of ct) {
      if (!isLeafTarget(t)) continue;
      const gi = keep ? g : g.detach();
      t.grad = t.grad === null ? gi : add(t.grad, gi);
    }
  });
}

/**
 * Options of {@link gradients}.
 *
 * @example
 * ```ts
 * import { gradients, tensor, type GradientsOptions } from "@tapegrad/autograd";
 * const opts: GradientsOptions = { allowUnused: true };
 * const x = tensor([1], { requiresGrad: true });
 * const y = tensor([2], { requiresGrad: true });
 * console.log(gradients(x.mul(3).sum(), [x, y], opts)[1]); // null
 * ```
 * @category Autodiff
 */
export interface GradientsOptions extends BackwardOptions {
  /** Cotangent of each output; required for outputs with more than one element. */
  gradOutputs?: readonly Tensor[];
  /** Return null for an input the outputs do not depend on instead of throwing. Default false. */
  allowUnused?: boolean;
}

/**
 * The gradients of `outputs` with respect to `inputs`, returned rather than accumulated into `.grad`
 * (PyTorch's `torch.autograd.grad`). Inputs may be leaves or intermediate tensors.
 * @throws {AutogradError} If an output does not require grad, an implied gradient is for a non-scalar, or an
 * input is unused (unless `allowUnused`).
 * @example
 * ```ts
 * import { gradients, tensor } from "@tapegrad/autograd";
 * const x = tensor([3], { requiresGrad: true });
 * const [dx] = gradients(x.mul(x).sum(), [x]);
 * console.log(dx?.toArray()); // [6]
 * ```
 * @category Autodiff
 */
export function gradients(
  outputs: Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  options: GradientsOptions = {},
): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  outs.forEach((o, i) => {
    if (!o.requiresGrad) {
      throw new AutogradError(
        `gradients: output ${i} does not require grad; it does not depend on any input that does`,
      );
    }
  });
  const seeds = outs.map((o, i) => checkSeed("gradients", o, options.gradOutputs?.[i]));
  const targets = new Set(inputs);
  const ct = runBackward(outs, seeds, (t) => targets.has(t), options);
  return inputs.map((x, i) => {
    const g = ct.get(x);
    if (g !== undefined) return (options.createGraph ?? false) ? g : g.detach();
    if (options.allowUnused) return null;
    throw new AutogradError(
      `gradients: input ${i} (shape ${fmtShape(x.shape)}) is not used to compute the outputs; pass { allowUnused: true } to get null`,
    );
  });
}
