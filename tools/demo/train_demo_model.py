#!/usr/bin/env python3
"""Train the xai4j demo CNN on synthetic coloured shapes and export it to ONNX.

Everything is generated locally (no downloads) and the run is deterministic
(fixed seeds, single-threaded data generation). Runs on CPU in a few minutes.

The model is trained multi-label: an image holds zero, one or two different
shapes over clutter that never correlates with the labels (gradients, colour
blobs, lines, partial arcs, corner strokes, noise), and the loss is
binary cross-entropy over the classes with multi-hot targets. Two shapes per
image force the last convolution's features to mark where each shape is, so
class activation maps (CAM, Grad-CAM) separate the objects. The exported model
outputs raw logits; a softmax over them is only for display.

Before export the script checks, in PyTorch:
  * top-1 accuracy on held-out single-shape images (>= 90 %),
  * CAM localisation on held-out two-shape images: the fraction of images in
    which the peak of each present class's CAM (at the last ReLU, 16x16 cells,
    cell centre in pixels) lies in that class's shape box widened by
    LOCALISATION_MARGIN pixels (>= 90 %).

Outputs (paths relative to the repository root):
  cli/src/main/resources/io/xai4j/cli/demo/
      shapes-cnn.onnx    model: input "image" [batch,3,64,64] -> output "logits" [batch,C]
      labels.txt         class names, one per line, in logit index order
      metadata.json      input/output names, size, preprocessing, CAM layer, validation results
      samples/*.png      64x64 RGB samples: one per class and three two-shape images
  cli/src/test/resources/demo-expected/
      <stem>.input.npy   float32 [1,3,64,64] preprocessed tensor of samples/<stem>.png
      <stem>.logits.npy  float32 [1,C] logits computed by PyTorch for that input
      objects.json       per two-shape sample, each shape's class and pixel box [x0,y0,x1,y1)

Preprocessing expected by the model: RGB scaled to [0,1], then per-channel
ImageNet normalisation (x - mean) / std, NCHW layout.

Usage: python3 tools/demo/train_demo_model.py
"""
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageDraw

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(REPO, "cli", "src", "main", "resources", "io", "xai4j", "cli", "demo")
SAMPLES_DIR = os.path.join(OUT_DIR, "samples")
EXPECTED_DIR = os.path.join(REPO, "cli", "src", "test", "resources", "demo-expected")

CLASSES = ["circle", "square", "triangle", "cross", "star"]
SIZE = 64
CELL = 4  # input pixels per cell of the last convolution (16x16)
SUPERSAMPLE = 4  # shapes are drawn at 4x resolution and downsampled (anti-aliasing)
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)

N_TRAIN = int(os.environ.get("DEMO_N_TRAIN", 8000))
N_VAL_SINGLE = 1000
N_VAL_PAIRS = 200
EPOCHS = int(os.environ.get("DEMO_EPOCHS", 10))
BATCH = 64
P_EMPTY, P_SINGLE = 0.05, 0.35  # the rest of the training images hold two different shapes
TARGET_VAL_ACC = 0.90
TARGET_LOCALISATION = 0.90
LOCALISATION_MARGIN = 2  # pixels
SEED = 1234
TWO_SHAPE_SAMPLES = [("two-shapes", "circle", "square"), ("two-shapes-2", "triangle", "star"),
                     ("two-shapes-3", "cross", "circle")]


# ---------------------------------------------------------------------------
# Synthetic data
# ---------------------------------------------------------------------------

def random_colour(rng):
    return tuple(int(c) for c in rng.integers(0, 256, size=3))


