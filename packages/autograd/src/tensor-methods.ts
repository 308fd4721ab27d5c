// Method sugar: every op as a chainable Tensor method (x.add(y)), attached in this one file.

import * as C from "./composites.js";
import type { DType } from "./dtype.js";
import * as B from "./ops/binary.js";
import { cast, type TensorLike } from "./ops/cast.js";
import { matmul } from "./ops/linalg.js";
import * as M from "./ops/movement.js";
import * as R from "./ops/reduce.js";
import * as U from "./ops/unary.js";
import { type BackwardOptions, backward } from "./tape.js";
import { Tensor } from "./tensor.js";

declare module "./tensor.js" {
  interface Tensor {
    /**
     * Reverse mode from this tensor: accumulates d this / d leaf into `.grad` of every leaf that requires
     * grad. A non-scalar output needs `gradOutput` of its shape. The graph is freed afterwards unless
     * `retainGraph` (or `createGraph`, which also records the backward pass for higher derivatives).
     * @throws {AutogradError} If this tensor does not require grad, is not a scalar and no gradOutput is
     * given, or the graph was freed by an earlier backward.
     */
    backward(gradOutput?: Tensor, options?: BackwardOptions): void;
    /** {@link add} */ add(other: TensorLike): Tensor;
    /** {@link sub} */ sub(other: TensorLike): Tensor;
    /** {@link mul} */ mul(other: TensorLike): Tensor;
    /** {@link div} */ div(other: TensorLike): Tensor;
    /** {@link pow} */ pow(other: TensorLike): Tensor;
    /** {@link maximum} */ maximum(other: TensorLike): Tensor;
    /** {@link minimum} */ minimum(other: TensorLike): Tensor;
    /** {@link eq} */ eq(other: TensorLike): Tensor;
    /** {@link ne} */ ne(other: TensorLike): Tensor;
    /** {@link gt} */ gt(other: TensorLike): Tensor;
    /** {@link ge} */ ge(other: TensorLike): Tensor;
    /** {@link lt} */ lt(other: TensorLike): Tensor;
    /** {@link le} */ le(other: TensorLike): Tensor;
    /** {@link neg} */ neg(): Tensor;
    /** {@link exp} */ exp(): Tensor;
    /** {@link expm1} */ expm1(): Tensor;
    /** {@link log} */ log(): Tensor;
    /** {@link log1p} */ log1p(): Tensor;
    /** {@link sqrt} */ sqrt(): Tensor;
    /** {@link abs} */ abs(): Tensor;
    /** {@link sign} */ sign(): Tensor;
    /** {@link sin} */ sin(): Tensor;
    /** {@link cos} */ cos(): Tensor;
    /** {@link tan} */ tan(): Tensor;
    /** {@link tanh} */ tanh(): Tensor;
    /** {@link sigmoid} */ sigmoid(): Tensor;
    /** {@link relu} */ relu(): Tensor;
    /** {@link leakyRelu} */ leakyRelu(options?: { slope?: number }): Tensor;
    /** {@link softplus} */ softplus(): Tensor;
    /** {@link square} */ square(): Tensor;
    /** {@link reciprocal} */ reciprocal(): Tensor;
    /** {@link clamp} */ clamp(options: { min?: number; max?: number }): Tensor;
    /** {@link sum} */ sum(options?: R.ReduceOptions): Tensor;
    /** {@link mean} */ mean(options?: R.ReduceOptions): Tensor;
    /** {@link max} */ max(options?: R.ReduceOptions): Tensor;
    /** {@link min} */ min(options?: R.ReduceOptions): Tensor;
    /** {@link variance} */ variance(options?: C.VarianceOptions): Tensor;
    /** {@link std} */ std(options?: C.VarianceOptions): Tensor;
    /** {@link logsumexp} */ logsumexp(options?: R.ReduceOptions): Tensor;
    /** {@link argmax} */ argmax(options?: { axis?: number; keepDims?: boolean }): Tensor;
    /** {@link argmin} */ argmin(options?: { axis?: number; keepDims?: boolean }): Tensor;
    /** {@link softmax} */ softmax(options?: { axis?: number }): Tensor;
    /** {@link logSoftmax} */ logSoftmax(options?: { axis?: number }): Tensor;
    /** {@link matmul} */ matmul(other: TensorLike): Tensor;
    /** {@link reshape} */ reshape(shape: readonly number[]): Tensor;
    /** {@link permute} */ permute(perm: readonly number[]): Tensor;
    /** {@link transpose} */ transpose(options?: { axes?: readonly [number, number] }): Tensor;
    /** {@link flatten} */ flatten(options?: { startAxis?: number; endAxis?: number }): Tensor;
    /** {@link squeeze} */ squeeze(options?: { axis?: number | readonly number[] }): Tensor;
    /** {@link unsqueeze} */ unsqueeze(axis: number): Tensor;
    /** {@link broadcastTo} */ broadcastTo(shape: readonly number[]): Tensor;
    /** {@link slice} */ slice(begin: readonly number[], size?: readonly number[]): Tensor;
    /** {@link pad} */ pad(
      widths: readonly (readonly [number, number])[],
      options?: { value?: number },
    ): Tensor;
    /** {@link gather} */ gather(indices: Tensor, options?: { axis?: number }): Tensor;
    /** {@link cast} */ cast(dtype: DType): Tensor;
    /** {@link where}: `cond ? this : other`. */ where(cond: TensorLike, other: TensorLike): Tensor;
  }
}

