"""Writes the built-in ImageNet class names (1000, index order) from torchvision's weight metadata (offline).

Run from the repository root: python3 tools/palettes/make_imagenet_labels.py
"""
from torchvision.models import ResNet18_Weights

names = ResNet18_Weights.IMAGENET1K_V1.meta["categories"]
assert len(names) == 1000
with open("sdk-core/src/main/resources/io/xai4j/io/imagenet.txt", "w") as f:
    f.write("\n".join(names) + "\n")