def cluttered_background(rng):
    """Gradient + smooth colour blobs + random lines + pixel noise, as float32 HxWx3 in [0,255]."""
    # Linear gradient between two random colours in a random direction.
    c0 = rng.uniform(0, 255, 3)
    c1 = rng.uniform(0, 255, 3)
    angle = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) / (SIZE - 1)
    t = (np.cos(angle) * (xx - 0.5) + np.sin(angle) * (yy - 0.5)) + 0.5
    t = np.clip(t, 0, 1)[..., None]
    img = c0 * (1 - t) + c1 * t

    # Smooth blobs: low-resolution random field upsampled, tinted with a random colour.
    for _ in range(rng.integers(1, 3)):
        low = rng.uniform(0, 1, (rng.integers(3, 7), rng.integers(3, 7))).astype(np.float32)
        field = np.asarray(Image.fromarray(low, mode="F").resize((SIZE, SIZE), Image.BICUBIC))
        field = np.clip(field, 0, 1)[..., None] * rng.uniform(0.3, 0.8)
        img = img * (1 - field) + np.array(random_colour(rng), dtype=np.float32) * field

    # Thin random lines / short strokes in random colours.
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), mode="RGB")
    draw = ImageDraw.Draw(pil)
    for _ in range(rng.integers(2, 7)):
        x0, y0 = rng.uniform(-8, SIZE + 8, 2)
        length = rng.uniform(10, 50)
        a = rng.uniform(0, 2 * math.pi)
        draw.line([(x0, y0), (x0 + length * math.cos(a), y0 + length * math.sin(a))],
                  fill=random_colour(rng), width=int(rng.integers(1, 3)))
    img = np.asarray(pil).astype(np.float32)

    # Per-pixel noise.
    img += rng.normal(0, rng.uniform(3, 14), img.shape)
    return img


def shape_polygon(kind, cx, cy, r, rot):
    """Vertices of a polygonal shape (square, triangle, cross, star) centred at (cx, cy)."""
    if kind == "square":
        pts = [(r * 0.85, r * 0.85), (-r * 0.85, r * 0.85), (-r * 0.85, -r * 0.85), (r * 0.85, -r * 0.85)]
    elif kind == "triangle":
        pts = [(r * math.cos(a), r * math.sin(a)) for a in (-math.pi / 2, math.pi / 6, 5 * math.pi / 6)]
    elif kind == "cross":
        w = r * 0.33
        pts = [(w, r), (-w, r), (-w, w), (-r, w), (-r, -w), (-w, -w),
               (-w, -r), (w, -r), (w, -w), (r, -w), (r, w), (w, w)]
    elif kind == "star":
        pts = []
        for i in range(10):
            rad = r if i % 2 == 0 else r * 0.42
            a = -math.pi / 2 + i * math.pi / 5
            pts.append((rad * math.cos(a), rad * math.sin(a)))
    else:
        raise ValueError(kind)
    c, s = math.cos(rot), math.sin(rot)
    return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in pts]


def shape_mask(kind, cx, cy, r, rot):
    """Anti-aliased coverage mask in [0,1] (HxW) of one shape."""
    k = SUPERSAMPLE
    big = Image.new("L", (SIZE * k, SIZE * k), 0)
    draw = ImageDraw.Draw(big)
    if kind == "circle":
        draw.ellipse([(cx - r) * k, (cy - r) * k, (cx + r) * k, (cy + r) * k], fill=255)
    else:
        draw.polygon([(x * k, y * k) for x, y in shape_polygon(kind, cx, cy, r, rot)], fill=255)
    return np.asarray(big.resize((SIZE, SIZE), Image.BOX)).astype(np.float32) / 255.0


def contrasting_colour(rng, region):
    """A random colour that differs clearly from the mean colour of the given background region."""
    mean = region.reshape(-1, 3).mean(axis=0)
    best, best_d = None, -1.0
    for _ in range(20):
        c = rng.integers(0, 256, 3).astype(np.float32)
        d = float(np.linalg.norm(c - mean))
        if d > 120:
            return c
        if d > best_d:
            best, best_d = c, d
    return best


