#!/usr/bin/env python3
"""Why the engine's gradient leaves PyTorch's float64 gradient on some inputs of a ReLU network.

For a randomly initialised torchvision model (the weights check_torchvision.py gives it) and N random normal inputs,
this compares, at every ReLU and MaxPool:

  * the decisions of ONNX Runtime's float32 forward pass (the values the engine's gradient is computed from, written
    by GradientDump.java --kinks) and of PyTorch's float32 forward pass with those of PyTorch's float64 forward pass.
    A ReLU decision is the sign of its input; a MaxPool decision is the element each window takes;
  * the engine's gradient with PyTorch's float64 gradient, and with PyTorch's float64 backward pass through ONNX
    Runtime's decisions (each ReLU multiplies by ONNX Runtime's mask, each MaxPool takes ONNX Runtime's element).
    When the last two agree to float32 rounding, what separates the engine from float64 is the forward pass flipping
    decisions, not a backward rule.

Usage, from the repository root, after `mvn -B -o -q -pl cli -am package -DskipTests`:

    python3 tools/robustness/kink_decisions.py googlenet --size 224 --inputs 24 --out /tmp/xai4j-kinks

Works for models whose ReLUs are nn.ReLU modules or torchvision's GoogLeNet BasicConv2d and whose max pooling is
nn.MaxPool2d modules (ShuffleNetV2, GoogLeNet, ResNet, VGG, ...); it stops when the module calls do not match the
exported graph's Relu and MaxPool nodes one to one. Needs torch, torchvision, onnx, numpy and Java 17; no network,
no pretrained weights.
"""
import argparse
import collections
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_torchvision as ct  # noqa: E402  (the model list, seeds and paths)


# one ReLU or MaxPool: its inputs in float64, PyTorch float32 and ONNX Runtime, and the decisions each takes
Node = collections.namedtuple("Node", "kind name f64 f32 ort d64 d32 dort")


class Decisions:
    """Replaces every ReLU and MaxPool call: records its input, or applies given decisions instead."""

    def __init__(self, torch, F):
        self.torch, self.F = torch, F
        self.k, self.record, self.inputs, self.forced, self.pools = 0, True, [], None, {}

    def reset(self, forced=None):
        self.k, self.record, self.inputs, self.forced = 0, forced is None, [], forced

    def relu(self, pre):
        k = self._next(("Relu", pre))
        return self.F.relu(pre) if self.record else pre * self.forced[k].to(pre.dtype)

    def max_pool(self, module, x):
        k = self._next(("MaxPool", x))
        self.pools[k] = module
        if self.record:
            return self.F.max_pool2d(x, module.kernel_size, module.stride, module.padding, module.dilation,
                                     module.ceil_mode)
        idx = self.forced[k]
        return x.flatten(2).gather(2, idx.flatten(2)).view(idx.shape)

    def decide(self, k, kind, x):
        """The decisions of call k on input x: signs of a ReLU's input, window elements of a MaxPool."""
        x = self.torch.as_tensor(x).double()
        if kind == "Relu":
            return x > 0
        m = self.pools[k]
        return self.F.max_pool2d(x, m.kernel_size, m.stride, m.padding, m.dilation, m.ceil_mode,
                                 return_indices=True)[1]

    def _next(self, entry):
        if self.record:
            self.inputs.append((entry[0], entry[1].detach().clone()))
        self.k += 1
        return self.k - 1


def patch(decisions):
    import torch.nn as nn
    from torchvision.models.googlenet import BasicConv2d
    nn.ReLU.forward = lambda self, x: decisions.relu(x)
    nn.MaxPool2d.forward = lambda self, x: decisions.max_pool(self, x)
    BasicConv2d.forward = lambda self, x: decisions.relu(self.bn(self.conv(x)))


def gradient(model, xs, dtype, decisions, torch, forced=None):
    """PyTorch's gradient of logit TARGET_CLASS w.r.t. every input row; records the ReLU and MaxPool inputs."""
    decisions.reset(forced)
    x = torch.from_numpy(xs).to(dtype).requires_grad_(True)
    y = model(x)
    seed = torch.zeros(y.shape, dtype=dtype)
    seed[:, ct.TARGET_CLASS] = 1
    (y * seed).sum().backward()
    return x.grad.double().numpy(), decisions.inputs


