package io.xai4j.family.perturbation;

import io.xai4j.spi.Parameters;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The sliding windows of occlusion over one example: a window size and stride per axis and the grid of window starts
 * (see {@link Regions#starts}), from the parameters {@code window}, {@code stride} and {@code border}.
 *
 * @param shape  one example's shape
 * @param window the window size per axis
 * @param stride the stride per axis
 * @param starts the window starts per axis; window {@code k} is {@link Regions#start}{@code (k, starts)}
 * @param border {@value #TRUNCATE} (the last window of an axis cut at its end) or {@value #SHIFT} (moved back)
 */
public record WindowGrid(int[] shape, int[] window, int[] stride, int[][] starts, String border) {
    public static final String WINDOW = "window";
    public static final String STRIDE = "stride";
    public static final String BORDER = "border";
    public static final String TRUNCATE = "truncate";
    public static final String SHIFT = "shift";

    /**
     * The grid over an example of {@code shape}: {@code window} per axis (the last axes; default about 1/8 of each
     * spatial axis), {@code stride} (default half the window).
     *
     * @param error builds the error for invalid parameters
     */
    public static WindowGrid of(Parameters parameters, int[] shape, Function<String, RuntimeException> error) {
        int[] window = parameters.has(WINDOW)
                ? Regions.perAxis(WINDOW, parameters.getIntList(WINDOW), shape, shape, error)
                : Regions.defaultSize(shape);
        int[] stride = parameters.has(STRIDE)
                ? Regions.perAxis(STRIDE, parameters.getIntList(STRIDE), shape, window, error)
                : halfWindow(window, shape);
        String border = parameters.getString(BORDER);
        int[][] starts = new int[shape.length][];
        for (int axis = 0; axis < shape.length; axis++) {
            if (window[axis] < shape[axis] && stride[axis] > window[axis]) {
                throw error.apply("stride " + Arrays.toString(stride) + " exceeds window " + Arrays.toString(window)
                        + " on axis " + axis + " of the example shape " + Arrays.toString(shape)
                        + ", which would skip elements; use a stride of at most the window");
            }
            starts[axis] = Regions.starts(shape[axis], window[axis], stride[axis], border.equals(TRUNCATE));
        }
        return new WindowGrid(shape, window, stride, starts, border);
    }

    /** The number of windows. */
    public int count() {
        return Regions.count(starts);
    }

    /** Calls {@code run} on the contiguous runs of window {@code k}, cut at the end of each axis. */
    public void forEachRun(int k, Regions.Run run) {
        int[] start = Regions.start(k, starts);
        Regions.forEachRun(shape, start, Regions.clip(shape, start, window), run);
    }

    private static int[] halfWindow(int[] window, int[] shape) {
        int[] stride = window.clone();
        for (int axis = 0; axis < shape.length; axis++) {
            if (window[axis] < shape[axis]) {
                stride[axis] = Math.max(1, window[axis] / 2);
            }
        }
        return stride;
    }
}
