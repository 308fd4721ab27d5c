import { Generator, ones, type Tensor, tensor, zeros } from "@tapegrad/autograd";
import { functionalCall, Linear, Module, Sequential, Sigmoid, StateDictError } from "@tapegrad/nn";
import { describe, expect, test } from "vitest";

describe("functionalCall", () => {
  test("replaces the named parameters for one call and restores them", () => {
    const net = new Sequential(new Linear(2, 1, { generator: new Generator(0) }), new Sigmoid());
    const original = net.parameters();
    const y = functionalCall(net, { "0.weight": zeros([1, 2]), "0.bias": zeros([1]) }, ones([3, 2]));
    expect(y.toArray()).toEqual([[0.5], [0.5], [0.5]]);
    expect(net.parameters()).toEqual(original);
  });

  test("restores the parameters even when the call throws", () => {
    const layer = new Linear(2, 1);
    const w = layer.weight;
    expect(() => functionalCall(layer, { weight: zeros([1, 2]) }, ones([3, 5]))).toThrow(/Linear: input/);
    expect(layer.weight).toBe(w);
  });

  test("reaches parameters inside arrays of tensors", () => {
    class Bag extends Module {
      ws = [tensor([1], { requiresGrad: true }), tensor([2], { requiresGrad: true })];
      forward(x: Tensor): Tensor {
        return x.mul(this.ws[0] as Tensor).add(this.ws[1] as Tensor);
      }
    }
    const bag = new Bag();
    expect(functionalCall(bag, { "ws.1": tensor([10]) }, tensor([3])).toArray()).toEqual([13]);
    expect(bag.ws[1]?.item()).toBe(2);
  });

  test("rejects unknown names and wrong shapes", () => {
    const layer = new Linear(2, 1);
    expect(() => functionalCall(layer, { wieght: zeros([1, 2]) }, ones([1, 2]))).toThrow(StateDictError);
    expect(() => functionalCall(layer, { weight: zeros([2, 2]) }, ones([1, 2]))).toThrow(
      /has \[2, 2\], expected \[1, 2\]/,
    );
  });
});
