// Adaptive pooling: the output size is fixed and the windows follow from it (PyTorch's rule: window i of
// n over a length L covers [⌊i·L/n⌋, ⌈(i+1)·L/n⌉)). A window is a rectangle, and both the mean and the
// max over a rectangle are the same reduction over its rows then over its columns, so each axis is
// reduced on its own: a slice and a reduction per output row, then per output column.

import { mean } from "./composites.js";
import { avgPool2d, batched, maxPool2d } from "./conv.js";
import { asTensor, type TensorLike, toFloat } from "./ops/cast.js";
import { concat, slice } from "./ops/movement.js";
import { pair, type Size2 } from "./ops/patches.js";
import { max } from "./ops/reduce.js";
import type { Tensor } from "./tensor.js";

type Reduce = (x: Tensor, axis: number) => Tensor;

/** `x` reduced along `axis` over the adaptive windows of `count` outputs. */
function alongAxis(x: Tensor, axis: number, count: number, reduce: Reduce): Tensor {
  const length = x.shape[axis] as number;
  if (count === length) return x;
  const parts: Tensor[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor((i * length) / count);
    const end = Math.ceil(((i + 1) * length) / count);
    const begin = x.shape.map((_, d) => (d === axis ? start : 0));
    const size = x.shape.map((n, d) => (d === axis ? end - start : n));
    parts.push(reduce(slice(x, begin, size), axis));
  }
  return concat(parts, { axis });
}

function adaptive(
  op: string,
  input: Tensor,
  outputSize: Size2,
  reduce: Reduce,
  uniform: (x: Tensor, window: [number, number]) => Tensor,
): Tensor {
  const [x, restore] = batched(op, input);
  const [oh, ow] = pair(op, "outputSize", outputSize, 1);
  const [h, w] = [x.shape[2] as number, x.shape[3] as number];
  // Equal windows that tile the image: one ordinary pooling does it in one pass.
  if (h % oh === 0 && w % ow === 0) return restore(uniform(x, [h / oh, w / ow]));
  return restore(alongAxis(alongAxis(x, 2, oh, reduce), 3, ow, reduce));
}

/**
 * Average pooling to a fixed output size (PyTorch's `F.adaptive_avg_pool2d`): `x` [n, c, h, w] (or
 * [c, h, w]) gives [n, c, oh, ow], output (i, j) the mean of rows `⌊i·h/oh⌋` to `⌈(i+1)·h/oh⌉ − 1` and
 * likewise columns; windows of neighbouring outputs may overlap by a row or column when the sizes do not
 * divide. `outputSize: 1` is global average pooling. int32 gives float32. Output sizes larger than the
 * input repeat pixels, as in PyTorch.
 * @throws {ShapeError} For an input of the wrong rank.
 * @throws {ValueError} For an output size that is not a positive integer or a pair of them.
 * @example
 * ```ts
 * import { adaptiveAvgPool2d, tensor } from "@tapegrad/autograd";
 * const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 1, 3, 3] });
 * console.log(adaptiveAvgPool2d(x, 1).item(), adaptiveAvgPool2d(x, 2).toArray()); // 5 [[[[3, 4], [6, 7]]]]
 * ```
 * @category Convolution
 */
export function adaptiveAvgPool2d(x: TensorLike, outputSize: Size2): Tensor {
  return adaptive(
    "adaptiveAvgPool2d",
    toFloat(asTensor(x)),
    outputSize,
    (t, axis) => mean(t, { axis, keepDims: true }),
    (t, window) => avgPool2d(t, window),
  );
}

/**
 * Max pooling to a fixed output size (PyTorch's `F.adaptive_max_pool2d`, without the indices): the
 * windows of {@link adaptiveAvgPool2d}, each reduced to its largest value. Keeps the dtype. Gradient: to
 * each window's largest input, shared evenly when several tie.
 * @throws {ShapeError} For an input of the wrong rank.
 * @throws {ValueError} For an output size that is not a positive integer or a pair of them.
 * @example
 * ```ts
 * import { adaptiveMaxPool2d, tensor } from "@tapegrad/autograd";
 * const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 1, 3, 3] });
 * console.log(adaptiveMaxPool2d(x, 2).toArray()); // [[[[5, 6], [8, 9]]]]
 * ```
 * @category Convolution
 */
export function adaptiveMaxPool2d(x: TensorLike, outputSize: Size2): Tensor {
  return adaptive(
    "adaptiveMaxPool2d",
    asTensor(x),
    outputSize,
    (t, axis) => max(t, { axis, keepDims: true }),
    (t, window) => maxPool2d(t, window),
  );
}
