package io.xai4j.image;

import java.awt.image.BufferedImage;

/**
 * The region of the original image that a preprocessed model input shows, in original-image pixel
 * coordinates (fractional after resizing). An attribution map of the model input covers exactly this box.
 */
public record CropBox(double x, double y, double width, double height) {
    public CropBox {
        if (!(width > 0) || !(height > 0)) {
            throw new IllegalArgumentException("crop box needs a positive size, got " + width + "x" + height);
        }
    }

    /** The whole image. */
    public static CropBox full(int width, int height) {
        return new CropBox(0, 0, width, height);
    }

    public static CropBox full(BufferedImage image) {
        return full(image.getWidth(), image.getHeight());
    }
}
