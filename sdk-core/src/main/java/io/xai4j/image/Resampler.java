package io.xai4j.image;

/**
 * Separable bilinear resampling with half-pixel centres. When shrinking, the triangle filter is widened by
 * the scale factor (antialiasing), as PIL's {@code Image.resize(BILINEAR)} does; when enlarging it is plain
 * bilinear interpolation.
 */
final class Resampler {
    private Resampler() {
    }

    /** Filter taps for the outputs {@code [from, from + count)} of a resize from {@code in} to {@code out}. */
    record Kernel(int[] start, int[] length, float[] weights, int taps) {
        int count() {
            return start.length;
        }
    }

    static Kernel kernel(int in, int out, int from, int count) {
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale;
        int taps = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[count];
        int[] length = new int[count];
        float[] weights = new float[count * taps];
        for (int i = 0; i < count; i++) {
            double center = (from + i + 0.5) * scale;
            int lo = Math.max((int) (center - support + 0.5), 0);
            int hi = Math.min((int) (center + support + 0.5), in);
            double total = 0;
            double[] w = new double[hi - lo];
            for (int k = 0; k < w.length; k++) {
                double d = Math.abs((lo + k - center + 0.5) / filterScale);
                w[k] = d < 1 ? 1 - d : 0;
                total += w[k];
            }
            start[i] = lo;
            length[i] = w.length;
            for (int k = 0; k < w.length; k++) {
                weights[i * taps + k] = (float) (total > 0 ? w[k] / total : 0);
            }
        }
        return new Kernel(start, length, weights, taps);
    }

    /** Resamples one {@code h x w} plane; the result is {@code ky.count() x kx.count()}. */
    static float[] resample(float[] src, int w, Kernel kx, Kernel ky) {
        int outW = kx.count();
        int outH = ky.count();
        int rowLo = ky.start()[0];
        int rowHi = ky.start()[outH - 1] + ky.length()[outH - 1];
        float[] tmp = new float[(rowHi - rowLo) * outW];
        for (int y = rowLo; y < rowHi; y++) {
            int srcRow = y * w;
            int tmpRow = (y - rowLo) * outW;
            for (int x = 0; x < outW; x++) {
                int s = kx.start()[x];
                int base = x * kx.taps();
                float acc = 0;
                for (int k = 0; k < kx.length()[x]; k++) {
                    acc += src[srcRow + s + k] * kx.weights()[base + k];
                }
                tmp[tmpRow + x] = acc;
            }
        }
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            int s = ky.start()[y] - rowLo;
            int base = y * ky.taps();
            for (int k = 0; k < ky.length()[y]; k++) {
                float wk = ky.weights()[base + k];
                int tmpRow = (s + k) * outW;
                for (int x = 0; x < outW; x++) {
                    out[y * outW + x] += tmp[tmpRow + x] * wk;
                }
            }
        }
        return out;
    }
}
