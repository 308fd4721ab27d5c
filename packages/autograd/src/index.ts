// The public surface of @tapegrad/autograd: re-exports only.

import "./tensor-methods.js";

export { adaptiveAvgPool2d, adaptiveMaxPool2d } from "./adaptive-pool.js";
export {
  type Argnums,
  type CustomVjpContext,
  customVjp,
  grad,
  hessian,
  jacobian,
  jvp,
  type Pullback,
  stopGradient,
  type TensorFunction,
  type TransformOptions,
  valueAndGrad,
  vjp,
} from "./autodiff.js";
export {
  flatten,
  logSoftmax,
  logsumexp,
  mean,
  oneHot,
  reciprocal,
  softmax,
  square,
  squeeze,
  stack,
  std,
  transpose,
  unsqueeze,
  type VarianceOptions,
  variance,
} from "./composites.js";
export { avgPool2d, type Conv2dOptions, conv2d, maxPool2d, type Pool2dOptions } from "./conv.js";
export { type ConvTranspose2dOptions, convTranspose2d } from "./conv-transpose.js";
export {
  arange,
  type CreateOptions,
  eye,
  full,
  linspace,
  ones,
  onesLike,
  type RandomOptions,
  rand,
  randint,
  randn,
  randperm,
  scalar,
  tensor,
  zeros,
  zerosLike,
} from "./creation.js";
export { type DType, promoteTypes, type TypedArray } from "./dtype.js";
export { AnomalyError, AutogradError, DTypeError, ShapeError, TapegradError, ValueError } from "./errors.js";
export { detectAnomaly, enableGrad, noGrad, setDetectAnomaly } from "./grad-mode.js";
export {
  assertGradcheck,
  assertGradgradcheck,
  type GradcheckEntry,
  GradcheckError,
  type GradcheckOptions,
  type GradcheckReport,
  gradcheck,
  gradgradcheck,
} from "./gradcheck.js";
export { Graph, type GraphNode, trace, traceGraph } from "./graph.js";
export {
  add,
  div,
  eq,
  ge,
  gt,
  le,
  logicalAnd,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  pow,
  squaredDifference,
  sub,
  where,
} from "./ops/binary.js";
export { cast, type TensorLike } from "./ops/cast.js";
export { type Activation, linear, matmul } from "./ops/linalg.js";
export { broadcastTo, concat, gather, pad, permute, reshape, scatterAdd, slice } from "./ops/movement.js";
export type { Size2 } from "./ops/patches.js";
export { argmax, argmin, max, min, type ReduceOptions, sum } from "./ops/reduce.js";
export {
  abs,
  clamp,
  cos,
  exp,
  expm1,
  leakyRelu,
  log,
  log1p,
  neg,
  relu,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  tan,
  tanh,
} from "./ops/unary.js";
export { Generator, getDefaultGenerator, manualSeed } from "./random.js";
export { broadcastShapes, type Shape } from "./shape.js";
export { type BackwardOptions, type GradientsOptions, gradients } from "./tape.js";
export { type NestedArray, Tensor } from "./tensor.js";
