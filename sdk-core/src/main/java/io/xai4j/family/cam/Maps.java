package io.xai4j.family.cam;

import io.xai4j.tensor.Tensor;

/** Arithmetic on one example's grid activations {@code [C,H,W]} and maps {@code [H,W]}. */
public final class Maps {
    private Maps() {
    }

    /** {@code out[p] = sum_c weights[c] * a[c,p]}, then ReLU when asked. */
    public static void weightedSum(Tensor a, double[] weights, boolean relu, Tensor out) {
        int channels = a.dim(0);
        int cells = a.size() / channels;
        double[] sum = new double[cells];
        float[] x = a.array();
        int off = a.offset();
        for (int c = 0; c < channels; c++) {
            double w = weights[c];
            if (w == 0) {
                continue;
            }
            int base = off + c * cells;
            for (int p = 0; p < cells; p++) {
                sum[p] += w * x[base + p];
            }
        }
        write(sum, relu, out);
    }

    /** Writes {@code values} into {@code out}, with negatives set to zero when {@code relu}. */
    public static void write(double[] values, boolean relu, Tensor out) {
        for (int p = 0; p < values.length; p++) {
            out.set(p, (float) (relu ? Math.max(0, values[p]) : values[p]));
        }
    }

    /** Per channel, the sum over cells of {@code f(a, g)} at each cell. */
    public interface CellFunction {
        double apply(double a, double g);
    }

    /** Grad-CAM's channel weights: per channel, the mean of the gradients over the cells. */
    public static double[] meanGradients(Tensor a, Tensor g) {
        double cells = a.size() / (double) a.dim(0);
        return channelSums(a, g, (x, y) -> y / cells);
    }

    public static double[] channelSums(Tensor a, Tensor g, CellFunction f) {
        int channels = a.dim(0);
        int cells = a.size() / channels;
        double[] out = new double[channels];
        float[] x = a.array();
        float[] y = g.array();
        for (int c = 0; c < channels; c++) {
            int ia = a.offset() + c * cells;
            int ig = g.offset() + c * cells;
            double s = 0;
            for (int p = 0; p < cells; p++) {
                s += f.apply(x[ia + p], y[ig + p]);
            }
            out[c] = s;
        }
        return out;
    }

    /** Per cell, the sum over channels of {@code f(a, g)}. */
    public static double[] cellSums(Tensor a, Tensor g, CellFunction f) {
        int channels = a.dim(0);
        int cells = a.size() / channels;
        double[] out = new double[cells];
        float[] x = a.array();
        float[] y = g.array();
        for (int c = 0; c < channels; c++) {
            int ia = a.offset() + c * cells;
            int ig = g.offset() + c * cells;
            for (int p = 0; p < cells; p++) {
                out[p] += f.apply(x[ia + p], y[ig + p]);
            }
        }
        return out;
    }

    /** The map view of example {@code n} in {@code [N,1,H,W]} maps. */
    public static Tensor mapOf(Tensor maps, int n) {
        return maps.row(n).row(0);
    }

    /** A copy of {@code values} scaled to [0, 1]: {@code (v - min) / (max - min)}; a constant array gives zeros. */
    public static float[] minMax(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = max - min;
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = range > 0 ? (values[i] - min) / range : 0;
        }
        return out;
    }
}
