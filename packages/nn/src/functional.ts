// Calling a module with some of its parameters replaced: a module as a pure function of its parameters.

import type { Tensor } from "@tapegrad/autograd";
import { fmtShape } from "./format.js";
import type { Module } from "./module.js";
import { paramSlots, StateDictError } from "./module.js";

/**
 * Runs `module.call(...inputs)` with the parameters named in `parameters` (dotted names, as
 * {@link Module.namedParameters} gives them) temporarily replaced by the given tensors, then puts the
 * originals back, even if the call throws (PyTorch's `torch.func.functional_call`). This makes a module a
 * function of its parameters, which is what autograd's `gradcheck` and functional transforms need.
 * Parameters not named keep their values.
 * @throws {StateDictError} If a name is not a parameter of the module or a shape differs.
 * @example
 * ```ts
 * import { Linear, functionalCall } from "@tapegrad/nn";
 * import { ones, zeros } from "@tapegrad/autograd";
 * const layer = new Linear(2, 1);
 * const y = functionalCall(layer, { weight: ones([1, 2]), bias: zeros([1]) }, ones([1, 2]));
 * console.log(y.toArray()); // [[2]]
 * ```
 * @category Modules
 */
export function functionalCall<M extends Module>(
  module: M,
  parameters: Readonly<Record<string, Tensor>>,
  ...inputs: Parameters<M["forward"]>
): ReturnType<M["forward"]> {
  const slots = new Map(paramSlots(module, false).map((s) => [s.name, s]));
  const problems: string[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    const slot = slots.get(name);
    if (slot === undefined) problems.push(`${JSON.stringify(name)} is not a parameter`);
    else if (value.ndim !== slot.tensor.ndim || value.shape.some((n, i) => n !== slot.tensor.shape[i])) {
      problems.push(
        `${JSON.stringify(name)} has ${fmtShape(value.shape)}, expected ${fmtShape(slot.tensor.shape)}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new StateDictError(
      `functionalCall: ${problems.join("; ")} of ${module.constructor.name}`,
      [],
      Object.keys(parameters).filter((n) => !slots.has(n)),
      [],
    );
  }
  const restore: (() => void)[] = [];
  try {
    for (const [name, value] of Object.entries(parameters)) {
      const { owner, key, index } = slots.get(name) as NonNullable<ReturnType<typeof slots.get>>;
      const holder = owner as unknown as Record<string, unknown>;
      if (index === null) {
        const old = holder[key];
        holder[key] = value;
        restore.push(() => {
          holder[key] = old;
        });
      } else {
        const list = holder[key] as Tensor[];
        const old = list[index] as Tensor;
        list[index] = value;
        restore.push(() => {
          list[index] = old;
        });
      }
    }
    return module.call(...inputs);
  } finally {
    for (const undo of restore.reverse()) undo();
  }
}
