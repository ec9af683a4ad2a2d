package io.xai4j.methods.cam;

/**
 * Bilinear resizing with half-pixel centres, as PyTorch's {@code interpolate(mode="bilinear",
 * align_corners=False)}: output cell {@code d} samples input coordinate {@code (d + 0.5) * in / out - 0.5},
 * clamped at 0, between its two neighbours (the last one repeated at the edge).
 */
final class Bilinear {
    private final int inHeight;
    private final int inWidth;
    private final int outHeight;
    private final int outWidth;
    private final int[] y0;
    private final int[] y1;
    private final float[] fy;
    private final int[] x0;
    private final int[] x1;
    private final float[] fx;

    Bilinear(int inHeight, int inWidth, int outHeight, int outWidth) {
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        y0 = new int[outHeight];
        y1 = new int[outHeight];
        fy = new float[outHeight];
        x0 = new int[outWidth];
        x1 = new int[outWidth];
        fx = new float[outWidth];
        axis(inHeight, outHeight, y0, y1, fy);
        axis(inWidth, outWidth, x0, x1, fx);
    }

    private static void axis(int in, int out, int[] lo, int[] hi, float[] frac) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float src = Math.max(0f, scale * (d + 0.5f) - 0.5f);
            int i = Math.min((int) src, in - 1);
            lo[d] = i;
            hi[d] = Math.min(i + 1, in - 1);
            frac[d] = src - i;
        }
    }

    /** Resizes the {@code inHeight x inWidth} map at {@code src[srcOffset]} into {@code dst} (row-major). */
    void resize(float[] src, int srcOffset, float[] dst) {
        for (int y = 0; y < outHeight; y++) {
            int r0 = srcOffset + y0[y] * inWidth;
            int r1 = srcOffset + y1[y] * inWidth;
            float wy = fy[y];
            for (int x = 0; x < outWidth; x++) {
                float wx = fx[x];
                float top = src[r0 + x0[x]] * (1 - wx) + src[r0 + x1[x]] * wx;
                float bottom = src[r1 + x0[x]] * (1 - wx) + src[r1 + x1[x]] * wx;
                dst[y * outWidth + x] = top * (1 - wy) + bottom * wy;
            }
        }
    }

    int inCells() {
        return inHeight * inWidth;
    }
}
