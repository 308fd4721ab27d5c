// Global switches read by every op: whether to record on the tape, and whether anomaly mode is on.

let gradEnabled = true;
let anomaly = false;

/** @internal */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** @internal */
export function isAnomalyEnabled(): boolean {
  return anomaly;
}

/** Runs `fn` with recording switched to `enabled`, restoring the previous state even if it throws. @internal */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs `fn` with anomaly mode switched to `enabled`, restoring the previous state even if it throws. @internal */
export function withAnomalyMode<T>(enabled: boolean, fn: () => T): T {
  const prev = anomaly;
  anomaly = enabled;
  try {
    return fn();
  } finally {
    anomaly = prev;
  }
}

/**
 * Runs `fn` without recording anything on the tape, like PyTorch's `torch.no_grad()`. Tensors made inside
 * do not require grad. Use it for evaluation and for optimizer updates.
 *
 * @example
 * ```ts
 * import { noGrad, tensor } from "@tapegrad/autograd";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => w.mul(3));
 * console.log(y.requiresGrad); // false
 * ```
 * @category Autodiff
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/**
 * Runs `fn` with recording switched back on inside a {@link noGrad} block.
 *
 * @example
 * ```ts
 * import { enableGrad, noGrad, tensor } from "@tapegrad/autograd";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => enableGrad(() => w.mul(3)));
 * console.log(y.requiresGrad); // true
 * ```
 * @category Autodiff
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/**
 * Runs `fn` in anomaly mode, like PyTorch's `detect_anomaly`: every op checks its output, and every
 * backward step its gradients, for NaN or Infinity that its inputs did not have. The first such op
 * throws an {@link AnomalyError} naming the op and the stack where it was recorded. Slow; for debugging.
 *
 * @example
 * ```ts
 * import { detectAnomaly, tensor, sqrt } from "@tapegrad/autograd";
 * const x = tensor([0, 4], { requiresGrad: true });
 * try {
 *   detectAnomaly(() => sqrt(x).sum().backward()); // d sqrt(x) at 0 is Infinity
 * } catch (e) {
 *   console.log((e as Error).message.split("\n")[0]);
 * }
 * ```
 * @category Debugging
 */
export function detectAnomaly<T>(fn: () => T): T {
  return withAnomalyMode(true, fn);
}

/**
 * Switches anomaly mode (see {@link detectAnomaly}) on or off globally and returns the previous setting.
 *
 * @example
 * ```ts
 * import { setDetectAnomaly } from "@tapegrad/autograd";
 * const before = setDetectAnomaly(true);
 * setDetectAnomaly(before);
 * ```
 * @category Debugging
 */
export function setDetectAnomaly(enabled: boolean): boolean {
  const prev = anomaly;
  anomaly = enabled;
  return prev;
}
