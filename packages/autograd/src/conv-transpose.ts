// Transposed convolution: the adjoint of conv2d with respect to its input, used to upsample (decoders,
// autoencoders). Each input pixel scatters a kernel-sized patch into the output: one product makes the
// patches and col2im adds them up, so its gradients come from matmul and col2im (whose vjp is im2col).

import { batched, type Conv2dOptions, checkBias, checkGroups, groupedProduct } from "./conv.js";
import { fmtShape, ShapeError, ValueError } from "./errors.js";
import { add } from "./ops/binary.js";
import { asTensor, promote, type TensorLike, toFloat } from "./ops/cast.js";
import { matmul } from "./ops/linalg.js";
import { permute, reshape } from "./ops/movement.js";
import { col2im, pair, type Size2 } from "./ops/patches.js";
import type { Tensor } from "./tensor.js";

/**
 * Options of {@link convTranspose2d}, as in PyTorch's `conv_transpose2d`: `stride`, `padding`, `dilation`
 * and `groups` are those of the convolution this one transposes (so `padding` removes rows and columns
 * from the border of the result), and `outputPadding` adds that many to the bottom and right of the
 * result, to reach sizes a strided convolution maps to the same input size.
 *
 * @example
 * ```ts
 * import { convTranspose2d, ones, type ConvTranspose2dOptions } from "@tapegrad/autograd";
 * const opts: ConvTranspose2dOptions = { stride: 2, padding: 1, outputPadding: 1 };
 * console.log(convTranspose2d(ones([1, 4, 4, 4]), ones([4, 2, 3, 3]), null, opts).shape); // [1, 2, 8, 8]
 * ```
 * @category Convolution
 */
export interface ConvTranspose2dOptions extends Omit<Conv2dOptions, "padding"> {
  /** Rows and columns removed from each side of the result; default 0. */
  padding?: Size2;
  /** Rows and columns added at the bottom and right; each less than the stride or the dilation. Default 0. */
  outputPadding?: Size2;
}

/**
 * Transposed 2-D convolution (PyTorch's `F.conv_transpose2d`, sometimes called deconvolution): `x`
 * [n, in, h, w] (or [in, h, w]) with `weight` [in, out / groups, kh, kw] and an optional `bias` [out]
 * gives [n, out, oh, ow] with `oh = (h − 1)·stride − 2·padding + dilation·(kh − 1) + outputPadding + 1`
 * (likewise `ow`). It is the gradient of {@link conv2d} with respect to its input, for the conv2d whose
 * weight is this `weight`; mixed dtypes promote and int32 gives float32.
 * @throws {ShapeError} For inputs of the wrong rank, channel counts that do not match the weight and
 *   groups, a bias that is not [out], or a result with no rows or columns.
 * @throws {ValueError} For a non-positive stride, dilation or groups, a negative padding, or an output
 *   padding not below the stride or the dilation.
 * @example
 * ```ts
 * import { convTranspose2d, tensor } from "@tapegrad/autograd";
 * const x = tensor([1, 2, 3, 4], { shape: [1, 1, 2, 2] });
 * const w = tensor([1, 10, 100, 1000], { shape: [1, 1, 2, 2] });
 * // stride 2: each pixel writes its own 2×2 copy of the kernel, scaled by the pixel
 * console.log(convTranspose2d(x, w, null, { stride: 2 }).reshape([4, 4]).toArray());
 * // [[1, 10, 2, 20], [100, 1000, 200, 2000], [3, 30, 4, 40], [300, 3000, 400, 4000]]
 * ```
 * @category Convolution
 */
export function convTranspose2d(
  x: TensorLike,
  weight: Tensor,
  bias: Tensor | null = null,
  options: ConvTranspose2dOptions = {},
): Tensor {
  const op = "convTranspose2d";
  const [input, restore] = batched(op, asTensor(x));
  const groups = checkGroups(op, options.groups);
  if (weight.ndim !== 4) {
    throw new ShapeError(`${op}: weight must be [in, out / groups, kh, kw]; got ${fmtShape(weight.shape)}`);
  }
  const [inC, outPerGroup, kh, kw] = weight.shape as [number, number, number, number];
  const [n, c, h, w] = input.shape as [number, number, number, number];
  if (c !== inC || inC % groups !== 0) {
    throw new ShapeError(
      `${op}: input ${fmtShape(input.shape)} and weight ${fmtShape(weight.shape)} with groups ${groups} ` +
        `do not match: the input needs weight.shape[0] = ${inC} channels, and they must divide by groups`,
    );
  }
  const outC = outPerGroup * groups;
  checkBias(op, bias, outC, weight);
  const stride = pair(op, "stride", options.stride ?? 1, 1);
  const dilation = pair(op, "dilation", options.dilation ?? 1, 1);
  const [ph, pw] = pair(op, "padding", options.padding ?? 0, 0);
  const [oph, opw] = pair(op, "outputPadding", options.outputPadding ?? 0, 0);
  if ((oph >= stride[0] && oph >= dilation[0]) || (opw >= stride[1] && opw >= dilation[1])) {
    throw new ValueError(
      `${op}: outputPadding ${fmtShape([oph, opw])} must be less than the stride ${fmtShape(stride)} ` +
        `or the dilation ${fmtShape(dilation)} along each axis`,
    );
  }
  const oh = (h - 1) * stride[0] - 2 * ph + dilation[0] * (kh - 1) + oph + 1;
  const ow = (w - 1) * stride[1] - 2 * pw + dilation[1] * (kw - 1) + opw + 1;
  if (oh < 1 || ow < 1) {
    throw new ShapeError(
      `${op}: the result would be ${oh}×${ow}; the padding removes more than the input gives`,
    );
  }
  // The windows of the conv2d this transposes: its padding, less the output padding at the bottom and
  // right (those rows exist in the result, so taps landing there are kept), gives exactly h × w of them.
  const geometry = {
    kernel: [kh, kw],
    stride,
    dilation,
    padding: [ph, ph - oph, pw, pw - opw],
  } as const;
  const [xp, wp] = promote(toFloat(input), weight);
  const rows = reshape(permute(xp, [0, 2, 3, 1]), [n * h * w, inC]);
  const patches =
    groups === 1
      ? matmul(rows, reshape(wp, [inC, outPerGroup * kh * kw]))
      : groupedProduct(rows, reshape(wp, [groups, inC / groups, outPerGroup * kh * kw]), false); // [n·h·w, out·kh·kw]
  const y = col2im(reshape(patches, [n, h, w, outC * kh * kw]), geometry, [n, outC, oh, ow]);
  return restore(bias === null ? y : add(y, reshape(bias, [outC, 1, 1])));
}
