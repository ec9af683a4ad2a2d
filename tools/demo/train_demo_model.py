#!/usr/bin/env python3
"""Train the xai4j demo CNN on synthetic coloured shapes and export it to ONNX.

Everything is generated locally (no downloads) and the run is deterministic
(fixed seeds, single-threaded data generation). Runs on CPU in a few minutes.

Outputs (paths relative to the repository root):
  cli/src/main/resources/io/xai4j/cli/demo/
      shapes-cnn.onnx    model: input "image" [batch,3,64,64] -> output "logits" [batch,C]
      labels.txt         class names, one per line, in logit index order
      metadata.json      input/output names, size, preprocessing, validation accuracy
      samples/*.png      64x64 RGB sample images (one per class + two-shapes.png)
  cli/src/test/resources/demo-expected/
      <stem>.input.npy   float32 [1,3,64,64] preprocessed tensor of samples/<stem>.png
      <stem>.logits.npy  float32 [1,C] logits computed by PyTorch for that input

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
from PIL import Image, ImageDraw, ImageFilter

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(REPO, "cli", "src", "main", "resources", "io", "xai4j", "cli", "demo")
SAMPLES_DIR = os.path.join(OUT_DIR, "samples")
EXPECTED_DIR = os.path.join(REPO, "cli", "src", "test", "resources", "demo-expected")

CLASSES = ["circle", "square", "triangle", "cross", "star"]
SIZE = 64
SUPERSAMPLE = 4  # shapes are drawn at 4x resolution and downsampled (anti-aliasing)
MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)

N_TRAIN_PER_CLASS = 1600
N_VAL_PER_CLASS = 300
MAX_EPOCHS = 14
TARGET_VAL_ACC = 0.90
SEED = 1234


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


def render(shapes, rng):
    """Render shapes [(kind, cx, cy, r, rot), ...] over a fresh cluttered background -> uint8 HxWx3."""
    img = cluttered_background(rng)
    for kind, cx, cy, r, rot in shapes:
        m = shape_mask(kind, cx, cy, r, rot)
        colour = contrasting_colour(rng, img[m > 0.5])
        # Slight shading inside the shape so it is not perfectly flat.
        colour_img = colour + rng.normal(0, 4, img.shape)
        img = img * (1 - m[..., None]) + colour_img * m[..., None]
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def random_single_shape(rng, label):
    r = rng.uniform(9, 20)
    cx = rng.uniform(r + 1, SIZE - r - 1)
    cy = rng.uniform(r + 1, SIZE - r - 1)
    rot = rng.uniform(0, 2 * math.pi)
    return render([(CLASSES[label], cx, cy, r, rot)], rng)


def make_dataset(n_per_class, seed):
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(len(CLASSES)), n_per_class)
    rng.shuffle(labels)
    images = np.stack([random_single_shape(rng, int(l)) for l in labels])
    return images, labels


def preprocess(images_uint8):
    """uint8 NHWC RGB -> float32 NCHW, scaled to [0,1] and ImageNet-normalised."""
    x = images_uint8.astype(np.float32) / 255.0
    x = (x - MEAN) / STD
    return np.ascontiguousarray(x.transpose(0, 3, 1, 2))


# ---------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------

class ShapesCNN(nn.Module):
    """Small CNN ending in last conv block -> global average pool -> linear (CAM-friendly)."""

    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),   # 32x32
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),  # 16x16
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),                                        # last conv block
        )
        self.pool = nn.AdaptiveAvgPool2d(1)  # exported as GlobalAveragePool
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = self.pool(self.features(x))
        return self.fc(torch.flatten(x, 1))


def evaluate(model, x, y, batch=256):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def augment(xb):
    """Random horizontal/vertical flips (all classes are flip-invariant)."""
    if torch.rand(1).item() < 0.5:
        xb = xb.flip(3)
    if torch.rand(1).item() < 0.5:
        xb = xb.flip(2)
    return xb


def train(x_train, y_train, x_val, y_val):
    model = ShapesCNN(len(CLASSES))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    steps_per_epoch = math.ceil(len(x_train) / 64)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=MAX_EPOCHS,
                                                steps_per_epoch=steps_per_epoch)
    val_acc = 0.0
    for epoch in range(MAX_EPOCHS):
        model.train()
        t0 = time.time()
        perm = torch.randperm(len(x_train))
        total_loss = 0.0
        for i in range(0, len(x_train), 64):
            idx = perm[i:i + 64]
            xb, yb = augment(x_train[idx]), y_train[idx]
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total_loss += loss.item() * len(idx)
        val_acc = evaluate(model, x_val, y_val)
        print(f"epoch {epoch + 1:2d}  loss {total_loss / len(x_train):.4f}  "
              f"val_acc {val_acc:.4f}  ({time.time() - t0:.1f}s)", flush=True)
    if val_acc < TARGET_VAL_ACC:
        raise SystemExit(f"validation accuracy {val_acc:.4f} below target {TARGET_VAL_ACC}")
    model.eval()
    return model, val_acc


# ---------------------------------------------------------------------------
# Samples
# ---------------------------------------------------------------------------

def logits_for(model, img_uint8):
    with torch.no_grad():
        return model(torch.from_numpy(preprocess(img_uint8[None])))[0].numpy()


def pick_single_samples(model, rng):
    """One clearly classified, medium-sized, centred-ish sample per class."""
    samples = {}
    for label, name in enumerate(CLASSES):
        for _ in range(200):
            r = rng.uniform(14, 18)
            cx, cy = rng.uniform(26, 38, 2)
            img = render([(name, cx, cy, r, rng.uniform(0, 2 * math.pi))], rng)
            logits = logits_for(model, img)
            p = torch.softmax(torch.from_numpy(logits), 0).numpy()
            if logits.argmax() == label and p[label] > 0.95:
                samples[name] = img
                break
        else:
            raise SystemExit(f"could not find a confidently classified sample for {name}")
    return samples


def pick_two_shapes_sample(model, rng, left="circle", right="square"):
    """Circle on the left, square on the right; both classes must be the model's top 2."""
    want = {CLASSES.index(left), CLASSES.index(right)}
    for _ in range(500):
        r = rng.uniform(10, 12)
        shapes = [(left, rng.uniform(13, 16), rng.uniform(24, 40), r, rng.uniform(0, 2 * math.pi)),
                  (right, rng.uniform(48, 51), rng.uniform(24, 40), r, rng.uniform(0, 2 * math.pi))]
        img = render(shapes, rng)
        logits = logits_for(model, img)
        top2 = set(np.argsort(-logits)[:2].tolist())
        p = np.sort(torch.softmax(torch.from_numpy(logits), 0).numpy())[::-1]
        # Require both classes in the top 2 and a reasonably balanced split between them.
        if top2 == want and p[1] > 0.2:
            return img
    raise SystemExit("could not find a two-shapes sample with both classes in the top 2")


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def export_onnx(model, path):
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


