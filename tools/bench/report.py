#!/usr/bin/env python3
"""Turns JMH JSON results (and optionally the PyTorch baseline JSON) into one Markdown table of medians."""
import json
import os
import platform
import sys


def histogram_median(pairs):
    """The median of a JMH sample histogram, a list of [value, count] pairs."""
    pairs = sorted(pairs)
    half = sum(count for _, count in pairs) / 2
    seen = 0
    for value, count in pairs:
        seen += count
        if seen >= half:
            return value
    raise ValueError("empty histogram")


def jmh_medians(path):
    """Per benchmark: the median over all samples, and the lowest median of one measurement iteration."""
    medians, quiet = {}, {}
    for entry in json.load(open(path)):
        name = entry["benchmark"].rsplit(".", 1)[1]
        metric = entry["primaryMetric"]
        if metric["scoreUnit"] != "ms/op":
            raise SystemExit(f"{name}: expected ms/op, got {metric['scoreUnit']}")
        percentiles = metric.get("scorePercentiles", {})
        medians[name] = percentiles.get("50.0", metric["score"])
        iterations = [it for fork in metric.get("rawDataHistogram", []) for it in fork if it]
        quiet[name] = min(histogram_median(it) for it in iterations) if iterations else medians[name]
    return medians, quiet


# (label, xai4j benchmark, PyTorch key, Captum key, reference benchmark for the forward ratio, target)
# A target is ("fwd", r): at most r times the forward pass of the same run, or ("baseline", r): at most r times
# Captum's time (PyTorch's when Captum is missing) in the same run.
ROWS = [
    ("Forward, batch 1", "forwardBatch1", "forwardBatch1", None, None, None),
    ("Forward, batch 32", "forwardBatch32", "forwardBatch32", None, None, None),
    ("Saliency, engine (one vjp)", "saliencyEngine", "saliency", "captumSaliency", "forwardBatch1", ("fwd", 2.5)),
    ("Saliency, method", "saliencyMethod", "saliency", "captumSaliency", "forwardBatch1", None),
    ("Saliency, Explainer, class target", "saliencyExplainer", "saliency", "captumSaliency", "forwardBatch1",
     ("baseline", 0.55)),
    ("Saliency, Explainer, top1 target (+ forward)", "saliencyExplainerTop1", None, None, "forwardBatch1", None),
    ("IG 32 steps, engine (one vjp, 32 rows)", "integratedGradients32Engine", "integratedGradients32",
     "captumIntegratedGradients32", "forwardBatch32", ("fwd", 2.5)),
    ("IG 32 steps, method (34 rows)", "integratedGradients32Method", "integratedGradients32",
     "captumIntegratedGradients32", "forwardBatch32", None),
    ("IG 32 steps, Explainer, class target", "integratedGradients32Explainer", "integratedGradients32",
     "captumIntegratedGradients32", "forwardBatch32", ("baseline", 0.6)),
    ("Saliency, exported explainer (one session run)", "saliencyExported", "saliency", None, "forwardBatch1", None),
    ("IG 32 steps, exported explainer (34 rows, one session run)", "integratedGradients32Exported",
     "integratedGradients32", None, "forwardBatch32", None),
    ("Grad-CAM, method", "gradCam", "gradCam", "captumLayerGradCam", "forwardBatch1", ("fwd", 1.2)),
    ("Grad-CAM, Explainer, class target", "gradCamExplainer", "gradCam", "captumLayerGradCam", "forwardBatch1",
     ("baseline", 0.5)),
    ("Score-CAM, method", "scoreCam", None, None, "forwardBatch1", None),
    ("Ablation-CAM, method", "ablationCam", None, None, "forwardBatch1", None),
]
REFERENCE_LABEL = {"forwardBatch1": "fwd 1", "forwardBatch32": "fwd 32"}


