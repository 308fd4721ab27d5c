// Graph inspection: traceGraph/trace and their text and Graphviz DOT forms.

import { matmul, sigmoid, type Tensor, tensor, trace, traceGraph } from "@tapegrad/autograd";
import { describe, expect, test } from "vitest";

describe("traceGraph", () => {
  test("lists the recorded ops in topological order, a leaf used twice once", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const sq = x.mul(x);
    const y = sq.sum();
    const g = traceGraph(y);
    expect(g.nodes.map((n) => [n.id, n.op, n.inputs])).toEqual([
      [x.id, "leaf", []],
      [sq.id, "mul", [x.id, x.id]],
      [y.id, "sum", [sq.id]],
    ]);
    expect(g.outputs).toEqual([y.id]);
    expect(g.toString()).toBe(
      [
        `%${x.id} = leaf requiresGrad : [2] float32`,
        `%${sq.id} = mul(%${x.id}, %${x.id}) : [2] float32`,
        `%${y.id} = sum(%${sq.id}) : [] float32  <- output`,
      ].join("\n"),
    );
  });

  test("constants appear as leaves without requiresGrad; several outputs share one graph", () => {
    const w = tensor([[1, 2]], { requiresGrad: true });
    const c = tensor([[1], [1]]);
    const z = matmul(w, c);
    const s = sigmoid(z);
    const t = z.exp();
    const g = traceGraph([s, t]);
    expect(g.nodes.map((n) => n.op)).toEqual(["leaf", "leaf", "matmul", "sigmoid", "exp"]);
    expect(g.outputs).toEqual([s.id, t.id]);
    const text = g.toString();
    expect(text).toContain(`%${c.id} = leaf : [2, 1] float32`);
    expect(text).toContain(`%${s.id} = sigmoid(%${z.id}) : [1, 1] float32  <- output`);
    expect(text).toContain(`%${t.id} = exp(%${z.id}) : [1, 1] float32  <- output`);
  });

  test("toDot is a Graphviz digraph: boxes for leaves (blue when they require grad), ellipses for ops, edges", () => {
    const x = tensor([1, 2], { requiresGrad: true, dtype: "float64" });
    const c = tensor([3, 4], { dtype: "float64" });
    const y = x.mul(c).sum();
    const m = y.node?.inputs[0] as Tensor;
    const dot = traceGraph(y).toDot();
    const lines = dot.split("\n");
    expect(lines[0]).toBe("digraph tapegrad {");
    expect(lines.at(-1)).toBe("}");
    expect(lines).toContain(
      `  n${x.id} [label="leaf\\n[2] float64", shape=box, style=filled, fillcolor="#cfe8ff"];`,
    );
    expect(lines).toContain(
      `  n${c.id} [label="leaf\\n[2] float64", shape=box, style=filled, fillcolor="#eeeeee"];`,
    );
    expect(lines).toContain(`  n${m.id} [label="mul\\n[2] float64", shape=ellipse];`);
    expect(lines).toContain(`  n${y.id} [label="sum\\n[] float64", shape=ellipse, penwidth=2];`);
    expect(lines).toContain(`  n${x.id} -> n${m.id};`);
    expect(lines).toContain(`  n${c.id} -> n${m.id};`);
    expect(lines).toContain(`  n${m.id} -> n${y.id};`);
    expect(lines.filter((l) => l.includes("->")).length).toBe(3);
  });

  test("a tensor that requires no grad is a graph of one leaf", () => {
    const g = traceGraph(tensor([1]).mul(2));
    expect(g.nodes.map((n) => n.op)).toEqual(["leaf"]);
  });
});

describe("trace", () => {
  test("runs a function on its inputs as leaves that require grad and returns the graph", () => {
    const x = tensor([1, 2]);
    const g = trace((a: Tensor) => a.tanh().sum(), x);
    expect(g.nodes.map((n) => n.op)).toEqual(["leaf", "tanh", "sum"]);
    expect(g.nodes[0]?.requiresGrad).toBe(true);
    expect(x.requiresGrad).toBe(false);
    expect(g.toString()).toMatch(
      /^%\d+ = leaf requiresGrad : \[2\] float32\n%\d+ = tanh\(%\d+\) : \[2\] float32\n%\d+ = sum\(%\d+\) : \[\] float32 {2}<- output$/,
    );
  });
});
