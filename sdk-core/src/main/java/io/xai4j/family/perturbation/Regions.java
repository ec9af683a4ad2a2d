package io.xai4j.family.perturbation;

import java.util.Arrays;
import java.util.function.Function;

/** Shape arithmetic shared by the perturbation methods: per-axis sizes, window positions and boxes. */
public final class Regions {
    /** Default regions span this fraction of each spatial axis. */
    public static final int DEFAULT_DIVISIONS = 8;

    private Regions() {
    }

    /** Receives one contiguous run of a box: a flat offset into the example and a length. */
    @FunctionalInterface
    public interface Run {
        void accept(int offset, int length);
    }

    /**
     * The spatial axes of an example: the last two, or the first two of a channels-last [H,W,C] example
     * (at most 4 channels, more than 4 rows), or axis 0 of a rank-1 example.
     */
    public static int[] spatialAxes(int[] shape) {
        if (shape.length == 1) {
            return new int[] {0};
        }
        if (shape.length == 3 && shape[2] <= 4 && shape[0] > 4) {
            return new int[] {0, 1};
        }
        return new int[] {shape.length - 2, shape.length - 1};
    }

    /**
     * The default region size: one element on each axis of a rank-1 example; otherwise about 1/8 of each
     * spatial axis and the whole extent of the other axes (channels).
     */
    public static int[] defaultSize(int[] shape) {
        if (shape.length == 1) {
            return new int[] {1};
        }
        int[] size = shape.clone();
        for (int axis : spatialAxes(shape)) {
            size[axis] = Math.max(1, ceilDiv(shape[axis], DEFAULT_DIVISIONS));
        }
        return size;
    }

    /**
     * Expands a user's per-axis list to every axis of the example: the {@code given.length} numbers apply to
     * the last axes, each clamped to its axis; leading axes take {@code fallback[axis]}.
     *
     * @param error builds the error for a list longer than the example's rank
     */
    public static int[] perAxis(String parameter, int[] given, int[] shape, int[] fallback,
            Function<String, RuntimeException> error) {
        if (given.length == 0 || given.length > shape.length) {
            throw error.apply("parameter '" + parameter + "' has " + given.length + " numbers " + Arrays.toString(given)
                    + " but the example has shape " + Arrays.toString(shape) + "; give 1 to " + shape.length
                    + " numbers, which apply to the last axes (leading axes are covered whole)");
        }
        int[] out = fallback.clone();
        int lead = shape.length - given.length;
        for (int i = 0; i < given.length; i++) {
            out[lead + i] = Math.min(given[i], shape[lead + i]);
        }
        return out;
    }

    /**
     * Window starts along one axis: 0, stride, 2*stride, ... up to the first window that reaches the end of the
     * axis. With {@code truncate} (Captum's convention) that last window may cross the end and is cut there
     * ({@link #clip}); otherwise the starts stop while the window fits, plus a last start aligned to the end of the
     * axis when the strides leave elements at the end uncovered.
     */
    public static int[] starts(int extent, int window, int stride, boolean truncate) {
        int count = truncate ? ceilDiv(extent - window, stride) + 1 : (extent - window) / stride + 1;
        boolean tail = !truncate && (count - 1) * stride + window < extent;
        int[] starts = new int[count + (tail ? 1 : 0)];
        for (int i = 0; i < count; i++) {
            starts[i] = i * stride;
        }
        if (tail) {
            starts[count] = extent - window;
        }
        return starts;
    }

    /** The size of the box {@code start + size} within {@code shape}: each axis cut at the end of the axis. */
    public static int[] clip(int[] shape, int[] start, int[] size) {
        int[] clipped = new int[size.length];
        for (int axis = 0; axis < size.length; axis++) {
            clipped[axis] = Math.min(size[axis], shape[axis] - start[axis]);
        }
        return clipped;
    }

    /** The box number {@code index} of a grid of starts, the last axis varying fastest. */
    public static int[] start(int index, int[][] starts) {
        int[] start = new int[starts.length];
        for (int axis = starts.length - 1; axis >= 0; axis--) {
            int n = starts[axis].length;
            start[axis] = starts[axis][index % n];
            index /= n;
        }
        return start;
    }

    /** The number of boxes in a grid of starts. */
    public static int count(int[][] starts) {
        long n = 1;
        for (int[] s : starts) {
            n *= s.length;
        }
        return Math.toIntExact(n);
    }

    /** Calls {@code run} on the contiguous runs (along the last axis) of the box {@code start + size}. */
    public static void forEachRun(int[] shape, int[] start, int[] size, Run run) {
        int rank = shape.length;
        int[] strides = new int[rank];
        int stride = 1;
        for (int axis = rank - 1; axis >= 0; axis--) {
            strides[axis] = stride;
            stride *= shape[axis];
        }
        int[] at = new int[rank];
        while (true) {
            int offset = start[rank - 1];
            for (int axis = 0; axis < rank - 1; axis++) {
                offset += (start[axis] + at[axis]) * strides[axis];
            }
            run.accept(offset, size[rank - 1]);
            int axis = rank - 2;
            while (axis >= 0 && ++at[axis] == size[axis]) {
                at[axis] = 0;
                axis--;
            }
            if (axis < 0) {
                return;
            }
        }
    }

    public static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
