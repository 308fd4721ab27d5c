// Text form of a tensor's values, NumPy/PyTorch style, with elision for large tensors.

import type { NDArray } from "./ndarray.js";

const EDGE = 3;
const THRESHOLD = 1000;

/** @internal */
export function formatTensor(x: NDArray, requiresGrad: boolean): string {
  const { data, shape, dtype } = x;
  const elide = data.length > THRESHOLD;
  const isInt = dtype === "int32";
  const all = Array.from(data as ArrayLike<number>);
  const integral = all.every((v) => Number.isInteger(v) || !Number.isFinite(v));
  const nonzero = all.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  const maxAbs = nonzero.reduce((m, v) => Math.max(m, v), 0);
  const minAbs = nonzero.reduce((m, v) => Math.min(m, v), Infinity);
  // PyTorch's rule: scientific notation when fixed point with 4 decimals would hide small values or
  // the magnitudes span more than three orders (1e-5 next to 2 must not print as 0.0000).
  const sci =
    !isInt && !integral && nonzero.length > 0 && (maxAbs > 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1e3);
  const fmt = (v: number): string => {
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    if (isInt) return String(v);
    if (integral) return `${v}.`;
    return sci ? v.toExponential(4) : v.toFixed(4);
  };
  const cells: string[] = [];
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  const width = (() => {
    let w = 0;
    for (const v of all) w = Math.max(w, fmt(v).length);
    return w;
  })();
  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) {
      const c = fmt(data[offset] as number).padStart(width);
      cells.push(c);
      return c;
    }
    const n = shape[axis] as number;
    const idx: (number | null)[] = [];
    if (elide && n > 2 * EDGE) {
      for (let i = 0; i < EDGE; i++) idx.push(i);
      idx.push(null);
      for (let i = n - EDGE; i < n; i++) idx.push(i);
    } else for (let i = 0; i < n; i++) idx.push(i);
    const parts = idx.map((i) =>
      i === null ? "..." : render(axis + 1, offset + i * (strides[axis] as number), `${indent} `),
    );
    const last = axis === shape.length - 1;
    const sep = last ? ", " : `,${"\n".repeat(shape.length - axis - 1)}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = render(0, 0, "       ");
  const grad = requiresGrad ? ", requiresGrad=true" : "";
  return `tensor(${body}, shape=[${shape.join(", ")}], dtype=${dtype}${grad})`;
}
