package io.xai4j.image;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.awt.image.BufferedImage;

/**
 * The geometry of preprocessing one image: the size it is resized to and the crop taken from that.
 */
record ImagePlan(int width, int height, int resizedWidth, int resizedHeight, int cropX, int cropY,
                 int outWidth, int outHeight) {

    static ImagePlan of(Preprocessing p, int width, int height) {
        Size crop = p.crop();
        int rw = width;
        int rh = height;
        boolean untouched = !crop.isNone() && crop.width() == width && crop.height() == height;
        if (!untouched) {
            Size s = p.resize().size();
            switch (p.resize().mode()) {
                case NONE -> { }
                case EXACT -> {
                    rw = s.width();
                    rh = s.height();
                }
                case COVER -> {
                    if ((long) s.height() * width >= (long) s.width() * height) {
                        rh = s.height();
                        rw = Math.max(s.width(), (int) ((long) s.height() * width / height));
                    } else {
                        rw = s.width();
                        rh = Math.max(s.height(), (int) ((long) s.width() * height / width));
                    }
                }
            }
        }
        if (crop.isNone()) {
            return new ImagePlan(width, height, rw, rh, 0, 0, rw, rh);
        }
        if (crop.width() > rw || crop.height() > rh) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "image of " + height + "x" + width + " (HxW)"
                    + (rw != width || rh != height ? ", resized to " + rh + "x" + rw : "")
                    + ", is smaller than the crop " + crop + "; resize it first (size=...)");
        }
        int cx = (int) Math.rint((rw - crop.width()) / 2.0);
        int cy = (int) Math.rint((rh - crop.height()) / 2.0);
        return new ImagePlan(width, height, rw, rh, cx, cy, crop.width(), crop.height());
    }

    /** The region of the original image the output covers. */
    CropBox box() {
        double sx = (double) width / resizedWidth;
        double sy = (double) height / resizedHeight;
        return new CropBox(cropX * sx, cropY * sy, outWidth * sx, outHeight * sy);
    }

    /** The output's channel planes, 8-bit values as floats (0..255), in {@code order}. */
    float[][] planes(BufferedImage image, ChannelOrder order) {
        if (image.getWidth() != width || image.getHeight() != height) {
            throw new IllegalArgumentException("plan for " + width + "x" + height + " applied to "
                    + image.getWidth() + "x" + image.getHeight());
        }
        int[] px = Images.toRgb(image).getRGB(0, 0, width, height, null, 0, width);
        float[][] source = order == ChannelOrder.GRAY ? new float[1][px.length] : new float[3][px.length];
        for (int i = 0; i < px.length; i++) {
            int r = (px[i] >> 16) & 0xFF;
            int g = (px[i] >> 8) & 0xFF;
            int b = px[i] & 0xFF;
            switch (order) {
                case RGB -> {
                    source[0][i] = r;
                    source[1][i] = g;
                    source[2][i] = b;
                }
                case BGR -> {
                    source[0][i] = b;
                    source[1][i] = g;
                    source[2][i] = r;
                }
                case GRAY -> source[0][i] = (float) (0.299 * r + 0.587 * g + 0.114 * b);
            }
        }
        boolean resized = resizedWidth != width || resizedHeight != height;
        Resampler.Kernel kx = resized ? Resampler.kernel(width, resizedWidth, cropX, outWidth) : null;
        Resampler.Kernel ky = resized ? Resampler.kernel(height, resizedHeight, cropY, outHeight) : null;
        float[][] out = new float[source.length][];
        for (int c = 0; c < source.length; c++) {
            out[c] = resized ? Resampler.resample(source[c], width, kx, ky) : crop(source[c]);
        }
        return out;
    }

    private float[] crop(float[] plane) {
        if (cropX == 0 && cropY == 0 && outWidth == width && outHeight == height) {
            return plane;
        }
        float[] out = new float[outWidth * outHeight];
        for (int y = 0; y < outHeight; y++) {
            System.arraycopy(plane, (cropY + y) * width + cropX, out, y * outWidth, outWidth);
        }
        return out;
    }
}
