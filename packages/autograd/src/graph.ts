// Graph inspection: what a computation recorded, as text and as Graphviz DOT.

import { fmtShape } from "./errors.js";
import { Tensor } from "./tensor.js";

/**
 * One recorded op (or leaf) of a {@link Graph}.
 *
 * @example
 * ```ts
 * import { traceGraph, tensor, type GraphNode } from "@tapegrad/autograd";
 * const x = tensor([1], { requiresGrad: true });
 * const first: GraphNode | undefined = traceGraph(x.exp()).nodes[0];
 * console.log(first?.op); // "leaf"
 * ```
 * @category Debugging
 */
export interface GraphNode {
  /** The tensor's id. */
  readonly id: number;
  /** The op's name, or "leaf" for an input. */
  readonly op: string;
  /** Ids of the op's inputs. */
  readonly inputs: readonly number[];
  readonly shape: readonly number[];
  readonly dtype: string;
  /** For leaves: whether it requires grad. */
  readonly requiresGrad: boolean;
}

/**
 * The recorded computation behind some tensors, in topological order (inputs first).
 *
 * @example
 * ```ts
 * import { traceGraph, tensor } from "@tapegrad/autograd";
 * const x = tensor([1, 2], { requiresGrad: true });
 * const g = traceGraph(x.mul(x).sum());
 * console.log(g.toString());
 * console.log(g.toDot().startsWith("digraph")); // true
 * ```
 * @category Debugging
 */
export class Graph {
  /** The nodes, inputs first. */
  readonly nodes: readonly GraphNode[];
  /** Ids of the tensors the graph was traced from. */
  readonly outputs: readonly number[];

  /** @internal */
  constructor(nodes: readonly GraphNode[], outputs: readonly number[]) {
    this.nodes = nodes;
    this.outputs = outputs;
  }

  /** One line per node: `%id = op(%a, %b) : [shape] dtype`. */
  toString(): string {
    return this.nodes
      .map((n) => {
        const rhs =
          n.op === "leaf"
            ? `leaf${n.requiresGrad ? " requiresGrad" : ""}`
            : `${n.op}(${n.inputs.map((i) => `%${i}`).join(", ")})`;
        const mark = this.outputs.includes(n.id) ? "  <- output" : "";
        return `%${n.id} = ${rhs} : ${fmtShape(n.shape)} ${n.dtype}${mark}`;
      })
      .join("\n");
  }

  /** Graphviz DOT: leaves as boxes, ops as ellipses labelled with name, shape and dtype. */
  toDot(): string {
    const lines = ["digraph tapegrad {", "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=11];'];
    for (const n of this.nodes) {
      const label = `${n.op}\\n${fmtShape(n.shape)} ${n.dtype}`;
      const style =
        n.op === "leaf"
          ? `shape=box, style=filled, fillcolor="${n.requiresGrad ? "#cfe8ff" : "#eeeeee"}"`
          : "shape=ellipse";
      const out = this.outputs.includes(n.id) ? ", penwidth=2" : "";
      lines.push(`  n${n.id} [label="${label}", ${style}${out}];`);
      for (const i of n.inputs) lines.push(`  n${i} -> n${n.id};`);
    }
    lines.push("}");
    return lines.join("\n");
  }
}

/**
 * The graph recorded behind `outputs`: every op between them and the leaves that require grad.
 * Call it before `backward()`, which frees the graph.
 * @example
 * ```ts
 * import { traceGraph, tensor, sigmoid } from "@tapegrad/autograd";
 * const w = tensor([[1, 2]], { requiresGrad: true });
 * console.log(traceGraph(sigmoid(w.matmul(tensor([[1], [1]])))).nodes.map((n) => n.op)); // ["leaf", "leaf", "matmul", "sigmoid"]
 * ```
 * @category Debugging
 */
export function traceGraph(outputs: Tensor | readonly Tensor[]): Graph {
  const outs = outputs instanceof Tensor ? [outputs] : [...outputs];
  const seen = new Set<Tensor>();
  const nodes: GraphNode[] = [];
  const visit = (root: Tensor): void => {
    const stack: [Tensor, boolean][] = [[root, false]];
    while (stack.length > 0) {
      const [t, done] = stack.pop() as [Tensor, boolean];
      if (done) {
        nodes.push({
          id: t.id,
          op: t.node === null ? "leaf" : t.node.op.name,
          inputs: t.node?.inputs.map((x) => x.id) ?? [],
          shape: t.shape,
          dtype: t.dtype,
          requiresGrad: t.requiresGrad,
        });
        continue;
      }
      if (seen.has(t)) continue;
      seen.add(t);
      stack.push([t, true]);
      const inputs = t.node?.inputs ?? [];
      for (let i = inputs.length - 1; i >= 0; i--)
        if (!seen.has(inputs[i] as Tensor)) stack.push([inputs[i] as Tensor, false]);
    }
  };
  for (const o of outs) visit(o);
  return new Graph(
    nodes,
    outs.map((o) => o.id),
  );
}

/**
 * Runs `f` on `inputs` (as leaves that require grad) and returns the graph it recorded, so you can see
 * what a function does to its inputs.
 * @example
 * ```ts
 * import { trace, tensor, tanh } from "@tapegrad/autograd";
 * console.log(trace((x) => tanh(x).sum(), tensor([1, 2])).toString());
 * ```
 * @category Debugging
 */
export function trace(f: (...inputs: Tensor[]) => Tensor, ...inputs: Tensor[]): Graph {
  const leaves = inputs.map((x) =>
    x.requiresGrad || x.dtype === "int32" ? x : new Tensor(x.nd, null, true),
  );
  return traceGraph(f(...leaves));
}
