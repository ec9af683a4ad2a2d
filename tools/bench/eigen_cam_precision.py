"""Precision of exported Eigen-CAM against an SVD, by the gap between the first two squared singular values.

Emulates the exported graph in float32 (the Gram matrix of the channels, normalised, squared 20 times, its largest
column refined by two power steps, the projection signed to a positive sum, then ReLU) and compares with the
projection on the first right singular vector computed in float64, as `explain` does. Prints the largest relative
error over five random [49, 64] maps per gap. Usage: python3 eigen_cam_precision.py
"""
import numpy as np

SQUARINGS = 20
REFINEMENTS = 2


def exported(m):
    m = m.astype(np.float32)
    gram = m.T @ m
    scaled = gram / np.float32(max(np.linalg.norm(gram), 1e-30))
    power = scaled
    for _ in range(SQUARINGS):
        power = power @ power
        power = power / np.float32(max(np.linalg.norm(power), 1e-30))
    v = power[:, np.argmax(np.linalg.norm(power, axis=0))]
    v = v / np.linalg.norm(v)
    for _ in range(REFINEMENTS):
        v = scaled @ v
        v = v / np.linalg.norm(v)
    p = m @ v
    return np.maximum(-p if p.sum() < 0 else p, 0)


def reference(m):
    m = m.astype(np.float32).astype(np.float64)
    p = m @ np.linalg.svd(m, full_matrices=False)[2][0]
    return np.maximum(-p if p.sum() < 0 else p, 0)


def main():
    rng = np.random.default_rng(0)
    cells, channels = 49, 64
    for gap in [0.5, 0.1, 0.03, 1e-2, 3e-3, 1e-3, 1e-4, 1e-5]:
        errors = []
        for _ in range(5):
            u, _ = np.linalg.qr(rng.normal(size=(cells, cells)))
            v, _ = np.linalg.qr(rng.normal(size=(channels, channels)))
            s = np.linspace(0.5, 0.05, cells)
            s[0], s[1] = 1.0, np.sqrt(1 - gap)
            m = (u * s) @ v[:cells, :] * 10
            expected = reference(m)
            errors.append(np.abs(exported(m) - expected).max() / np.abs(expected).max())
        print(f"1 - s2^2/s1^2 = {gap:g}: largest relative error {max(errors):.1e}")


if __name__ == "__main__":
    main()
