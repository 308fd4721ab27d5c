// The public surface of @tapegrad/nn: re-exports only.

export { DataLoader, type DataLoaderOptions, type Dataset, TensorDataset } from "./data.js";
export { functionalCall } from "./functional.js";
export {
  calculateGain,
  constant,
  type Initializer,
  type InitOptions,
  init,
  type KaimingOptions,
  kaimingNormal,
  kaimingUniform,
  lecunNormal,
  type Nonlinearity,
  normal,
  uniform,
  xavierNormal,
  xavierUniform,
} from "./init.js";
export { LeakyReLU, ReLU, Sigmoid, SiLU, Softmax, Tanh } from "./layers/activations.js";
export { BatchNorm, BatchNorm1d, BatchNorm2d, type BatchNormOptions } from "./layers/batch-norm.js";
export { Conv2d, type Conv2dInit, type Conv2dLayerOptions } from "./layers/conv.js";
export { ConvTranspose2d, type ConvTranspose2dLayerOptions } from "./layers/conv-transpose.js";
export { Dropout } from "./layers/dropout.js";
export { Embedding, type EmbeddingOptions } from "./layers/embedding.js";
export { Flatten, Unflatten } from "./layers/flatten.js";
export { LayerNorm, type LayerNormOptions } from "./layers/layer-norm.js";
export { FullyConnect, Linear, type LinearInit, type LinearOptions } from "./layers/linear.js";
export {
  AdaptiveAvgPool2d,
  AdaptiveMaxPool2d,
  AvgPool2d,
  type AvgPool2dOptions,
  MaxPool2d,
  type MaxPool2dOptions,
} from "./layers/pooling.js";
export { Sequential } from "./layers/sequential.js";
export {
  BCELoss,
  type BCEOptions,
  BCEWithLogitsLoss,
  type BCEWithLogitsOptions,
  bceLoss,
  bceWithLogitsLoss,
  CrossEntropyLoss,
  type CrossEntropyOptions,
  crossEntropyLoss,
  type LossOptions,
  MSELoss,
  mseLoss,
  QuadraticLoss,
  quadraticLoss,
  type Reduction,
} from "./losses.js";
export { accuracy, confusionMatrix } from "./metrics.js";
export { type LoadStateDictResult, Module, StateDictError } from "./module.js";
export { Adam, type AdamOptions, AdamW } from "./optim/adam.js";
export { clipGradNorm } from "./optim/clip-grad.js";
export { CosineAnnealingLR, ExponentialLR, LRScheduler, StepLR } from "./optim/lr-scheduler.js";
export { Optimizer } from "./optim/optimizer.js";
export { SGD, type SGDOptions } from "./optim/sgd.js";
export {
  loadSafetensors,
  type SafetensorsContents,
  SafetensorsError,
  type SaveSafetensorsOptions,
  saveSafetensors,
} from "./safetensors.js";
export { loadSafetensorsFile, saveSafetensorsFile } from "./safetensors-node.js";