def stroke_clutter(img, rng):
    """Thin partial arcs and corner strokes, so that edges and corners alone are no class cue."""
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), mode="RGB")
    draw = ImageDraw.Draw(pil)
    for _ in range(rng.integers(0, 4)):
        cx, cy = rng.uniform(0, SIZE, 2)
        r = rng.uniform(5, 20)
        start = rng.uniform(0, 360)
        draw.arc([cx - r, cy - r, cx + r, cy + r], start, start + rng.uniform(40, 250),
                 fill=random_colour(rng), width=int(rng.integers(1, 3)))
    for _ in range(rng.integers(0, 3)):
        x, y = rng.uniform(0, SIZE, 2)
        pts = [(x, y)]
        for _ in range(rng.integers(2, 4)):
            a, length = rng.uniform(0, 2 * math.pi), rng.uniform(5, 15)
            x, y = x + length * math.cos(a), y + length * math.sin(a)
            pts.append((x, y))
        draw.line(pts, fill=random_colour(rng), width=int(rng.integers(1, 3)))
    return np.asarray(pil).astype(np.float32)


def render(shapes, rng):
    """Render shapes [(kind, cx, cy, r, rot), ...] over fresh clutter -> (uint8 HxWx3, boxes [x0,y0,x1,y1))."""
    img = stroke_clutter(cluttered_background(rng), rng)
    boxes = []
    for kind, cx, cy, r, rot in shapes:
        m = shape_mask(kind, cx, cy, r, rot)
        colour = contrasting_colour(rng, img[m > 0.5])
        # Slight shading inside the shape so it is not perfectly flat.
        colour_img = colour + rng.normal(0, 4, img.shape)
        img = img * (1 - m[..., None]) + colour_img * m[..., None]
        ys, xs = np.nonzero(m >= 0.5)
        boxes.append([int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1])
    return np.clip(np.round(img), 0, 255).astype(np.uint8), boxes


def place(rng, kinds, r_lo, r_hi):
    """Random non-overlapping placements (kind, cx, cy, r, rot) of the given kinds."""
    while True:
        shapes = []
        for kind in kinds:
            r = rng.uniform(r_lo, r_hi)
            shapes.append((kind, rng.uniform(r + 1, SIZE - r - 1), rng.uniform(r + 1, SIZE - r - 1), r,
                           rng.uniform(0, 2 * math.pi)))
        if len(shapes) < 2 or math.hypot(shapes[0][1] - shapes[1][1],
                                         shapes[0][2] - shapes[1][2]) > shapes[0][3] + shapes[1][3] + 3:
            return shapes


def random_scene(rng, count):
    """count (0, 1 or 2) different random shapes -> (image, class indices, boxes)."""
    labels = [int(c) for c in rng.choice(len(CLASSES), size=count, replace=False)]
    shapes = place(rng, [CLASSES[c] for c in labels], 9, 20) if count == 1 else \
        place(rng, [CLASSES[c] for c in labels], 7, 14)
    img, boxes = render(shapes, rng)
    return img, labels, boxes


def make_training_set(n, seed):
    rng = np.random.default_rng(seed)
    images = np.empty((n, SIZE, SIZE, 3), dtype=np.uint8)
    targets = np.zeros((n, len(CLASSES)), dtype=np.float32)
    for i in range(n):
        u = rng.uniform()
        img, labels, _ = random_scene(rng, 0 if u < P_EMPTY else 1 if u < P_EMPTY + P_SINGLE else 2)
        images[i] = img
        targets[i, labels] = 1
    return images, targets


def make_scenes(n, count, seed):
    rng = np.random.default_rng(seed)
    scenes = [random_scene(rng, count) for _ in range(n)]
    return np.stack([s[0] for s in scenes]), [s[1] for s in scenes], [s[2] for s in scenes]


def preprocess(images_uint8):
    """uint8 NHWC RGB -> float32 NCHW, scaled to [0,1] and ImageNet-normalised."""
    x = images_uint8.astype(np.float32) / 255.0
    x = (x - MEAN) / STD
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))