def main():
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(min(2, os.cpu_count() or 1))

    t0 = time.time()
    train_imgs, train_labels = make_dataset(N_TRAIN_PER_CLASS, SEED)
    val_imgs, val_labels = make_dataset(N_VAL_PER_CLASS, SEED + 1)
    print(f"generated {len(train_imgs)} train / {len(val_imgs)} val images in {time.time() - t0:.1f}s")

    x_train = torch.from_numpy(preprocess(train_imgs))
    y_train = torch.from_numpy(train_labels).long()
    x_val = torch.from_numpy(preprocess(val_imgs))
    y_val = torch.from_numpy(val_labels).long()

    model, val_acc = train(x_train, y_train, x_val, y_val)
    print(f"final validation accuracy: {val_acc:.4f}")

    os.makedirs(SAMPLES_DIR, exist_ok=True)
    os.makedirs(EXPECTED_DIR, exist_ok=True)
    export_onnx(model, os.path.join(OUT_DIR, "shapes-cnn.onnx"))
    with open(os.path.join(OUT_DIR, "labels.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")
    with open(os.path.join(OUT_DIR, "metadata.json"), "w") as f:
        json.dump({"input": "image", "output": "logits", "labels": "labels.txt",
                   "height": SIZE, "width": SIZE, "preprocess": "imagenet",
                   "default_sample": "two-shapes.png", "val_accuracy": round(val_acc, 4)},
                  f, indent=2)
        f.write("\n")

    rng = np.random.default_rng(SEED + 2)
    samples = pick_single_samples(model, rng)
    samples["two-shapes"] = pick_two_shapes_sample(model, rng)

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
        print(f"{stem + '.png':16s} logits {np.array2string(logits[0], precision=4)}  "
              f"top: {', '.join(CLASSES[i] for i in order[:2])}")
    print(f"done in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
