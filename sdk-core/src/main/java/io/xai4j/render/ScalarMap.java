package io.xai4j.render;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.Layout;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;

/** A 2-D map of values, row-major, {@code height x width}. */
public record ScalarMap(int height, int width, float[] values) {
    public ScalarMap {
        if (height <= 0 || width <= 0 || values.length != height * width) {
            throw new IllegalArgumentException("map of " + height + "x" + width + " with " + values.length + " values");
        }
    }

    /**
     * Collapses an attribution to one value per pixel. Accepts {@code [C,H,W]} ({@code NCHW}) or
     * {@code [H,W,C]} ({@code NHWC}), a {@code [H,W]} map, and leading dimensions of size 1 (a batch of one);
     * layer maps {@code [1,h,w]} work with {@code NCHW}. The tensor is not modified.
     *
     * @throws XaiException {@code SHAPE_MISMATCH} for other shapes, {@code NON_FINITE_INPUT} for NaN or infinity
     */
    public static ScalarMap reduce(Tensor attribution, Layout layout, Reduction reduction) {
        Tensor t = attribution;
        while (t.rank() > 3 && t.dim(0) == 1) {
            t = t.row(0);
        }
        if (t.rank() == 2) {
            t = layout == Layout.NCHW ? t.reshape(1, t.dim(0), t.dim(1)) : t.reshape(t.dim(0), t.dim(1), 1);
        }
        if (t.rank() != 3 || t.size() == 0) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "cannot draw an attribution of shape "
                    + Arrays.toString(attribution.shape()) + " as an image; expected [C,H,W] (nchw), [H,W,C] (nhwc) "
                    + "or [H,W], optionally with a leading batch dimension of 1");
        }
        if (t.hasNonFinite()) {
            throw new XaiException(ErrorCode.NON_FINITE_INPUT, "attribution of shape "
                    + Arrays.toString(attribution.shape()) + " holds NaN or infinite values");
        }
        boolean chw = layout == Layout.NCHW;
        int c = chw ? t.dim(0) : t.dim(2);
        int h = chw ? t.dim(1) : t.dim(0);
        int w = chw ? t.dim(2) : t.dim(1);
        float[] a = t.array();
        int off = t.offset();
        float[] out = new float[h * w];
        for (int p = 0; p < h * w; p++) {
            float acc = reduction.start();
            for (int ch = 0; ch < c; ch++) {
                acc = reduction.reduce(acc, a[off + (chw ? ch * h * w + p : p * c + ch)]);
            }
            out[p] = reduction.finish(acc, c);
        }
        return new ScalarMap(h, w, out);
    }

    /** The value at pixel coordinates ({@code y}, {@code x}), bilinear between pixel centres, clamped at edges. */
    public float sample(double y, double x) {
        double cy = Math.min(Math.max(y, 0), height - 1);
        double cx = Math.min(Math.max(x, 0), width - 1);
        int y0 = (int) cy;
        int x0 = (int) cx;
        int y1 = Math.min(y0 + 1, height - 1);
        int x1 = Math.min(x0 + 1, width - 1);
        double fy = cy - y0;
        double fx = cx - x0;
        double top = values[y0 * width + x0] * (1 - fx) + values[y0 * width + x1] * fx;
        double bottom = values[y1 * width + x0] * (1 - fx) + values[y1 * width + x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    /** Bilinear resize with half-pixel centres (PyTorch {@code interpolate(..., align_corners=False)}). */
    public ScalarMap resize(int newHeight, int newWidth) {
        float[] out = new float[newHeight * newWidth];
        double sy = (double) height / newHeight;
        double sx = (double) width / newWidth;
        for (int i = 0; i < newHeight; i++) {
            double y = (i + 0.5) * sy - 0.5;
            for (int j = 0; j < newWidth; j++) {
                out[i * newWidth + j] = sample(y, (j + 0.5) * sx - 0.5);
            }
        }
        return new ScalarMap(newHeight, newWidth, out);
    }
}