# ---------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------

class ShapesCNN(nn.Module):
    """Small CNN ending in last conv + ReLU -> global average pool -> linear (CAM-friendly).

    The 16x16 block has a dilated convolution, so the last layer's cells see about 42x42 input pixels:
    enough to take in a whole shape."""

    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),   # 32x32
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),  # 16x16
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 64, 3, padding=2, dilation=2), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),                                        # last conv block
        )
        self.pool = nn.AdaptiveAvgPool2d(1)  # exported as GlobalAveragePool
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = self.pool(self.features(x))
        return self.fc(torch.flatten(x, 1))

    def cams(self, x):
        """CAM of every class [N,C,16,16]: ReLU(sum_k W[c,k] A_k) at the last ReLU (equal to Grad-CAM here)."""
        a = self.features(x)
        return F.relu(torch.einsum("ck,nkhw->nchw", self.fc.weight, a))


def in_batches(model_fn, x, batch=250):
    with torch.no_grad():
        return torch.cat([model_fn(x[i:i + batch]) for i in range(0, len(x), batch)])


def single_accuracy(model, x, labels):
    model.eval()
    pred = in_batches(model, x).argmax(1).numpy()
    return float(np.mean(pred == np.array([l[0] for l in labels])))


def peak_pixel(cam):
    """Centre, in input pixels, of the arg-max cell of a [16,16] map (first maximum in row-major order)."""
    idx = int(np.argmax(cam))
    row, col = divmod(idx, cam.shape[1])
    return (col + 0.5) * CELL, (row + 0.5) * CELL


def in_box(point, box, margin):
    x, y = point
    return box[0] - margin <= x <= box[2] + margin and box[1] - margin <= y <= box[3] + margin


def localises(cams, labels, boxes, margin):
    """Whether each present class's CAM peak lies in its own box (widened by margin) and not in the other's."""
    peaks = [peak_pixel(cams[c]) for c in labels]
    own = all(in_box(p, b, margin) for p, b in zip(peaks, boxes))
    crossed = any(in_box(peaks[i], boxes[1 - i], 0) and not in_box(peaks[i], boxes[i], 0) for i in range(2))
    return own and not crossed


def evaluate_pairs(model, x, labels, boxes):
    """(localisation rate per image, rate per shape, fraction with both classes in the top 2)."""
    model.eval()
    cams = in_batches(model.cams, x).numpy()
    logits = in_batches(model, x).numpy()
    images_ok, shapes_ok, top2_ok = 0, 0, 0
    for n in range(len(x)):
        images_ok += localises(cams[n], labels[n], boxes[n], LOCALISATION_MARGIN)
        shapes_ok += sum(in_box(peak_pixel(cams[n][c]), b, LOCALISATION_MARGIN) for c, b in zip(labels[n], boxes[n]))
        top2_ok += set(np.argsort(-logits[n])[:2].tolist()) == set(labels[n])
    return images_ok / len(x), shapes_ok / (2 * len(x)), top2_ok / len(x)


def augment(xb):
    """Random flips and transposition (every class keeps its label under them)."""
    if torch.rand(1).item() < 0.5:
        xb = xb.flip(3)
    if torch.rand(1).item() < 0.5:
        xb = xb.flip(2)
    if torch.rand(1).item() < 0.5:
        xb = xb.transpose(2, 3)
    return xb


