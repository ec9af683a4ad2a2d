package io.xai4j.family.gradient;

import io.xai4j.tensor.Tensor;
import java.util.Arrays;

/**
 * Reduces attributions over the channel axis, keeping the rank (the channel axis gets size 1). The channel
 * axis is the last one for a channels-last image batch {@code [N,H,W,C]} (rank 4 with C &lt;= 4 and H, W &gt; 4),
 * and axis 1 otherwise ({@code [N,C,H,W]}, {@code [N,C,L]}, ...).
 */
public final class ChannelReduction {
    public static final String NONE = "none";
    public static final String MAX = "max";
    public static final String SUM = "sum";

    private ChannelReduction() {
    }

    /** The channel axis of a batch of the given shape (rank at least 3). */
    public static int channelAxis(int[] batchShape) {
        boolean channelsLast = batchShape.length == 4 && batchShape[3] <= 4 && batchShape[1] > 4 && batchShape[2] > 4;
        return channelsLast ? 3 : 1;
    }

    /**
     * {@code attribution} reduced by {@code mode} ({@code max} or {@code sum}) over {@code axis}, or itself for
     * {@code none}.
     */
    public static Tensor reduce(Tensor attribution, String mode, int axis) {
        if (mode.equals(NONE)) {
            return attribution;
        }
        int[] shape = attribution.shape();
        int channels = shape[axis];
        int outer = Tensor.sizeOf(Arrays.copyOfRange(shape, 0, axis));
        int inner = Tensor.sizeOf(Arrays.copyOfRange(shape, axis + 1, shape.length));
        int[] reducedShape = shape.clone();
        reducedShape[axis] = 1;
        Tensor out = Tensor.zeros(reducedShape);
        boolean max = mode.equals(MAX);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                for (int c = 0; c < channels; c++) {
                    float v = attribution.get((o * channels + c) * inner + i);
                    acc = max ? Math.max(acc, v) : acc + v;
                }
                out.set(o * inner + i, acc);
            }
        }
        return out;
    }
}
