#!/usr/bin/env python3
"""PyTorch CPU baseline for the xai4j benchmarks: the same operations on torchvision's resnet18.

Random initialisation, eval mode, 224x224 inputs, torch.set_num_threads(2) by default. Gradients are taken with
respect to the input (or the layer) only: parameters do not require grad, as the ONNX gradient engine does. Plain
torch autograd always; Captum's Saliency, IntegratedGradients and LayerGradCam too when `import captum` works
(e.g. a Captum checkout on PYTHONPATH), otherwise the output says so. The operations take turns in rounds, so that
changing machine load affects them alike. Prints one JSON object: operation name -> median milliseconds and the
sample count, plus the versions. Exits with status 3 when torch or torchvision is
missing.
"""
import argparse
import json
import statistics
import sys
import time
import warnings

try:
    import torch
    import torchvision
except ImportError as e:  # the caller skips the baseline
    print(f"PyTorch baseline skipped: {e}", file=sys.stderr)
    sys.exit(3)

try:
    import captum
    from captum.attr import IntegratedGradients, LayerGradCam, Saliency
except ImportError as e:
    captum = None
    CAPTUM_MISSING = str(e)
# Captum sets requires_grad on the input itself, as it does for its users; the warning about it is noise here
warnings.filterwarnings("ignore", message="Input Tensor .* did not already require gradients")

TARGET_CLASS = 7
STEPS = 32


def medians_ms(operations, rounds):
    """Median milliseconds per call of each operation: name -> (fn, repeats). Every operation is warmed up, then
    the repeats are spread over `rounds` rounds that visit the operations in turn, so that a change in machine load
    during the run affects all of them alike."""
    for fn, repeats in operations.values():
        for _ in range(max(1, repeats // 5)):
            fn()
    samples = {name: [] for name in operations}
    for r in range(rounds):
        for name, (fn, repeats) in operations.items():
            for _ in range(repeats // rounds + (1 if r < repeats % rounds else 0)):
                start = time.perf_counter()
                fn()
                samples[name].append((time.perf_counter() - start) * 1e3)
    return {name: {"median_ms": statistics.median(s), "samples": len(s)} for name, s in samples.items()}


def input_gradient(model, x):
    x = x.detach().requires_grad_(True)
    model(x)[:, TARGET_CLASS].sum().backward()
    return x.grad


def grad_cam(model, x):
    """Grad-CAM at layer4 with plain autograd: the layer's output and its gradient, channel means, ReLU of the sum."""
    saved = {}
    hook = model.layer4.register_forward_hook(lambda module, inp, out: saved.update(a=out.requires_grad_(True)))
    try:
        score = model(x)[:, TARGET_CLASS].sum()
    finally:
        hook.remove()
    a = saved["a"]
    (g,) = torch.autograd.grad(score, a)
    weights = g.mean(dim=(2, 3), keepdim=True)
    return torch.relu((weights * a).sum(dim=1, keepdim=True)).detach()


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
    alphas = torch.linspace(0, 1, STEPS).view(STEPS, 1, 1, 1)
    path = baseline + alphas * (image - baseline)

    def reps(n):
        return max(3, int(n * args.scale))

    def forward(x):
        with torch.no_grad():
            return model(x)

    operations = {
        "forwardBatch1": (lambda: forward(image), reps(30)),
        "forwardBatch32": (lambda: forward(batch), reps(5)),
        "saliency": (lambda: input_gradient(model, image), reps(20)),
        "integratedGradients32": (lambda: input_gradient(model, path), reps(5)),
        "gradCam": (lambda: grad_cam(model, image), reps(20)),
    }
    if captum:
        saliency = Saliency(model)
        ig = IntegratedGradients(model)
        cam = LayerGradCam(model, model.layer4)
        operations["captumSaliency"] = (lambda: saliency.attribute(image, target=TARGET_CLASS), reps(20))
        operations["captumIntegratedGradients32"] = (
            lambda: ig.attribute(image, baselines=baseline, target=TARGET_CLASS, n_steps=STEPS), reps(5))
        operations["captumLayerGradCam"] = (lambda: cam.attribute(image, target=TARGET_CLASS), reps(20))
    else:
        print(f"Captum is not importable ({CAPTUM_MISSING}); reporting plain torch autograd only. Put a Captum "
              "checkout on PYTHONPATH to compare with Captum.", file=sys.stderr)
    results = {
        "torch_version": torch.__version__,
        "captum_version": captum.__version__ if captum else None,
        "threads": torch.get_num_threads(),
    }
    results.update(medians_ms(operations, rounds=max(3, min(5, reps(5)))))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
