package io.xai4j.baseline;

import io.xai4j.tensor.Tensor;

/** Separable Gaussian blur along one axis, with edge replication. */
final class GaussianBlur {
    private GaussianBlur() {
    }

    static void blurAxis(Tensor t, int axis, double sigma) {
        int[] shape = t.shape();
        int n = shape[axis];
        int radius = (int) Math.ceil(3 * sigma);
        float[] kernel = new float[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) {
            total += Math.exp(-0.5 * i * i / (sigma * sigma));
        }
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) (Math.exp(-0.5 * i * i / (sigma * sigma)) / total);
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int outer = t.size() / (n * inner);
        float[] a = t.array();
        int base = t.offset();
        float[] line = new float[n];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int start = base + o * n * inner + in;
                for (int i = 0; i < n; i++) {
                    line[i] = a[start + i * inner];
                }
                for (int i = 0; i < n; i++) {
                    float acc = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int j = Math.min(n - 1, Math.max(0, i + k));
                        acc += kernel[k + radius] * line[j];
                    }
                    a[start + i * inner] = acc;
                }
            }
        }
    }
}
