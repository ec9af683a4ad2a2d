#!/usr/bin/env python3
"""PyTorch CPU baseline for the xai4j benchmarks: the same operations on torchvision's resnet18.

Random initialisation, eval mode, 224x224 inputs, torch.set_num_threads(2) by default. Gradients are taken with
respect to the input only (parameters do not require grad), as the ONNX gradient engine does. Prints one JSON
object: operation name -> median milliseconds (and the sample count). Exits with status 3 when torch or
torchvision is missing.
"""
import argparse
import json
import statistics
import sys
import time

try:
    import torch
    import torchvision
except ImportError as e:  # the caller skips the baseline
    print(f"PyTorch baseline skipped: {e}", file=sys.stderr)
    sys.exit(3)

TARGET_CLASS = 7


def median_ms(fn, repeats, warmup):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
    return {"median_ms": statistics.median(samples), "samples": repeats}


def input_gradient(model, x):
    x = x.detach().requires_grad_(True)
    model(x)[:, TARGET_CLASS].sum().backward()
    return x.grad


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the number of repeats")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(18)
    model = torchvision.models.resnet18().eval()
    for p in model.parameters():
        p.requires_grad_(False)
    image = torch.randn(1, 3, 224, 224)
    batch = torch.randn(32, 3, 224, 224)
    baseline = torch.zeros_like(image)
    alphas = torch.linspace(0, 1, 32).view(32, 1, 1, 1)
    path = baseline + alphas * (image - baseline)

    def reps(n):
        return max(3, int(n * args.scale))

    def forward(x):
        with torch.no_grad():
            return model(x)

    results = {
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "forwardBatch1": median_ms(lambda: forward(image), reps(30), 5),
        "forwardBatch32": median_ms(lambda: forward(batch), reps(7), 2),
        "saliency": median_ms(lambda: input_gradient(model, image), reps(20), 3),
        "integratedGradients32": median_ms(lambda: input_gradient(model, path), reps(5), 1),
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
