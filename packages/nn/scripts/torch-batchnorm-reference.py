# Writes test/fixtures/torch-batchnorm.json: PyTorch's BatchNorm1d/2d in float64 over two training steps
# (outputs, gradients, running statistics) and an evaluation step, for batch-norm.test.ts.
# Run with a Python that has PyTorch (Debian: apt-get install python3-torch):
#   python3 packages/nn/scripts/torch-batchnorm-reference.py
import json
import pathlib

import torch

torch.manual_seed(0)


def t(x):
    return {"shape": list(x.shape), "data": x.detach().flatten().tolist()}


cases = []
for layer, shape, momentum in [("BatchNorm2d", (4, 3, 5, 5), 0.1), ("BatchNorm1d", (6, 3), None),
                               ("BatchNorm1d", (5, 3, 4), 0.3)]:
    cls = getattr(torch.nn, layer)
    bn = cls(3, momentum=momentum).double()
    with torch.no_grad():
        bn.weight.copy_(torch.randn(3, dtype=torch.float64))
        bn.bias.copy_(torch.randn(3, dtype=torch.float64))
    init = {"weight": t(bn.weight), "bias": t(bn.bias)}
    steps = []
    for _ in range(2):
        x = (torch.randn(*shape, dtype=torch.float64) * 2 + 1).requires_grad_()
        bn.zero_grad()
        y = bn(x)
        g = torch.randn_like(y)
        y.backward(g)
        steps.append({"x": t(x), "y": t(y), "g": t(g), "gx": t(x.grad), "gw": t(bn.weight.grad), "gb": t(bn.bias.grad)})
    bn.eval()
    x = torch.randn(*shape, dtype=torch.float64)
    cases.append({"layer": layer, "momentum": momentum, "init": init, "steps": steps,
                  "running_mean": t(bn.running_mean), "running_var": t(bn.running_var),
                  "num_batches_tracked": int(bn.num_batches_tracked), "eval": {"x": t(x), "y": t(bn(x))}})

out = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "torch-batchnorm.json"
out.write_text(json.dumps({"torch": torch.__version__, "cases": cases}) + "\n")
print(f"wrote {len(cases)} cases to {out}")
