// How nn writes shapes in messages and summaries: `[2, 3]`, the same as @tapegrad/autograd.

/** Formats a shape as `[2, 3]`. @internal */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
