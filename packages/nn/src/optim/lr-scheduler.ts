// Learning-rate schedules: each sets its optimizer's lr from a closed form of the epoch count.

import { ValueError } from "@tapegrad/autograd";
import type { Optimizer } from "./optimizer.js";

/**
 * Base class of the learning-rate schedules. It remembers the optimizer's learning rate at construction
 * (`baseLr`) and, on each {@link LRScheduler.step} (once per epoch, after the optimizer's steps), advances
 * `lastEpoch` and sets `optimizer.lr` to {@link LRScheduler.lrAt} of the new epoch. Closed forms are used,
 * so there is no drift over many epochs.
 *
 * @example
 * ```ts
 * import { LRScheduler, SGD } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * class Halving extends LRScheduler {
 *   lrAt(epoch: number): number {
 *     return this.baseLr / 2 ** epoch;
 *   }
 * }
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
 * const sched = new Halving(opt);
 * sched.step();
 * console.log(opt.lr); // 0.5
 * ```
 * @category Optimizers
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  /** The optimizer's learning rate when the schedule was attached. */
  readonly baseLr: number;
  /** Epochs completed so far (0 after construction). */
  lastEpoch = 0;

  constructor(optimizer: Optimizer) {
    this.optimizer = optimizer;
    this.baseLr = optimizer.lr;
  }

  /** The learning rate for `epoch` (0 is the first). */
  abstract lrAt(epoch: number): number;

  /** Ends an epoch: sets the optimizer's learning rate for the next one. */
  step(): void {
    this.lastEpoch++;
    this.optimizer.lr = this.lrAt(this.lastEpoch);
  }

  /** The learning rate set by the last step (the base rate before any). */
  getLastLr(): number {
    return this.optimizer.lr;
  }
}

function positive(op: string, name: string, v: number, integer: boolean): void {
  if (!(v > 0 && Number.isFinite(v)) || (integer && !Number.isInteger(v))) {
    throw new ValueError(`${op}: ${name} must be a positive ${integer ? "integer" : "number"}; got ${v}`);
  }
}

/**
 * Multiplies the learning rate by `gamma` (default 0.1) every `stepSize` epochs:
 * `lr = baseLr · gamma^⌊epoch / stepSize⌋`.
 * @throws {ValueError} If `stepSize` is not a positive integer or `gamma` is not positive.
 * @example
 * ```ts
 * import { SGD, StepLR } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
 * const sched = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
 * const lrs = [];
 * for (let epoch = 0; epoch < 5; epoch++) { lrs.push(opt.lr); sched.step(); }
 * console.log(lrs); // [1, 1, 0.5, 0.5, 0.25]
 * ```
 * @category Optimizers
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    positive("StepLR", "stepSize", this.stepSize, true);
    positive("StepLR", "gamma", this.gamma, false);
  }

  lrAt(epoch: number): number {
    return this.baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/**
 * Multiplies the learning rate by `gamma` every epoch: `lr = baseLr · gamma^epoch`.
 * @throws {ValueError} If `gamma` is not positive.
 * @example
 * ```ts
 * import { ExponentialLR, SGD } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
 * const sched = new ExponentialLR(opt, { gamma: 0.5 });
 * sched.step();
 * sched.step();
 * console.log(opt.lr); // 0.25
 * ```
 * @category Optimizers
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { gamma: number }) {
    super(optimizer);
    this.gamma = options.gamma;
    positive("ExponentialLR", "gamma", this.gamma, false);
  }

  lrAt(epoch: number): number {
    return this.baseLr * this.gamma ** epoch;
  }
}

/**
 * Cosine annealing (Loshchilov & Hutter, 2017, without restarts) from `baseLr` down to `etaMin`
 * (default 0) over `tMax` epochs: `lr = etaMin + (baseLr − etaMin)·(1 + cos(π·epoch / tMax)) / 2`. Past
 * `tMax` the cosine continues, rising again, as PyTorch's closed form does.
 * @throws {ValueError} If `tMax` is not a positive integer or `etaMin` is negative.
 * @example
 * ```ts
 * import { CosineAnnealingLR, SGD } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
 * const sched = new CosineAnnealingLR(opt, { tMax: 4 });
 * sched.step();
 * sched.step();
 * console.log(opt.lr); // 0.5
 * ```
 * @category Optimizers
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: { tMax: number; etaMin?: number }) {
    super(optimizer);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    positive("CosineAnnealingLR", "tMax", this.tMax, true);
    if (!(this.etaMin >= 0))
      throw new ValueError(`CosineAnnealingLR: etaMin must be >= 0; got ${this.etaMin}`);
  }

  lrAt(epoch: number): number {
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}
