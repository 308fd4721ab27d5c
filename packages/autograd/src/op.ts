// What an op is (forward kernel + vjp rule, declared once) and apply(), the one place where an op
// runs and is recorded on the tape.

import { isFloat } from "./dtype.js";
import { AnomalyError, fmtShape } from "./errors.js";
import { isAnomalyEnabled, isGradEnabled } from "./grad-mode.js";
import type { NDArray } from "./ndarray.js";
import { type TapeNode, Tensor } from "./tensor.js";
import { versionOf } from "./version.js";

/** What a vjp rule receives: the op's inputs and output as tensors, the output's cotangent, the attrs. @internal */
export interface VjpContext<A> {
  readonly inputs: readonly Tensor[];
  readonly out: Tensor;
  /** Cotangent of `out`; same shape and dtype as `out`. */
  readonly g: Tensor;
  readonly attrs: A;
}

/**
 * One primitive: a forward function on raw arrays (validates, then calls a kernel) and a vjp rule written
 * with tapegrad's own differentiable ops, so that the backward pass can itself be recorded.
 * @internal
 */
export interface OpDef<A> {
  readonly name: string;
  /** Names of the inputs, used in messages ("input 'b'"). */
  readonly inputs: readonly string[];
  readonly forward: (xs: readonly NDArray[], attrs: A) => NDArray;
  /**
   * Cotangents for each input, possibly still in the output's broadcast shape (the tape sums them back);
   * `null` for an input that receives no gradient. Absent for an op that is not differentiable.
   */
  readonly vjp?: (ctx: VjpContext<A>) => readonly (Tensor | null)[];
}

/** Declares an op; the identity function, there for type inference and for one place to grep. @internal */
export function defineOp<A = undefined>(def: OpDef<A>): OpDef<A> {
  return def;
}

function hasNonFinite(x: NDArray): boolean {
  if (!isFloat(x.dtype)) return false;
  const d = x.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (v - v !== 0) return true;
  }
  return false;
}

/** Runs `op` forward on `inputs` and records it on the tape when any input requires grad. @internal */
export function apply<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  const value = op.forward(
    inputs.map((t) => t.nd),
    attrs,
  );
  // An int32 result (cast to int32) is a step function of its inputs: it carries no gradient.
  const record =
    op.vjp !== undefined && isFloat(value.dtype) && isGradEnabled() && inputs.some((t) => t.requiresGrad);
  const anomaly = isAnomalyEnabled();
  if (anomaly && hasNonFinite(value) && !inputs.some((t) => hasNonFinite(t.nd))) {
    throw new AnomalyError(
      `anomaly: '${op.name}' produced NaN or Infinity in its forward pass from finite inputs ` +
        `(${inputs.map((t) => `${fmtShape(t.shape)} ${t.dtype}`).join(", ")})\n${callerStack()}`,
    );
  }
  if (!record) return new Tensor(value, null, false);
  const versions = inputs.map((t) => versionOf(t.nd.data));
  versions.push(versionOf(value.data));
  const node: TapeNode = {
    op: op as OpDef<unknown>,
    inputs,
    attrs,
    freed: false,
    stack: anomaly ? callerStack() : undefined,
    versions,
  };
  return new Tensor(value, node, true);
}

/** The user's stack at the point an op was called, without tapegrad's own frames. @internal */
export function callerStack(): string {
  const lines = (new Error().stack ?? "").split("\n").slice(1);
  const user = lines.filter((l) => !/[\\/]autograd[\\/](src|dist)[\\/]/.test(l));
  return `recorded at:\n${(user.length > 0 ? user : lines).slice(0, 6).join("\n")}`;
}