def train(x_train, t_train, val_single, val_pairs):
    model = ShapesCNN(len(CLASSES))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    steps_per_epoch = math.ceil(len(x_train) / BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=EPOCHS, steps_per_epoch=steps_per_epoch)
    for epoch in range(EPOCHS):
        model.train()
        t0 = time.time()
        perm = torch.randperm(len(x_train))
        total_loss = 0.0
        for i in range(0, len(x_train), BATCH):
            idx = perm[i:i + BATCH]
            loss = F.binary_cross_entropy_with_logits(model(augment(x_train[idx])), t_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total_loss += loss.item() * len(idx)
        acc = single_accuracy(model, *val_single)
        loc, loc_shapes, top2 = evaluate_pairs(model, *val_pairs)
        print(f"epoch {epoch + 1:2d}  loss {total_loss / len(x_train):.4f}  single top-1 {acc:.4f}  "
              f"pairs: localised {loc:.3f} (shapes {loc_shapes:.3f}) top-2 {top2:.3f}  "
              f"({time.time() - t0:.1f}s)", flush=True)
    model.eval()
    return model


# ---------------------------------------------------------------------------
# Samples
# ---------------------------------------------------------------------------

def logits_and_cams(model, img_uint8):
    x = torch.from_numpy(preprocess(img_uint8[None]))
    with torch.no_grad():
        return model(x)[0].numpy(), model.cams(x)[0].numpy()


def pick_single_samples(model, rng):
    """One clearly classified, medium-sized, centred-ish sample per class."""
    samples = {}
    for label, name in enumerate(CLASSES):
        for _ in range(200):
            r = rng.uniform(14, 18)
            cx, cy = rng.uniform(26, 38, 2)
            img, _ = render([(name, cx, cy, r, rng.uniform(0, 2 * math.pi))], rng)
            logits, _ = logits_and_cams(model, img)
            p = torch.softmax(torch.from_numpy(logits), 0).numpy()
            if logits.argmax() == label and p[label] > 0.95:
                samples[name] = img
                break
        else:
            raise SystemExit(f"could not find a confidently classified sample for {name}")
    return samples


def pick_two_shapes_sample(model, rng, left, right):
    """left shape on the left, right shape on the right; both classes are the model's top 2 and each class's
    CAM peaks inside its own shape's box. Returns (image, objects)."""
    labels = [CLASSES.index(left), CLASSES.index(right)]
    for _ in range(500):
        r = rng.uniform(10, 12)
        shapes = [(left, rng.uniform(13, 16), rng.uniform(24, 40), r, rng.uniform(0, 2 * math.pi)),
                  (right, rng.uniform(48, 51), rng.uniform(24, 40), r, rng.uniform(0, 2 * math.pi))]
        img, boxes = render(shapes, rng)
        logits, cams = logits_and_cams(model, img)
        top2 = set(np.argsort(-logits)[:2].tolist())
        p = np.sort(torch.softmax(torch.from_numpy(logits), 0).numpy())[::-1]
        # Both classes in the top 2 with a reasonably balanced split, and each map on its own object.
        if top2 == set(labels) and p[1] > 0.2 and localises(cams, labels, boxes, 0):
            return img, [{"class": CLASSES[c], "index": c, "box": b} for c, b in zip(labels, boxes)]
    raise SystemExit(f"could not find a {left} + {right} sample with both classes in the top 2")


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def export_onnx(model, path):
    """Export, check, and return the name of the tensor feeding GlobalAveragePool (the CAM layer)."""
    dummy = torch.zeros(1, 3, SIZE, SIZE)
    torch.onnx.export(model, dummy, path, opset_version=17,
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
                      do_constant_folding=True)
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)
    print("onnx nodes:", [n.op_type for n in m.graph.node])
    print(f"onnx size: {os.path.getsize(path)} bytes")
    gap = [n for n in m.graph.node if n.op_type == "GlobalAveragePool"]
    producer = [n for n in m.graph.node if gap[0].input[0] in n.output]
    assert len(gap) == 1 and producer[0].op_type == "Relu", "expected one GlobalAveragePool fed by a Relu"
    return gap[0].input[0]


