// Version counters of storage buffers: an in-place write bumps the counter, so the tape can tell when a
// value it saved for a vjp was overwritten after it was recorded.

import type { TypedArray } from "./dtype.js";

const versions = new WeakMap<TypedArray, number>();

/** @internal */
export function versionOf(data: TypedArray): number {
  return versions.get(data) ?? 0;
}

/** @internal */
export function bumpVersion(data: TypedArray): void {
  versions.set(data, versionOf(data) + 1);
}
