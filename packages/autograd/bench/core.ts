// Throughput of the core kernels and of one training step, printed as a table (pnpm bench).

import { Bench } from "tinybench";
import { Generator, matmul, oneHot, randint, randn, type Tensor, tensor } from "../src/index.js";

const gen = new Generator(0);
const bench = new Bench({ time: 1000, warmupTime: 200 });
const flops = new Map<string, number>();

for (const n of [256, 1024]) {
  const a = randn([n, n], { generator: gen });
  const b = randn([n, n], { generator: gen });
  const name = `matmul ${n}x${n} float32`;
  flops.set(name, 2 * n * n * n);
  bench.add(name, () => {
    matmul(a, b);
  });
}

const big = randn([1_000_000], { generator: gen });
const big2 = randn([1_000_000], { generator: gen });
flops.set("add 1M float32", 1e6);
bench.add("add 1M float32", () => {
  big.add(big2);
});
flops.set("sigmoid 1M float32", 1e6);
bench.add("sigmoid 1M float32", () => {
  big.sigmoid();
});

// One full-batch step of the notebook's 64-32-16-10 sigmoid MLP with the quadratic loss.
const sizes = [64, 32, 16, 10];
const params: Tensor[] = [];
for (let i = 0; i + 1 < sizes.length; i++) {
  params.push(randn([sizes[i + 1] as number, sizes[i] as number], { generator: gen, requiresGrad: true }));
  params.push(randn([sizes[i + 1] as number], { generator: gen, requiresGrad: true }));
}
const x = randn([1500, 64], { generator: gen });
const y = oneHot(randint(0, 10, [1500], { generator: gen }), 10);
bench.add("MLP 64-32-16-10 forward+backward, 1500 rows", () => {
  let h = x;
  for (let i = 0; i < params.length; i += 2) {
    h = matmul(h, params[i] as Tensor, { transB: true })
      .add(params[i + 1] as Tensor)
      .sigmoid();
  }
  const loss = h
    .sub(y)
    .square()
    .sum()
    .div(2 * 1500);
  for (const p of params) p.grad = null;
  loss.backward();
});

await bench.run();
const rows = bench.tasks.map((t) => {
  const r = t.result;
  const mean = r && "latency" in r ? r.latency.mean : Number.NaN;
  const f = flops.get(t.name);
  return {
    task: t.name,
    "mean ms": mean.toFixed(3),
    "ops/s": (1000 / mean).toFixed(1),
    throughput:
      f === undefined
        ? ""
        : t.name.startsWith("matmul")
          ? `${(f / mean / 1e6).toFixed(2)} GFLOP/s`
          : `${(f / mean / 1e3).toFixed(1)} Melem/s`,
  };
});
console.table(rows);
void tensor;
