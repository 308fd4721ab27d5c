// Rough timing of the seed workload (350 full-batch epochs of the 64-32-16-10 sigmoid MLP on 1500 rows of
// 0..16 pixels) in plain autograd, for profiling with `node --cpu-prof`: pnpm exec tsx bench/seed-profile.ts.

import { Generator, linear, noGrad, oneHot, randint, randn, type Tensor } from "../src/index.js";

const dtype = (process.argv[2] ?? "float32") as "float32" | "float64";
const gen = new Generator(0);
const sizes = [64, 32, 16, 10];
const params: Tensor[] = [];
for (let i = 0; i + 1 < sizes.length; i++) {
  params.push(randn([sizes[i + 1]!, sizes[i]!], { generator: gen, dtype }).div(Math.sqrt(sizes[i]!)));
  params.push(randn([sizes[i + 1]!], { generator: gen, dtype }));
}
for (const p of params) p.requiresGrad = true;
const x = randint(0, 17, [1500, 64], { generator: gen }).cast(dtype);
const y = oneHot(randint(0, 10, [1500], { generator: gen }), 10, { dtype });
const lr = 2000 / 1500;
const t0 = performance.now();
const c0 = process.cpuUsage();
for (let epoch = 0; epoch < 350; epoch++) {
  let h = x;
  for (let i = 0; i < params.length; i += 2) h = linear(h, params[i]!, params[i + 1]!).sigmoid();
  const loss = h
    .sub(y)
    .square()
    .sum()
    .div(2 * 1500);
  for (const p of params) p.grad = null;
  loss.backward();
  noGrad(() => {
    for (const p of params) p.assign(p.sub(p.grad!.mul(lr)));
  });
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0).user / 1e6;
console.log(`${dtype}: ${wall.toFixed(3)} s wall, ${cpu.toFixed(3)} s cpu for 350 epochs`);
