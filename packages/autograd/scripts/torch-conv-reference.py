# Writes test/fixtures/torch-conv.json: values and gradients of PyTorch's conv2d, conv_transpose2d,
# max_pool2d, avg_pool2d and the adaptive poolings
# in float64 on random inputs, for torch-reference.test.ts to compare tapegrad against.
# Run with a Python that has PyTorch (Debian: apt-get install python3-torch):
#   python3 packages/autograd/scripts/torch-conv-reference.py
import json
import pathlib

import torch
import torch.nn.functional as F

torch.manual_seed(0)
cases = []


def t(x):
    return {"shape": list(x.shape), "data": x.detach().flatten().tolist()}


conv = [  # n, c, h, w, out, kh, kw, stride, padding, dilation, groups
    (2, 3, 5, 6, 4, 3, 2, 1, 0, 1, 1),
    (1, 4, 7, 7, 6, 3, 3, 2, 1, 1, 2),
    (2, 2, 6, 5, 4, 2, 3, (1, 2), (1, 0), (2, 1), 2),
    (1, 1, 8, 8, 3, 2, 2, 1, "same", 1, 1),
    (2, 4, 5, 5, 4, 3, 3, 1, 1, 1, 4),
]
for n, c, h, w, o, kh, kw, stride, padding, dilation, groups in conv:
    x = torch.randn(n, c, h, w, dtype=torch.float64, requires_grad=True)
    weight = torch.randn(o, c // groups, kh, kw, dtype=torch.float64, requires_grad=True)
    bias = torch.randn(o, dtype=torch.float64, requires_grad=True)
    y = F.conv2d(x, weight, bias, stride=stride, padding=padding, dilation=dilation, groups=groups)
    g = torch.randn_like(y)
    y.backward(g)
    options = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    cases.append({"op": "conv2d", "options": options, "inputs": [t(x), t(weight), t(bias)],
                  "output": t(y), "cotangent": t(g), "grads": [t(x.grad), t(weight.grad), t(bias.grad)]})

transposed = [  # n, in, h, w, out, kh, kw, stride, padding, output_padding, dilation, groups
    (2, 3, 3, 4, 2, 3, 2, 1, 0, 0, 1, 1),
    (1, 4, 3, 3, 6, 3, 3, 2, 1, 1, 1, 2),
    (2, 2, 2, 3, 2, 2, 3, (2, 1), (1, 0), (1, 0), (1, 2), 1),
    (1, 2, 3, 3, 2, 3, 3, 1, 1, 1, 2, 1),  # output padding at or above the stride, below the dilation
]
for n, c, h, w, o, kh, kw, stride, padding, output_padding, dilation, groups in transposed:
    x = torch.randn(n, c, h, w, dtype=torch.float64, requires_grad=True)
    weight = torch.randn(c, o // groups, kh, kw, dtype=torch.float64, requires_grad=True)
    bias = torch.randn(o, dtype=torch.float64, requires_grad=True)
    y = F.conv_transpose2d(x, weight, bias, stride=stride, padding=padding, output_padding=output_padding,
                           groups=groups, dilation=dilation)
    g = torch.randn_like(y)
    y.backward(g)
    options = {"stride": stride, "padding": padding, "outputPadding": output_padding, "dilation": dilation,
               "groups": groups}
    cases.append({"op": "convTranspose2d", "options": options, "inputs": [t(x), t(weight), t(bias)],
                  "output": t(y), "cotangent": t(g), "grads": [t(x.grad), t(weight.grad), t(bias.grad)]})

pool = [  # op, kernel, stride, padding, dilation or countIncludePad, ceil_mode
    ("maxPool2d", 2, None, 0, 1, False),
    ("maxPool2d", 3, 1, 1, 1, False),
    ("maxPool2d", (3, 2), (2, 1), (1, 0), 1, False),
    ("maxPool2d", 2, 1, 0, 2, False),
    ("maxPool2d", 2, None, 0, 1, True),
    ("maxPool2d", 3, 2, 1, (1, 2), True),
    ("avgPool2d", 2, None, 0, True, False),
    ("avgPool2d", 3, 1, 1, True, False),
    ("avgPool2d", 3, 2, 1, False, False),
    ("avgPool2d", (2, 3), (1, 2), (1, 1), False, False),
    ("avgPool2d", 2, None, 0, True, True),
    ("avgPool2d", 3, 2, 1, True, True),
    ("avgPool2d", (3, 2), (2, 2), (1, 1), False, True),
]
for op, kernel, stride, padding, extra, ceil in pool:
    x = torch.randn(2, 2, 6, 5, dtype=torch.float64, requires_grad=True)
    options = {"padding": padding}
    if stride is not None:
        options["stride"] = stride
    if ceil:
        options["ceilMode"] = True
    if op == "maxPool2d":
        y = F.max_pool2d(x, kernel, stride, padding, extra, ceil_mode=ceil)
        options["dilation"] = extra
    else:
        y = F.avg_pool2d(x, kernel, stride, padding, ceil_mode=ceil, count_include_pad=extra)
        options["countIncludePad"] = extra
    g = torch.randn_like(y)
    y.backward(g)
    cases.append({"op": op, "kernel": kernel, "options": options, "inputs": [t(x)],
                  "output": t(y), "cotangent": t(g), "grads": [t(x.grad)]})

adaptive = [  # op, input shape, output size
    ("adaptiveAvgPool2d", (2, 2, 5, 7), (3, 4)),
    ("adaptiveAvgPool2d", (1, 3, 6, 4), 1),
    ("adaptiveAvgPool2d", (1, 2, 3, 2), (4, 5)),
    ("adaptiveMaxPool2d", (2, 2, 5, 7), (3, 4)),
    ("adaptiveMaxPool2d", (1, 2, 6, 6), (2, 3)),
]
for op, shape, size in adaptive:
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    y = F.adaptive_avg_pool2d(x, size) if op == "adaptiveAvgPool2d" else F.adaptive_max_pool2d(x, size)
    g = torch.randn_like(y)
    y.backward(g)
    cases.append({"op": op, "kernel": size, "options": {}, "inputs": [t(x)], "output": t(y), "cotangent": t(g),
                  "grads": [t(x.grad)]})

out = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "torch-conv.json"
out.write_text(json.dumps({"torch": torch.__version__, "cases": cases}) + "\n")
print(f"wrote {len(cases)} cases to {out}")
