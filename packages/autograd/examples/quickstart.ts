// The README's short example: a tiny linear regression fitted by gradient descent, then checked.

import {
  assertGradcheck,
  Generator,
  grad,
  hessian,
  noGrad,
  randn,
  type Tensor,
  tensor,
} from "../src/index.js";

const gen = new Generator(0);
const x = randn([64, 3], { generator: gen });
const trueW = tensor([[2], [-1], [0.5]]);
const y = x.matmul(trueW).add(0.1);

const w = randn([3, 1], { generator: gen, requiresGrad: true });
const b = tensor([0], { requiresGrad: true });
for (let step = 0; step < 200; step++) {
  const loss = x.matmul(w).add(b).sub(y).square().mean();
  w.grad = null;
  b.grad = null;
  loss.backward();
  noGrad(() => {
    w.assign(w.sub((w.grad as Tensor).mul(0.1)));
    b.assign(b.sub((b.grad as Tensor).mul(0.1)));
  });
}
console.log("fitted w:", w.toString());

// The same gradient, JAX style, verified against finite differences in float64.
const lossOf = (wv: Tensor) => x.matmul(wv).sub(y).square().mean();
console.log("grad at the fit:", grad(lossOf)(w.detach()).toString());
console.log(assertGradcheck(lossOf, [w.detach()]).toString());
console.log("hessian of x³:", hessian((v: Tensor) => v.pow(3).sum())(tensor([1, 2])).toString());
