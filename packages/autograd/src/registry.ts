// The op registry: every primitive and every differentiable composite, by name. The test table is keyed
// by these names, so an op added here without test samples fails the typecheck and the suite.

import { adaptiveAvgPool2d, adaptiveMaxPool2d } from "./adaptive-pool.js";
import * as C from "./composites.js";
import * as V from "./conv.js";
import { convTranspose2d } from "./conv-transpose.js";
import type { OpDef } from "./op.js";
import * as B from "./ops/binary.js";
import { castOp } from "./ops/cast.js";
import { linearOp, matmulOp } from "./ops/linalg.js";
import * as M from "./ops/movement.js";
import { col2imOp, im2colOp } from "./ops/patches.js";
import * as R from "./ops/reduce.js";
import * as U from "./ops/unary.js";

/** Every primitive op by name (its `name` field equals the key). @internal */
export const OPS = {
  cast: castOp,
  neg: U.negOp,
  exp: U.expOp,
  expm1: U.expm1Op,
  log: U.logOp,
  log1p: U.log1pOp,
  sqrt: U.sqrtOp,
  abs: U.absOp,
  sign: U.signOp,
  sin: U.sinOp,
  cos: U.cosOp,
  tan: U.tanOp,
  tanh: U.tanhOp,
  tanhGrad: U.tanhGradOp,
  sigmoid: U.sigmoidOp,
  sigmoidGrad: U.sigmoidGradOp,
  relu: U.reluOp,
  leakyRelu: U.leakyReluOp,
  softplus: U.softplusOp,
  clamp: U.clampOp,
  add: B.addOp,
  sub: B.subOp,
  mul: B.mulOp,
  div: B.divOp,
  pow: B.powOp,
  maximum: B.maximumOp,
  minimum: B.minimumOp,
  eq: B.eqOp,
  ne: B.neOp,
  gt: B.gtOp,
  ge: B.geOp,
  lt: B.ltOp,
  le: B.leOp,
  where: B.whereOp,
  squaredDifference: B.squaredDifferenceOp,
  squaredDifferenceGrad: B.squaredDifferenceGradOp,
  sum: R.sumOp,
  max: R.maxOp,
  min: R.minOp,
  argmax: R.argmaxOp,
  argmin: R.argminOp,
  reshape: M.reshapeOp,
  permute: M.permuteOp,
  broadcastTo: M.broadcastToOp,
  slice: M.sliceOp,
  pad: M.padOp,
  concat: M.concatOp,
  gather: M.gatherOp,
  scatterAdd: M.scatterAddOp,
  identity: M.identityOp,
  im2col: im2colOp,
  col2im: col2imOp,
  matmul: matmulOp,
  linear: linearOp,
} as const satisfies Record<string, OpDef<never>>;

/** Names of the primitives. @internal */
export type OpName = keyof typeof OPS;

/** The public functions built from primitives, by name. @internal */
export const COMPOSITES = {
  mean: C.mean,
  variance: C.variance,
  std: C.std,
  logsumexp: C.logsumexp,
  logSoftmax: C.logSoftmax,
  softmax: C.softmax,
  square: C.square,
  reciprocal: C.reciprocal,
  transpose: C.transpose,
  flatten: C.flatten,
  squeeze: C.squeeze,
  unsqueeze: C.unsqueeze,
  stack: C.stack,
  oneHot: C.oneHot,
  logicalAnd: B.logicalAnd,
  conv2d: V.conv2d,
  convTranspose2d,
  maxPool2d: V.maxPool2d,
  avgPool2d: V.avgPool2d,
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
} as const;

/** Names of the composites. @internal */
export type CompositeName = keyof typeof COMPOSITES;
