// Classification metrics computed from scores or predicted classes: accuracy and the confusion matrix.

import { argmax, DTypeError, ShapeError, type Tensor, tensor, ValueError } from "@tapegrad/autograd";
import { fmtShape } from "./format.js";

/** Predicted classes as int32 values: the tensor itself, or the argmax of scores over a trailing class axis. */
function predictedClasses(op: string, outputs: Tensor, labels: Tensor): Int32Array {
  if (labels.dtype !== "int32") {
    throw new DTypeError(`${op}: labels must be int32 class indices; got ${labels.dtype}`);
  }
  const same = outputs.ndim === labels.ndim && outputs.shape.every((n, i) => n === labels.shape[i]);
  const scores = outputs.ndim === labels.ndim + 1 && labels.shape.every((n, i) => n === outputs.shape[i]);
  if (same) {
    if (outputs.dtype !== "int32") {
      throw new DTypeError(
        `${op}: predictions of the labels' shape ${fmtShape(labels.shape)} must be int32; got ${outputs.dtype} ` +
          "(pass scores with a trailing class axis, or threshold probabilities yourself)",
      );
    }
    return outputs.data() as Int32Array;
  }
  if (scores) {
    if ((outputs.shape[outputs.ndim - 1] as number) < 2) {
      throw new ShapeError(
        `${op}: scores ${fmtShape(outputs.shape)} have a single class column; threshold them yourself ` +
          "(for example probs.gt(0.5)) and pass int32 predictions",
      );
    }
    return argmax(outputs, { axis: -1 }).data() as Int32Array;
  }
  throw new ShapeError(
    `${op}: outputs ${fmtShape(outputs.shape)} do not fit labels ${fmtShape(labels.shape)}; expected ` +
      `predictions ${fmtShape(labels.shape)} or scores [${[...labels.shape, "C"].join(", ")}]`,
  );
}

/**
 * The fraction of samples whose predicted class equals the label, as a number in `[0, 1]`. `outputs` is
 * either int32 predicted classes of the labels' shape, or scores (logits or probabilities) with one more
 * trailing class axis, whose argmax is the prediction.
 * @throws {DTypeError} If labels are not int32, or predictions of the labels' shape are not int32.
 * @throws {ShapeError} If outputs fit neither form, or scores have a single class column.
 * @throws {ValueError} If there are no samples.
 * @example
 * ```ts
 * import { accuracy } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const scores = tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]);
 * console.log(accuracy(scores, tensor([0, 1, 1], { dtype: "int32" }))); // 0.6666666666666666
 * ```
 * @category Metrics
 */
export function accuracy(outputs: Tensor, labels: Tensor): number {
  const pred = predictedClasses("accuracy", outputs, labels);
  const truth = labels.data();
  if (truth.length === 0) throw new ValueError("accuracy: no samples (the labels are empty)");
  let correct = 0;
  for (let i = 0; i < truth.length; i++) if (pred[i] === truth[i]) correct++;
  return correct / truth.length;
}

/**
 * The confusion matrix as an int32 tensor `[numClasses, numClasses]`: entry `[i, j]` counts samples of true
 * class i predicted as class j (rows are labels, columns predictions, as in scikit-learn). `predictions`
 * may be int32 classes or scores with a trailing class axis (see {@link accuracy}).
 * @throws {ValueError} If `numClasses` is not a positive integer or a class is outside `[0, numClasses)`.
 * @throws {DTypeError} If labels are not int32, or predictions of the labels' shape are not int32.
 * @throws {ShapeError} If predictions do not fit the labels.
 * @example
 * ```ts
 * import { confusionMatrix } from "@tapegrad/nn";
 * import { tensor } from "@tapegrad/autograd";
 * const pred = tensor([0, 1, 1], { dtype: "int32" });
 * console.log(confusionMatrix(pred, tensor([0, 1, 0], { dtype: "int32" }), 2).toArray()); // [[1, 1], [0, 1]]
 * ```
 * @category Metrics
 */
export function confusionMatrix(predictions: Tensor, labels: Tensor, numClasses: number): Tensor {
  const op = "confusionMatrix";
  if (!Number.isInteger(numClasses) || numClasses <= 0) {
    throw new ValueError(`${op}: numClasses must be a positive integer; got ${numClasses}`);
  }
  const pred = predictedClasses(op, predictions, labels);
  const truth = labels.data();
  const counts = new Int32Array(numClasses * numClasses);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i] as number;
    const p = pred[i] as number;
    for (const [what, v] of [
      ["label", t],
      ["prediction", p],
    ] as const) {
      if (v < 0 || v >= numClasses) {
        throw new ValueError(`${op}: ${what} ${v} at index ${i} is outside [0, ${numClasses})`);
      }
    }
    counts[t * numClasses + p] = (counts[t * numClasses + p] as number) + 1;
  }
  return tensor(counts, { shape: [numClasses, numClasses] });
}
