// Gradient checks of modules with respect to their inputs and their parameters, in float64.

import { assertGradcheck, Generator, type GradcheckOptions, randn, type Tensor } from "@tapegrad/autograd";
import { functionalCall, type Module } from "@tapegrad/nn";

/** float64 tolerances from STYLE.md §3. */
export const TOL: GradcheckOptions = { eps: 1e-6, atol: 1e-7, rtol: 1e-5 };

/**
 * Checks d(⟨u, module(inputs)⟩) against finite differences for every input and every parameter, with a
 * random cotangent u (never all ones). Returns the number of Jacobian entries compared.
 */
export function checkModule(module: Module, inputs: readonly Tensor[], seed = 0, options = TOL): number {
  const named = module.namedParameters();
  const out = module.call(...inputs) as Tensor;
  const u = randn(out.shape, { dtype: "float64", generator: new Generator(seed) });
  const f = (...args: Tensor[]): Tensor => {
    const xs = args.slice(0, inputs.length);
    const ps = Object.fromEntries(named.map(([n], i) => [n, args[inputs.length + i] as Tensor]));
    return (functionalCall(module, ps, ...xs) as Tensor).mul(u).sum();
  };
  return assertGradcheck(f, [...inputs, ...named.map(([, p]) => p)], options).checked;
}