def cpu_model():
    """The CPU model from /proc/cpuinfo, or the platform's processor string."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def fmt(value):
    return "-" if value is None else (f"{value:.0f}" if value >= 100 else f"{value:.1f}")


def ratio(value, reference):
    return None if value is None or not reference else value / reference


def times(value, suffix=""):
    return "-" if value is None else f"{value:.2f}x{suffix}"


def verdict(target, fwd_ratio, baseline_ratio, baseline_name):
    if target is None:
        return "-", "-"
    kind, limit = target
    value = fwd_ratio if kind == "fwd" else baseline_ratio
    label = f"<= {limit}x " + ("fwd" if kind == "fwd" else baseline_name)
    return label, "-" if value is None else ("met" if value <= limit else "not met")


def main():
    if len(sys.argv) not in (2, 3):
        raise SystemExit("usage: report.py JMH_JSON [PYTORCH_JSON]")
    xai, quiet = jmh_medians(sys.argv[1])
    torch = json.load(open(sys.argv[2])) if len(sys.argv) == 3 else {}
    torch_ms = {k: v["median_ms"] for k, v in torch.items() if isinstance(v, dict)}
    captum = torch.get("captum_version")
    baseline_name = "Captum" if captum else "PyTorch"
    lines = [
        "# xai4j benchmark results",
        "",
        "ResNet-18 (torchvision topology, BatchNorm folded, random weights), 224x224, opset 17; produced by "
        "`tools/bench/run.sh`.",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu_model()}, {platform.machine()}, {platform.system()}), CPU only, "
        f"ONNX Runtime intra-op threads = {os.environ.get('THREADS') or 'cores'}"
        f"{', PyTorch threads = ' + str(torch['threads']) if torch else ''}. "
        f"Medians in milliseconds per call; ratios from the same run."
        + (f" JMH: {os.environ['JMH_SETTINGS']}." if os.environ.get("JMH_SETTINGS") else "")
        + (f" System {os.environ['LOAD']}." if os.environ.get("LOAD") else ""),
        "",
        f"| Operation | xai4j ms | PyTorch ms | Captum ms | xai4j / {baseline_name} | xai4j / fwd | target | "
        "result | xai4j ms, quietest iteration |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for label, bench, torch_key, captum_key, reference, target in ROWS:
        if bench not in xai:
            continue
        mine = xai[bench]
        plain = torch_ms.get(torch_key) if torch_key else None
        theirs = torch_ms.get(captum_key) if captum_key else None
        baseline = theirs if captum else plain
        fwd_ratio = ratio(mine, xai.get(reference)) if reference else None
        baseline_ratio = ratio(mine, baseline)
        target_label, result = verdict(target, fwd_ratio, baseline_ratio, baseline_name)
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            label, fmt(mine), fmt(plain), fmt(theirs), times(baseline_ratio),
            times(fwd_ratio, " " + REFERENCE_LABEL.get(reference, "")) if fwd_ratio else "-",
            target_label, result, fmt(quiet[bench])))
    cams = [(label, xai[b]) for label, b, *_ in ROWS if b in ("scoreCam", "ablationCam") and b in xai]
    lines += ["", "The quietest iteration is the JMH measurement iteration with the lowest median: on a "
                  "machine shared with other work it estimates the unloaded time."]
    if cams:
        lines.append("")
        lines += [f"{label}: {1000 / ms:.2f} explained images/s" for label, ms in cams]
    if torch:
        lines += ["", f"PyTorch {torch.get('torch_version')}: torchvision resnet18, random init, eval mode, "
                      "parameters frozen; plain autograd with respect to the input (the layer for Grad-CAM); IG 32 "
                      "is one batched forward and backward of 32 path points."]
        lines.append(f"Captum {captum}: Saliency, IntegratedGradients (n_steps=32, zero baseline) and LayerGradCam "
                     "(layer4) on the same model, target class 7." if captum else
                     "Captum was not importable: the baseline is plain torch autograd, and the targets are checked "
                     "against it.")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
