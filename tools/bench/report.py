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


# (label, xai4j benchmark, PyTorch key, reference benchmark for the ratio, target ratio)
ROWS = [
    ("Forward, batch 1", "forwardBatch1", "forwardBatch1", None, None),
    ("Forward, batch 32", "forwardBatch32", "forwardBatch32", None, None),
    ("Saliency, engine (one vjp)", "saliencyEngine", "saliency", "forwardBatch1", 2.5),
    ("Saliency, method", "saliencyMethod", "saliency", "forwardBatch1", 2.5),
    ("Saliency, Explainer (+ prediction pass)", "saliencyExplainer", None, "forwardBatch1", None),
    ("IG 32 steps, engine (one vjp, 32 rows)", "integratedGradients32Engine", "integratedGradients32",
     "forwardBatch32", 2.5),
    ("IG 32 steps, method (34 rows)", "integratedGradients32Method", "integratedGradients32", "forwardBatch32", 2.5),
    ("Saliency, exported explainer (one session run)", "saliencyExported", "saliency", "forwardBatch1", None),
    ("IG 32 steps, exported explainer (34 rows, one session run)", "integratedGradients32Exported",
     "integratedGradients32", "forwardBatch32", None),
    ("Grad-CAM, method", "gradCam", None, "forwardBatch1", 1.2),
    ("Score-CAM, method", "scoreCam", None, "forwardBatch1", None),
    ("Ablation-CAM, method", "ablationCam", None, "forwardBatch1", None),
]
REFERENCE_LABEL = {"forwardBatch1": "fwd 1", "forwardBatch32": "fwd 32"}


def fmt(value):
    return "-" if value is None else (f"{value:.0f}" if value >= 100 else f"{value:.1f}")


def ratio(value, reference):
    return None if value is None or not reference else value / reference


def main():
    if len(sys.argv) not in (2, 3):
        raise SystemExit("usage: report.py JMH_JSON [PYTORCH_JSON]")
    xai, quiet = jmh_medians(sys.argv[1])
    torch = json.load(open(sys.argv[2])) if len(sys.argv) == 3 else {}
    torch_ms = {k: v["median_ms"] for k, v in torch.items() if isinstance(v, dict)}
    lines = [
        "# xai4j benchmark results",
        "",
        "ResNet-18 (torchvision topology, BatchNorm folded, random weights), 224x224, opset 17; produced by "
        "`tools/bench/run.sh`.",
        "",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}, {platform.system()}), CPU only, "
        f"ONNX Runtime intra-op threads = {os.environ.get('THREADS') or 'cores'}"
        f"{', PyTorch threads = ' + str(torch['threads']) if torch else ''}. "
        f"Medians in milliseconds per call; ratios from the same run."
        + (f" System {os.environ['LOAD']}." if os.environ.get("LOAD") else ""),
        "",
        "| Operation | xai4j ms | PyTorch ms | xai4j / PyTorch | xai4j ratio | PyTorch ratio | target "
        "| xai4j ms, quietest iteration | xai4j ratio, quietest |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, bench, torch_key, reference, target in ROWS:
        if bench not in xai:
            continue
        mine = xai[bench]
        theirs = torch_ms.get(torch_key) if torch_key else None
        ref_label = REFERENCE_LABEL.get(reference, "")
        mine_ratio = ratio(mine, xai.get(reference)) if reference else None
        their_ratio = ratio(theirs, torch_ms.get(reference)) if reference else None
        quiet_ratio = ratio(quiet[bench], quiet.get(reference)) if reference else None
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            label, fmt(mine), fmt(theirs), "-" if theirs is None else f"{mine / theirs:.2f}x",
            "-" if mine_ratio is None else f"{mine_ratio:.2f}x {ref_label}",
            "-" if their_ratio is None else f"{their_ratio:.2f}x {ref_label}",
            "-" if target is None else f"<= {target}x", fmt(quiet[bench]),
            "-" if quiet_ratio is None else f"{quiet_ratio:.2f}x {ref_label}"))
    cams = [(label, xai[b]) for label, b, *_ in ROWS if b in ("scoreCam", "ablationCam") and b in xai]
    lines += ["", "The quietest iteration is the measurement iteration (3 s of calls) with the lowest median: on a "
                  "machine shared with other work it estimates the unloaded time."]
    if cams:
        lines.append("")
        lines += [f"{label}: {1000 / ms:.2f} explained images/s" for label, ms in cams]
    if torch:
        lines += ["", f"PyTorch {torch.get('torch_version')}: torchvision resnet18, random init, eval mode; gradients "
                      "with respect to the input only; IG 32 is one batched forward and backward of 32 inputs."]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