const P = Tensor.prototype;
P.backward = function (this: Tensor, gradOutput?: Tensor, options?: BackwardOptions) {
  backward(this, gradOutput, options);
};
P.add = function (o) {
  return B.add(this, o);
};
P.sub = function (o) {
  return B.sub(this, o);
};
P.mul = function (o) {
  return B.mul(this, o);
};
P.div = function (o) {
  return B.div(this, o);
};
P.pow = function (o) {
  return B.pow(this, o);
};
P.maximum = function (o) {
  return B.maximum(this, o);
};
P.minimum = function (o) {
  return B.minimum(this, o);
};
P.eq = function (o) {
  return B.eq(this, o);
};
P.ne = function (o) {
  return B.ne(this, o);
};
P.gt = function (o) {
  return B.gt(this, o);
};
P.ge = function (o) {
  return B.ge(this, o);
};
P.lt = function (o) {
  return B.lt(this, o);
};
P.le = function (o) {
  return B.le(this, o);
};
P.neg = function () {
  return U.neg(this);
};
P.exp = function () {
  return U.exp(this);
};
P.expm1 = function () {
  return U.expm1(this);
};
P.log = function () {
  return U.log(this);
};
P.log1p = function () {
  return U.log1p(this);
};
P.sqrt = function () {
  return U.sqrt(this);
};
P.abs = function () {
  return U.abs(this);
};
P.sign = function () {
  return U.sign(this);
};
P.sin = function () {
  return U.sin(this);
};
P.cos = function () {
  return U.cos(this);
};
P.tan = function () {
  return U.tan(this);
};
P.tanh = function () {
  return U.tanh(this);
};
P.sigmoid = function () {
  return U.sigmoid(this);
};
P.relu = function () {
  return U.relu(this);
};
P.leakyRelu = function (o) {
  return U.leakyRelu(this, o);
};
P.softplus = function () {
  return U.softplus(this);
};
P.square = function () {
  return C.square(this);
};
P.reciprocal = function () {
  return C.reciprocal(this);
};
P.clamp = function (o) {
  return U.clamp(this, o);
};
P.sum = function (o) {
  return R.sum(this, o);
};
P.mean = function (o) {
  return C.mean(this, o);
};
P.max = function (o) {
  return R.max(this, o);
};
P.min = function (o) {
  return R.min(this, o);
};
P.variance = function (o) {
  return C.variance(this, o);
};
P.std = function (o) {
  return C.std(this, o);
};
P.logsumexp = function (o) {
  return C.logsumexp(this, o);
};
P.argmax = function (o) {
  return R.argmax(this, o);
};
P.argmin = function (o) {
  return R.argmin(this, o);
};
P.softmax = function (o) {
  return C.softmax(this, o);
};
P.logSoftmax = function (o) {
  return C.logSoftmax(this, o);
};
P.matmul = function (o) {
  return matmul(this, o);
};
P.reshape = function (s) {
  return M.reshape(this, s);
};
P.permute = function (p) {
  return M.permute(this, p);
};
P.transpose = function (o) {
  return C.transpose(this, o);
};
P.flatten = function (o) {
  return C.flatten(this, o);
};
P.squeeze = function (o) {
  return C.squeeze(this, o);
};
P.unsqueeze = function (a) {
  return C.unsqueeze(this, a);
};
P.broadcastTo = function (s) {
  return M.broadcastTo(this, s);
};
P.slice = function (b, s) {
  return M.slice(this, b, s);
};
P.pad = function (w, o) {
  return M.pad(this, w, o);
};
P.gather = function (i, o) {
  return M.gather(this, i, o);
};
P.cast = function (d) {
  return cast(this, d);
};
P.where = function (c, o) {
  return B.where(c, this, o);
};