def rel(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", help="a name from check_torchvision.py, e.g. googlenet or shufflenet_v2_x0_5")
    p.add_argument("--size", type=int, default=224, help="input height and width")
    p.add_argument("--inputs", type=int, default=16, help="random normal inputs, seeds 0..N-1")
    p.add_argument("--out", default="/tmp/xai4j-kinks")
    a = p.parse_args()

    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
    decisions = Decisions(torch, F)
    patch(decisions)
    factory = {n: f for n, f, _, _ in ct.model_specs()}[a.model]
    torch.manual_seed(ct.SEED)
    m32 = factory().eval()
    m64 = factory().eval()
    m64.load_state_dict(m32.state_dict())
    m64 = m64.double()
    os.makedirs(a.out, exist_ok=True)
    base = os.path.join(a.out, f"{a.model}_{a.size}")
    xs = np.stack([np.random.default_rng(i).standard_normal((3, a.size, a.size)) for i in range(a.inputs)]
                  ).astype(np.float32)
    seeds = np.zeros((a.inputs, ct.NUM_CLASSES), np.float32)
    seeds[:, ct.TARGET_CLASS] = 1
    np.save(base + ".input.npy", xs)
    np.save(base + ".seed.npy", seeds)
    torch.onnx.export(m32, (torch.from_numpy(xs[:1]),), base + ".onnx", opset_version=17, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    subprocess.run(["java", "-cp", ct.CLI_JAR, ct.DUMP, base + ".onnx", base + ".input.npy", base + ".seed.npy",
                    "input", base + ".xai4j.npy", "--kinks", base + ".kinks"], check=True,
                   env=dict(os.environ, XAI4J_CACHE_DIR="off"))

    g32, rec32 = gradient(m32, xs, torch.float32, decisions, torch)
    g64, rec64 = gradient(m64, xs, torch.float64, decisions, torch)
    mine = np.load(base + ".xai4j.npy").astype(np.float64)
    nodes = [line.split("\t") for line in open(os.path.join(base + ".kinks", "nodes.tsv")).read().splitlines()]
    if [r[0] for r in rec64] != [n[0] for n in nodes]:
        sys.exit("the model's ReLU and MaxPool calls do not match the graph's Relu and MaxPool nodes")
    ort = lambda f: np.load(os.path.join(base + ".kinks", f + ".npy"))  # noqa: E731
    kinks = []
    for k, ((kind, p64), (_, p32), (_, _, in_file, name)) in enumerate(zip(rec64, rec32, nodes)):
        pre = ort(in_file) if in_file else xs
        d64, d32, dort = (decisions.decide(k, kind, v) for v in (p64, p32, pre))
        assert dort.shape == d64.shape, (name, dort.shape, d64.shape)
        kinks.append(Node(kind, name, p64, p32, pre, d64, d32, dort))
    g_forced, _ = gradient(m64, xs, torch.float64, decisions, torch, [n.dort for n in kinks])
    flipped = lambda n, who, i=slice(None): int((getattr(n, who)[i] != n.d64[i]).sum())  # noqa: E731

    print(f"{a.model} at {a.size}x{a.size}, {a.inputs} random normal inputs, gradient of logit {ct.TARGET_CLASS}; "
          "relative L2 errors\n")
    print("| input | engine vs f64 | PyTorch f32 vs f64 | f64 with ORT's decisions vs f64 | engine vs f64 with ORT's "
          "decisions | decisions ORT flips (ReLU, MaxPool) | PyTorch f32 flips |")
    print("|---|---|---|---|---|---|---|")
    for i in range(a.inputs):
        count = lambda who: [sum(flipped(n, who, i) for n in kinks if n.kind == t) for t in ("Relu", "MaxPool")]  # noqa
        print(f"| {i} | {rel(mine[i], g64[i]):.1e} | {rel(g32[i], g64[i]):.1e} | {rel(g_forced[i], g64[i]):.1e} | "
              f"{rel(mine[i], g_forced[i]):.1e} | {count('dort')} | {count('d32')} |")
    print("\nDecisions ONNX Runtime flips (value relative to the largest |value| of that example's tensor):")
    for kind, name, p64, p32, pre, d64, _, dort in kinks:
        for index in torch.nonzero(torch.as_tensor(dort != d64)).tolist():
            i, at = index[0], tuple(index)
            scale = float(p64[i].abs().max())
            if kind == "Relu":
                print(f"  input {i} {name} {at[1:]}: f64 {float(p64[at]):.2e}, ORT {float(pre[at]):.2e}, "
                      f"PyTorch f32 {float(p32[at]):.2e} (of {scale:.2e})")
            else:
                plane = p64[i][at[1]].flatten()
                chosen, taken = float(plane[d64[at]]), float(plane[dort[at]])
                print(f"  input {i} {name} window {at[1:]}: f64 takes {chosen:.7e}, ORT takes {taken:.7e}, "
                      f"gap {(chosen - taken) / scale:.1e} of {scale:.2e}")
    errs = [rel(mine[i], g64[i]) for i in range(a.inputs)]
    torch_errs = [rel(g32[i], g64[i]) for i in range(a.inputs)]
    rule = max(rel(mine[i], g_forced[i]) for i in range(a.inputs))
    summary = {}
    rounding = {}
    for field, decided, who in (("ort", "dort", "ORT"), ("f32", "d32", "PyTorch f32")):
        inputs = sum(1 for i in range(a.inputs) if any(flipped(n, decided, i) for n in kinks))
        total = [sum(flipped(n, decided) for n in kinks if n.kind == t) for t in ("Relu", "MaxPool")]
        summary[who] = f"{inputs} of {a.inputs} inputs ({total[0]} ReLU units, {total[1]} MaxPool windows)"
        # rounding of the ReLU outputs: each node's largest error relative to its largest value, over all inputs
        rounding[who] = [float((F.relu(torch.as_tensor(getattr(n, field)).double()) - F.relu(n.f64)).abs().max()
                               / n.f64.abs().max()) for n in kinks if n.kind == "Relu"]
    print(f"\nSummary: engine above 1e-4 from f64 on {sum(e > 1e-4 for e in errs)} of {a.inputs} inputs (max "
          f"{max(errs):.1e}), PyTorch f32 on {sum(e > 1e-4 for e in torch_errs)} (max {max(torch_errs):.1e}); "
          f"decisions flipped by ORT on {summary['ORT']}, by PyTorch f32 on {summary['PyTorch f32']}; engine vs f64 "
          f"with ORT's decisions at most {rule:.1e}; ReLU outputs' rounding (per node, relative to its largest value)"
          + "".join(f", {who} median {np.median(r):.1e} max {max(r):.1e}" for who, r in rounding.items()))


if __name__ == "__main__":
    main()
