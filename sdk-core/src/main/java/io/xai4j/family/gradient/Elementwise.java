package io.xai4j.family.gradient;

import io.xai4j.tensor.Tensor;
import java.util.SplittableRandom;

/** Element-wise loops over equally sized tensors (views allowed). */
public final class Elementwise {
    private Elementwise() {
    }

    /** {@code dst = src}, or {@code |src|}. */
    public static void copy(Tensor src, Tensor dst, boolean abs) {
        float[] s = src.array();
        float[] d = dst.array();
        int so = src.offset();
        int off = dst.offset();
        for (int i = 0; i < dst.size(); i++) {
            float v = s[so + i];
            d[off + i] = abs ? Math.abs(v) : v;
        }
    }

    /** {@code dst += w * src}. */
    public static void addScaled(Tensor dst, Tensor src, float w) {
        float[] s = src.array();
        float[] d = dst.array();
        int so = src.offset();
        int off = dst.offset();
        for (int i = 0; i < dst.size(); i++) {
            d[off + i] += w * s[so + i];
        }
    }

    /** {@code dst += w * a * b}. */
    public static void addProduct(Tensor dst, Tensor a, Tensor b, float w) {
        float[] x = a.array();
        float[] y = b.array();
        float[] d = dst.array();
        int ao = a.offset();
        int bo = b.offset();
        int off = dst.offset();
        for (int i = 0; i < dst.size(); i++) {
            d[off + i] += w * x[ao + i] * y[bo + i];
        }
    }

    /** {@code dst *= factor}. */
    public static void multiply(Tensor dst, Tensor factor) {
        float[] f = factor.array();
        float[] d = dst.array();
        int fo = factor.offset();
        int off = dst.offset();
        for (int i = 0; i < dst.size(); i++) {
            d[off + i] *= f[fo + i];
        }
    }

    /** {@code dst = base + alpha * diff}. */
    public static void pointOnPath(Tensor base, Tensor diff, float alpha, Tensor dst) {
        float[] bs = base.array();
        float[] ds = diff.array();
        float[] d = dst.array();
        int bo = base.offset();
        int dfo = diff.offset();
        int off = dst.offset();
        for (int i = 0; i < dst.size(); i++) {
            d[off + i] = bs[bo + i] + alpha * ds[dfo + i];
        }
    }

    /** {@code dst = x - base}. */
    public static void difference(Tensor x, Tensor base, Tensor dst) {
        float[] xs = x.array();
        float[] bs = base.array();
        float[] d = dst.array();
        int xo = x.offset();
        int bo = base.offset();
        int off = dst.offset();
        for (int i = 0; i < dst.size(); i++) {
            d[off + i] = xs[xo + i] - bs[bo + i];
        }
    }

    /** {@code dst = x + N(0, sigma^2)} element-wise; {@code dst = x} when sigma is 0. */
    public static void addNoise(Tensor x, double sigma, SplittableRandom random, Tensor dst) {
        float[] xs = x.array();
        float[] d = dst.array();
        int xo = x.offset();
        int off = dst.offset();
        for (int i = 0; i < dst.size(); i++) {
            d[off + i] = sigma > 0 ? (float) (xs[xo + i] + sigma * random.nextGaussian()) : xs[xo + i];
        }
    }

    /** Sum of the elements, in double. */
    public static double sum(Tensor t) {
        float[] a = t.array();
        double s = 0;
        for (int i = t.offset(); i < t.offset() + t.size(); i++) {
            s += a[i];
        }
        return s;
    }

    /** Largest minus smallest element. */
    public static double range(Tensor t) {
        float[] a = t.array();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = t.offset(); i < t.offset() + t.size(); i++) {
            min = Math.min(min, a[i]);
            max = Math.max(max, a[i]);
        }
        return t.size() == 0 ? 0 : (double) max - min;
    }
}
