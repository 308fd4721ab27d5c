// The systems the benchmark compares: how to start each one and which parts of the benchmark it runs.

import type { CnnData, CnnInit, CnnTrainer } from "../cnn.js";
import type { FloatDType, LayerInit, SeedData, SeedTrainer } from "../workload.js";

/** What a runner process needs from one system; modules are imported only by the process that runs it. */
export interface SystemImpl {
  /** Starts the backend; returns a one-line description of what runs (backend, SIMD, threads). */
  setup(): Promise<string>;
  trainer(data: SeedData, init: readonly LayerInit[], dtype: FloatDType): SeedTrainer;
  /** The CNN workload (float32), with the learning rate of `CNN` unless `lr` is given. */
  cnnTrainer?(data: CnnData, init: CnnInit, lr?: number): CnnTrainer;
  /** A function multiplying two fixed random float32 `n × n` matrices, result ready when it returns. */
  matmul?(n: number): () => void;
  /** A function doing `count` element-wise adds of two `[4]` float32 tensors, results ready. */
  tinyAdd?(count: number): () => void;
}

/** One row of the benchmark: a system and the dtypes it runs the seed workload in. */
export interface SystemSpec {
  readonly id: SystemId;
  /** Human-readable name for tables. */
  readonly label: string;
  readonly dtypes: readonly FloatDType[];
  /** Why a dtype is missing, for the report. */
  readonly unsupported?: string;
  /** What the report should say about how this system is run (workarounds, what a figure includes). */
  readonly notes?: readonly string[];
  /** Whether this system's float32 process also runs the matmul and tiny-add measurements. */
  readonly kernels: boolean;
  /** Whether this system runs the CNN workload (float32, in a process of its own). */
  readonly cnn: boolean;
  /** Why a system that the CNN table lists cannot run the CNN workload. */
  readonly cnnUnsupported?: string;
  load(): Promise<SystemImpl>;
}

/** Identifiers of the systems, as passed to the runner on its command line. */
export type SystemId = "tapegrad-nn" | "tapegrad-raw" | "tfjs-cpu" | "tfjs-wasm" | "jax-js";

/** Every system, in table order; tapegrad's nn version is the baseline of the ratios. */
export const SYSTEMS: readonly SystemSpec[] = [
  {
    id: "tapegrad-nn",
    label: "tapegrad (nn)",
    dtypes: ["float32", "float64"],
    kernels: true,
    cnn: true,
    load: async () => {
      const m = await import("./tapegrad.js");
      return {
        setup: async () =>
          "JavaScript + WebAssembly SIMD kernels; 1 thread, a second for products above 8M multiply-adds (the 256 and 1024 matmuls and the CNN's 32→32 convolution, not the seed workload)",
        trainer: m.tapegradNnTrainer,
        cnnTrainer: m.tapegradCnnTrainer,
        matmul: m.tapegradMatmul,
        tinyAdd: m.tapegradTinyAdd,
      };
    },
  },
  {
    id: "tapegrad-raw",
    label: "tapegrad (raw autograd)",
    dtypes: ["float32", "float64"],
    kernels: false,
    cnn: false,
    load: async () => {
      const m = await import("./tapegrad.js");
      return {
        setup: async () =>
          "JavaScript + WebAssembly SIMD kernels; 1 thread, a second for products above 8M multiply-adds (the 256 and 1024 matmuls and the CNN's 32→32 convolution, not the seed workload)",
        trainer: m.tapegradRawTrainer,
      };
    },
  },
  {
    id: "tfjs-cpu",
    label: "TF.js cpu",
    dtypes: ["float32"],
    unsupported: "float64: TF.js has no float64 dtype",
    notes: [
      "tfjs-core's Node build registers no gradients, so the TF.js runners import @tensorflow/tfjs 4.22 " +
        "(which registers them and the cpu backend), as Node users of TF.js do.",
    ],
    kernels: true,
    cnn: true,
    load: async () => {
      const m = await import("./tfjs.js");
      return {
        setup: () => m.useTfBackend("cpu"),
        trainer: (data, init) => m.tfjsTrainer(data, init),
        cnnTrainer: m.tfjsCnnTrainer,
        matmul: m.tfjsMatmul,
        tinyAdd: m.tfjsTinyAdd,
      };
    },
  },
  {
    id: "tfjs-wasm",
    label: "TF.js wasm",
    dtypes: ["float32"],
    unsupported: "float64: TF.js has no float64 dtype",
    kernels: true,
    cnn: false,
    cnnUnsupported:
      "tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter kernel, so conv2d has no weight gradient there " +
      "(its forward, input gradient, MaxPool and MaxPoolGrad kernels exist)",
    load: async () => {
      const m = await import("./tfjs.js");
      return {
        setup: () => m.useTfBackend("wasm"),
        trainer: (data, init) => m.tfjsTrainer(data, init),
        matmul: m.tfjsMatmul,
        tinyAdd: m.tfjsTinyAdd,
      };
    },
  },
  {
    id: "jax-js",
    label: "jax-js (jit, wasm)",
    dtypes: ["float32", "float64"],
    notes: [
      "Node 20 has no Float16Array, which jax-js 0.1.25's np.array tests for before Float64Array; the " +
        "runner defines a placeholder class so float64 arrays can be made. init() with no argument throws " +
        "in Node (its WebGPU probe reads `navigator`); init('wasm') works.",
      "jax-js ops are lazy: the matmul and tiny-add figures include reading the result back (dataSync).",
      "jax-js 0.1.25 has no max-pooling function; the CNN pools with lax.reduceWindow and np.max over each " +
        "window, which it differentiates.",
    ],
    kernels: true,
    cnn: true,
    load: async () => {
      const m = await import("./jax.js");
      return {
        setup: m.useJaxWasm,
        trainer: m.jaxTrainer,
        cnnTrainer: m.jaxCnnTrainer,
        matmul: m.jaxMatmul,
        tinyAdd: m.jaxTinyAdd,
      };
    },
  },
];

/** The spec of `id`; throws for an unknown id. */
export function systemSpec(id: string): SystemSpec {
  const spec = SYSTEMS.find((s) => s.id === id);
  if (spec === undefined) {
    throw new Error(`bench: unknown system '${id}'; expected one of ${SYSTEMS.map((s) => s.id).join(", ")}`);
  }
  return spec;
}