def main():
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(min(2, os.cpu_count() or 1))

    t0 = time.time()
    train_imgs, train_targets = make_training_set(N_TRAIN, SEED)
    single_imgs, single_labels, _ = make_scenes(N_VAL_SINGLE, 1, SEED + 1)
    pair_imgs, pair_labels, pair_boxes = make_scenes(N_VAL_PAIRS, 2, SEED + 3)
    print(f"generated {len(train_imgs)} train / {len(single_imgs)} single + {len(pair_imgs)} two-shape "
          f"held-out images in {time.time() - t0:.1f}s", flush=True)

    x_train = torch.from_numpy(preprocess(train_imgs))
    t_train = torch.from_numpy(train_targets)
    val_single = (torch.from_numpy(preprocess(single_imgs)), single_labels)
    val_pairs = (torch.from_numpy(preprocess(pair_imgs)), pair_labels, pair_boxes)

    model = train(x_train, t_train, val_single, val_pairs)
    val_acc = single_accuracy(model, *val_single)
    loc, loc_shapes, top2 = evaluate_pairs(model, *val_pairs)
    print(f"single-shape top-1 accuracy: {val_acc:.4f}  two-shape CAM localisation: {loc:.4f} of images "
          f"({loc_shapes:.4f} of shapes)  two-shape top-2 accuracy: {top2:.4f}")
    if val_acc < TARGET_VAL_ACC:
        raise SystemExit(f"single-shape accuracy {val_acc:.4f} below target {TARGET_VAL_ACC}")
    if loc < TARGET_LOCALISATION:
        raise SystemExit(f"CAM localisation {loc:.4f} below target {TARGET_LOCALISATION}")

    os.makedirs(SAMPLES_DIR, exist_ok=True)
    os.makedirs(EXPECTED_DIR, exist_ok=True)
    cam_layer = export_onnx(model, os.path.join(OUT_DIR, "shapes-cnn.onnx"))
    with open(os.path.join(OUT_DIR, "labels.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")

    rng = np.random.default_rng(SEED + 2)
    samples = pick_single_samples(model, rng)
    objects = {}
    for stem, left, right in TWO_SHAPE_SAMPLES:
        samples[stem], objects[stem] = pick_two_shapes_sample(model, rng, left, right)

    with open(os.path.join(OUT_DIR, "metadata.json"), "w") as f:
        json.dump({"input": "image", "output": "logits", "labels": "labels.txt",
                   "height": SIZE, "width": SIZE, "preprocess": "imagenet",
                   "default_sample": "two-shapes.png", "samples": [s + ".png" for s in samples],
                   "cam_layer": cam_layer,
                   "training": "multi-label (binary cross-entropy), images with 0-2 shapes over clutter",
                   "val_accuracy": round(val_acc, 4),
                   "val_two_shape_top2_accuracy": round(top2, 4),
                   "val_cam_localisation": round(loc, 4)},
                  f, indent=2)
        f.write("\n")
    with open(os.path.join(EXPECTED_DIR, "objects.json"), "w") as f:
        json.dump(objects, f, indent=2)
        f.write("\n")

    # Save PNGs, then re-read them from disk so the reference data matches the files exactly.
    for stem, img in samples.items():
        path = os.path.join(SAMPLES_DIR, stem + ".png")
        Image.fromarray(img, mode="RGB").save(path, optimize=True)
        loaded = np.asarray(Image.open(path).convert("RGB"))
        assert loaded.shape == (SIZE, SIZE, 3) and np.array_equal(loaded, img)
        x = preprocess(loaded[None])
        with torch.no_grad():
            logits = model(torch.from_numpy(x)).numpy().astype(np.float32)
        np.save(os.path.join(EXPECTED_DIR, stem + ".input.npy"), x)
        np.save(os.path.join(EXPECTED_DIR, stem + ".logits.npy"), logits)
        order = np.argsort(-logits[0])
        print(f"{stem + '.png':18s} logits {np.array2string(logits[0], precision=4)}  "
              f"top: {', '.join(CLASSES[i] for i in order[:2])}")
    print(f"done in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
