package io.xai4j.family.perturbation;

import io.xai4j.family.perturbation.Regions;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;

/**
 * An image example seen as {@code H x W} pixels of {@code C} values, whatever its layout ([C,H,W], [H,W,C] with at
 * most 4 channels, or [H,W]), with the values scaled to [0, 1] by the example's range so that segmentation
 * thresholds do not depend on the preprocessing.
 *
 * @param height   rows
 * @param width    columns
 * @param channels values per pixel
 * @param values   pixel {@code p}'s channel {@code c} at {@code p * channels + c}
 * @param pixelOf  for each element of the example, its pixel {@code y * width + x}
 */
record Pixels(int height, int width, int channels, double[] values, int[] pixelOf) {

    /** The pixels of {@code example}, of shape {@code shape}; null when it is not an image (rank 2 or 3). */
    static Pixels of(Tensor example, int[] shape) {
        if (shape.length < 2 || shape.length > 3) {
            return null;
        }
        int[] spatial = Regions.spatialAxes(shape);
        int height = shape[spatial[0]];
        int width = shape[spatial[1]];
        int channels = example.size() / (height * width);
        int channelAxis = shape.length == 2 ? -1 : spatial[0] == 0 ? 2 : 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int e = 0; e < example.size(); e++) {
            min = Math.min(min, example.get(e));
            max = Math.max(max, example.get(e));
        }
        double range = max > min ? max - min : 1;
        double[] values = new double[example.size()];
        int[] pixelOf = new int[example.size()];
        int[] at = new int[shape.length];
        for (int e = 0; e < example.size(); e++) {
            int pixel = at[spatial[0]] * width + at[spatial[1]];
            int channel = channelAxis < 0 ? 0 : at[channelAxis];
            pixelOf[e] = pixel;
            values[pixel * channels + channel] = (example.get(e) - min) / range;
            for (int axis = shape.length - 1; axis >= 0 && ++at[axis] == shape[axis]; axis--) {
                at[axis] = 0;
            }
        }
        return new Pixels(height, width, channels, values, pixelOf);
    }

    int count() {
        return height * width;
    }

    /** The squared distance between the values of pixels {@code p} and {@code q}. */
    double distance2(int p, int q) {
        double d = 0;
        for (int c = 0; c < channels; c++) {
            double v = values[p * channels + c] - values[q * channels + c];
            d += v * v;
        }
        return d;
    }

    /** Feature groups from a label per pixel (any ints), numbered densely in order of first appearance. */
    FeatureGroups groups(int[] labels) {
        int[] dense = new int[labels.length];
        int[] map = new int[Arrays.stream(labels).max().orElse(0) + 1];
        Arrays.fill(map, -1);
        int next = 0;
        for (int p = 0; p < labels.length; p++) {
            if (map[labels[p]] < 0) {
                map[labels[p]] = next++;
            }
            dense[p] = map[labels[p]];
        }
        int[] groupOf = new int[pixelOf.length];
        for (int e = 0; e < groupOf.length; e++) {
            groupOf[e] = dense[pixelOf[e]];
        }
        return FeatureGroups.of(groupOf);
    }
}
