#!/usr/bin/env python3
"""Generate the demo's shipped evaluation set: shape images with their true boxes, for localisation metrics.

The images are drawn exactly as the demo model's training and validation images (train_demo_model.py's
make_scenes: coloured shapes over clutter), from seeds the training never used: COUNT // 2 images with one shape
and COUNT // 2 with two different shapes. They are saved as JPEG (quality 92, about 2.4 kB each; the clutter's
pixel noise makes PNGs four times larger) with boxes.json, which maps each file name to its shapes:
[{"class": "circle", "box": [x0, y0, x1, y1]}, ...], boxes in image pixels, x1 and y1 exclusive.

Outputs (relative to the repository root):
  cli/src/main/resources/io/xai4j/cli/demo/evalset/shapes-NNN.jpg and boxes.json

Usage: python3 tools/demo/make_eval_set.py
"""
import json
import os

import numpy as np
from PIL import Image

import train_demo_model as demo

COUNT = 300
SEED = 20261203  # not among the training script's seeds (1234 and the next three)
OUT = os.path.join(demo.OUT_DIR, "evalset")


def main():
    os.makedirs(OUT, exist_ok=True)
    singles = demo.make_scenes(COUNT // 2, 1, SEED)
    pairs = demo.make_scenes(COUNT - COUNT // 2, 2, SEED + 1)
    boxes = {}
    n = 0
    for images, labels, shape_boxes in (singles, pairs):
        for image, classes, bounds in zip(images, labels, shape_boxes):
            name = f"shapes-{n:03d}.jpg"
            Image.fromarray(np.asarray(image)).save(os.path.join(OUT, name), "JPEG", quality=92)
            boxes[name] = [{"class": demo.CLASSES[c], "box": [int(v) for v in b]} for c, b in zip(classes, bounds)]
            n += 1
    with open(os.path.join(OUT, "boxes.json"), "w") as f:
        lines = [f" {json.dumps(name)}: {json.dumps(boxes[name])}" for name in sorted(boxes)]
        f.write("{\n" + ",\n".join(lines) + "\n}\n")
    size = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {n} images and boxes.json to {OUT} ({size / 1024:.0f} kB)")


if __name__ == "__main__":
    main()
