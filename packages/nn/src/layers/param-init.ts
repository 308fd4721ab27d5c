// What layers with a weight and a bias share at construction: PyTorch's default initialisers, the
// parameter dtype check, and turning an initialiser's result into a parameter.

import { type DType, DTypeError, ShapeError, Tensor, tensor } from "@tapegrad/autograd";
import { fmtShape } from "../format.js";
import { type Initializer, kaimingUniform, uniform } from "../init.js";

/** PyTorch's default weight: Kaiming uniform with `a = √5`, which is `U(±1/√fanIn)`. @internal */
export const defaultWeight: Initializer = (shape, o) => kaimingUniform(shape, { ...o, a: Math.sqrt(5) });

/** PyTorch's default bias: `U(±1/√fanIn)` with the fan of the layer's weight (0 when that fan is 0). @internal */
export const defaultBias: Initializer = (shape, o) => {
  const bound = (o.fanIn ?? 0) > 0 ? 1 / Math.sqrt(o.fanIn as number) : 0;
  return uniform(shape, { ...o, low: -bound, high: bound });
};

/** `dtype` (float32 when omitted), or a DTypeError naming `layer` if parameters cannot have it. @internal */
export function paramDType(layer: string, dtype: DType | undefined): DType {
  const d = dtype ?? "float32";
  if (d !== "float32" && d !== "float64") {
    throw new DTypeError(`${layer}: parameters must be float32 or float64; got ${d}`);
  }
  return d;
}

/** A fresh leaf parameter from an initialiser's result, which must have the requested shape and dtype. @internal */
export function checkInit(op: string, what: string, t: Tensor, shape: number[], dtype: DType): Tensor {
  if (
    !(t instanceof Tensor) ||
    t.dtype !== dtype ||
    t.ndim !== shape.length ||
    t.shape.some((n, i) => n !== shape[i])
  ) {
    throw new ShapeError(
      `${op}: the ${what} initialiser must return a ${dtype} tensor of shape ${fmtShape(shape)}; got ` +
        (t instanceof Tensor ? `${t.dtype} ${fmtShape(t.shape)}` : typeof t),
    );
  }
  // A copy, so a tensor the initialiser also hands out elsewhere is never shared with the layer.
  return tensor(t.data(), { shape, dtype, requiresGrad: true });
}
