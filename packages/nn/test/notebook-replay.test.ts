// End to end: the original notebook's run, replayed with nn's layers, loss and optimizer from the
// Python-written initial weights, matches the recorded losses and test accuracies.

import { readFileSync } from "node:fs";
import { noGrad, type Tensor, tensor } from "@tapegrad/autograd";
import { accuracy, Linear, loadSafetensors, QuadraticLoss, Sequential, SGD, Sigmoid } from "@tapegrad/nn";
import { expect, test } from "vitest";
import { digitsRows, fixture } from "./helpers.js";

interface Trajectory {
  train_loss_per_epoch: number[];
  test_accuracy_every_10_epochs: Record<string, number>;
  equivalent_lr_on_mean_loss: number;
}

function split(rows: number[][], start: number, end: number): [Tensor, Tensor] {
  const part = rows.slice(start, end);
  return [
    tensor(
      part.map((r) => r.slice(0, 64)),
      { dtype: "float64" },
    ),
    tensor(
      part.map((r) => r[64] as number),
      { dtype: "int32" },
    ),
  ];
}

test("350 epochs of the seed run match the notebook's losses and test accuracies", () => {
  const traj = JSON.parse(readFileSync(fixture("seed-0.trajectory.json"), "utf8")) as Trajectory;
  const rows = digitsRows();
  const [xTrain, yTrain] = split(rows, 0, 1500);
  const [xTest, yTest] = split(rows, 1500, 1796);
  const f64 = { dtype: "float64" } as const;
  const net = new Sequential(
    new Linear(64, 32, f64),
    new Sigmoid(),
    new Linear(32, 16, f64),
    new Sigmoid(),
    new Linear(16, 10, f64),
    new Sigmoid(),
  );
  net.loadStateDict(
    loadSafetensors(new Uint8Array(readFileSync(fixture("seed-0.init.safetensors")))).tensors,
  );
  const lossFn = new QuadraticLoss();
  const opt = new SGD(net.parameters(), { lr: traj.equivalent_lr_on_mean_loss });
  let worst = 0;
  for (let epoch = 0; epoch < traj.train_loss_per_epoch.length; epoch++) {
    const loss = lossFn.call(net.call(xTrain), yTrain);
    const want = traj.train_loss_per_epoch[epoch] as number;
    worst = Math.max(worst, Math.abs(loss.item() - want) / want);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    const acc = traj.test_accuracy_every_10_epochs[String(epoch)];
    if (acc !== undefined) expect(noGrad(() => accuracy(net.call(xTest), yTest))).toBe(acc);
  }
  expect(worst).toBeLessThan(1e-13);
});
