// A progress bar per recipe (epoch, loss, test accuracy, time left) drawn with cli-progress.

import cliProgress from "cli-progress";
import type { EpochRecord, RecipeName } from "../recipes/types.js";

/**
 * Receives the epochs of one recipe's training and shows them; `stop()` ends the display.
 *
 * @example
 * ```ts
 * import { progressBar, type Progress } from "@tapegrad/examples";
 * const p: Progress = progressBar("seed", 3, { stream: process.stderr });
 * p.update({ epoch: 0, loss: 1.2, testAccuracy: 0.1 });
 * p.stop();
 * ```
 * @category CLI
 */
export interface Progress {
  update(record: EpochRecord): void;
  stop(): void;
}

/** `42s`, `3m 07s`: time left, rounded up to whole seconds. */
function formatSeconds(seconds: number): string {
  const s = Math.ceil(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
}

/**
 * A terminal progress bar for `epochs` epochs of `recipe`: epoch, loss, latest test accuracy and the time
 * left (average epoch time so far × epochs remaining). cli-progress draws it only on a TTY.
 * @example
 * ```ts
 * import { progressBar } from "@tapegrad/examples";
 * const bar = progressBar("modern", 10, { stream: process.stderr });
 * for (let epoch = 0; epoch < 10; epoch++) bar.update({ epoch, loss: 1 / (epoch + 1), testAccuracy: 0.9 });
 * bar.stop();
 * ```
 * @category CLI
 */
export function progressBar(
  recipe: RecipeName,
  epochs: number,
  options: { stream: NodeJS.WritableStream },
): Progress {
  const bar = new cliProgress.SingleBar({
    format: `${recipe.padEnd(6)} {bar} epoch {value}/{total} | loss {loss} | test acc {acc} | {left} left`,
    stream: options.stream,
    barsize: 24,
    hideCursor: true,
    fps: 10,
    barCompleteChar: "\u2588",
    barIncompleteChar: "\u2591",
  });
  const start = performance.now();
  bar.start(epochs, 0, { loss: "-", acc: "-", left: "?" });
  let acc = "-";
  return {
    update(record) {
      if (record.testAccuracy !== null) acc = `${(record.testAccuracy * 100).toFixed(1)}%`;
      const done = record.epoch + 1;
      const left = (((performance.now() - start) / done) * (epochs - done)) / 1000;
      bar.update(done, { loss: record.loss.toPrecision(4), acc, left: formatSeconds(left) });
    },
    stop() {
      bar.stop();
    },
  };
}
