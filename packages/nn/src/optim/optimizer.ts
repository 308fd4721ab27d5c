// The Optimizer base class: the parameter list, the learning rate, zeroGrad, and a step that visits
// every parameter with a gradient under noGrad.

import { DTypeError, noGrad, Tensor, ValueError } from "@tapegrad/autograd";

/**
 * Base class of the optimizers. It keeps the parameters (each once), a mutable learning rate `lr` (the
 * LR schedules set it), and calls {@link Optimizer.update} for every parameter that has a gradient, under
 * `noGrad`. Updates go through `Tensor.assign`, so parameters change in place and modules, state dicts and
 * other references keep seeing them; nothing touches the tape.
 *
 * @example
 * ```ts
 * import { Optimizer } from "@tapegrad/nn";
 * import { type Tensor, tensor } from "@tapegrad/autograd";
 * class SignSGD extends Optimizer {
 *   protected update(p: Tensor, g: Tensor): void {
 *     p.assign(p.sub(g.sign().mul(this.lr)));
 *   }
 * }
 * const w = tensor([1, -1], { requiresGrad: true });
 * const opt = new SignSGD([w], 0.5);
 * w.mul(w).sum().backward();
 * opt.step();
 * console.log(w.toArray()); // [0.5, -0.5]
 * ```
 * @category Optimizers
 */
export abstract class Optimizer {
  /** The parameters, each once, in the order given. */
  readonly params: readonly Tensor[];
  /** The learning rate used by the next {@link Optimizer.step}. */
  lr: number;

  /**
   * @throws {ValueError} If the parameter list is empty or `lr` is negative or not finite.
   * @throws {DTypeError} If an entry is not a floating-point tensor that requires grad.
   */
  constructor(params: Iterable<Tensor>, lr: number) {
    const name = this.constructor.name;
    const list: Tensor[] = [];
    const seen = new Set<Tensor>();
    let i = 0;
    for (const p of params) {
      if (!(p instanceof Tensor) || !p.requiresGrad || p.dtype === "int32") {
        throw new DTypeError(
          `${name}: parameter ${i} must be a float tensor that requires grad; got ` +
            (p instanceof Tensor ? `a ${p.dtype} tensor with requiresGrad ${p.requiresGrad}` : typeof p),
        );
      }
      if (!seen.has(p)) list.push(p);
      seen.add(p);
      i++;
    }
    if (list.length === 0) throw new ValueError(`${name}: got an empty parameter list`);
    checkNonNegative(name, "lr", lr);
    this.params = list;
    this.lr = lr;
  }

  /**
   * Updates one parameter in place from its gradient; `index` is its position in {@link Optimizer.params},
   * for per-parameter state. Called under `noGrad`.
   */
  protected abstract update(p: Tensor, g: Tensor, index: number): void;

  /** Applies one update to every parameter that has a gradient (parameters without one are skipped). */
  step(): void {
    checkNonNegative(this.constructor.name, "lr", this.lr);
    noGrad(() => {
      this.params.forEach((p, i) => {
        if (p.grad !== null) this.update(p, p.grad, i);
      });
    });
  }

  /** Drops every parameter's gradient (`p.grad = null`), so the next backward starts from zero. */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }
}

/** @internal */
export function checkNonNegative(op: string, name: string, v: number): void {
  if (!(Number.isFinite(v) && v >= 0)) {
    throw new ValueError(`${op}: ${name} must be a finite number >= 0; got ${v}`);
  }
}

/** @internal */
export function checkBeta(op: string, name: string, v: number): void {
  if (!(v >= 0 && v < 1)) throw new ValueError(`${op}: ${name} must be in [0, 1); got ${v}`);
}
