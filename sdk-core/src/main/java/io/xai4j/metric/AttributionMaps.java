package io.xai4j.metric;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.perturbation.Regions;
import io.xai4j.image.Layout;
import io.xai4j.render.Reduction;
import io.xai4j.render.ScalarMap;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;

/** One example's attribution brought onto the example: a relevance per input element, or per pixel of an image. */
public final class AttributionMaps {
    private AttributionMaps() {
    }

    /**
     * The relevance of each element of an example of {@code exampleShape}: the attribution itself when it has the
     * example's size; summed over its trailing axes when it extends the example's shape (an embedding layer's
     * {@code [T,E]} over token ids {@code [T]}); otherwise, over an image, the pixel map ({@link #perPixel}) repeated
     * over the channels.
     *
     * @throws XaiException {@link ErrorCode#SHAPE_MISMATCH} for an attribution that fits none of these
     */
    public static double[] perElement(Tensor attribution, int[] exampleShape) {
        int size = Tensor.sizeOf(exampleShape);
        double[] out = new double[size];
        int[] shape = attribution.shape();
        if (attribution.size() == size) {
            for (int e = 0; e < size; e++) {
                out[e] = attribution.get(e);
            }
            return out;
        }
        if (shape.length > exampleShape.length
                && Arrays.equals(Arrays.copyOf(shape, exampleShape.length), exampleShape)) {
            int inner = attribution.size() / size;
            for (int e = 0; e < attribution.size(); e++) {
                out[e / inner] += attribution.get(e);
            }
            return out;
        }
        ScalarMap map = perPixel(attribution, exampleShape);
        int[] spatial = Regions.spatialAxes(exampleShape);
        int[] at = new int[exampleShape.length];
        for (int e = 0; e < size; e++) {
            out[e] = map.values()[at[spatial[0]] * map.width() + at[spatial[1]]];
            for (int axis = exampleShape.length - 1; axis >= 0 && ++at[axis] == exampleShape[axis]; axis--) {
                at[axis] = 0;
            }
        }
        return out;
    }

    /**
     * The relevance of each pixel of an image example ({@code [C,H,W]}, {@code [H,W,C]} or {@code [H,W]}), at its
     * height and width: an attribution of the example's size summed over channels, or a map of any resolution
     * ({@code [1,h,w]}, {@code [h,w]}) summed over its channels and resized bilinearly.
     *
     * @throws XaiException {@link ErrorCode#SHAPE_MISMATCH} when the example is not an image or the attribution
     *                      not a map
     */
    public static ScalarMap perPixel(Tensor attribution, int[] exampleShape) {
        if (exampleShape.length < 2 || exampleShape.length > 3) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "a pixel map needs image examples [C,H,W], [H,W,C] "
                    + "or [H,W], got example shape " + Arrays.toString(exampleShape));
        }
        int[] spatial = Regions.spatialAxes(exampleShape);
        int height = exampleShape[spatial[0]];
        int width = exampleShape[spatial[1]];
        boolean sameSize = attribution.size() == Tensor.sizeOf(exampleShape);
        Tensor shaped = sameSize ? attribution.reshape(exampleShape) : attribution;
        Layout layout = sameSize && exampleShape.length == 3 && spatial[0] == 0 ? Layout.NHWC : Layout.NCHW;
        ScalarMap map;
        try {
            map = ScalarMap.reduce(shaped, layout, Reduction.SUM);
        } catch (XaiException e) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "an attribution of shape "
                    + Arrays.toString(attribution.shape()) + " is neither shaped like the example "
                    + Arrays.toString(exampleShape) + " nor a map [1,h,w] or [h,w] over it", e);
        }
        return map.height() == height && map.width() == width ? map : map.resize(height, width);
    }
}
