package io.xai4j.family.perturbation;

import io.xai4j.family.perturbation.Regions;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A partition of an example's elements into groups that are perturbed together (the players of a coalition
 * game, the features of a surrogate model).
 *
 * @param groupOf group index (0-based, dense) of each element of the example
 * @param members for each group, its elements in increasing order
 * @param ids     the user's id of each group (for a grid, the cell number; for time windows, the window)
 */
public record FeatureGroups(int[] groupOf, int[][] members, long[] ids) {

    public int groups() {
        return members.length;
    }

    /**
     * Groups from a user's mask of whole-number ids whose shape broadcasts to the example's (numpy rules: the
     * mask's axes align with the example's last axes, each of the same size or 1), or to the example with a
     * leading batch of one: an [H,W] mask repeats over the channels of a [C,H,W] example.
     */
    public static FeatureGroups fromMask(Tensor mask, String source, int[] exampleShape,
            Function<String, RuntimeException> error) {
        int[] shape = mask.shape();
        if (shape.length == exampleShape.length + 1 && shape[0] == 1) {
            shape = Arrays.copyOfRange(shape, 1, shape.length);
        }
        if (!broadcasts(shape, exampleShape)) {
            throw error.apply("feature mask " + source + " has shape " + Arrays.toString(mask.shape())
                    + ", which does not broadcast to the example's shape " + Arrays.toString(exampleShape)
                    + "; expected the example's shape " + Arrays.toString(exampleShape)
                    + " or its last axes (e.g. " + Arrays.toString(Arrays.copyOfRange(exampleShape,
                    Math.min(1, exampleShape.length - 1), exampleShape.length)) + ", repeated over the leading axes)"
                    + ", with any axis of size 1 repeated");
        }
        TreeMap<Long, Integer> dense = new TreeMap<>();
        long[] raw = new long[mask.size()];
        for (int e = 0; e < raw.length; e++) {
            float v = mask.get(e);
            if (v != Math.rint(v) || Math.abs(v) > (1L << 24)) {
                throw error.apply("feature mask " + source + " must hold whole-number group ids of magnitude at most "
                        + "2^24, but element " + e + " is " + v);
            }
            raw[e] = (long) v;
            dense.put(raw[e], 0);
        }
        long[] ids = new long[dense.size()];
        int next = 0;
        for (var entry : dense.entrySet()) {
            ids[next] = entry.getKey();
            entry.setValue(next++);
        }
        int[] sourceOf = broadcastIndex(shape, exampleShape);
        int[] groupOf = new int[sourceOf.length];
        for (int e = 0; e < groupOf.length; e++) {
            groupOf[e] = dense.get(raw[sourceOf[e]]);
        }
        return of(groupOf, ids);
    }

    /** Groups of a grid of boxes of {@code cell} elements per axis (cells at the ends may be smaller). */
    public static FeatureGroups grid(int[] cell, int[] exampleShape) {
        int rank = exampleShape.length;
        int[] cells = new int[rank];
        for (int axis = 0; axis < rank; axis++) {
            cells[axis] = Regions.ceilDiv(exampleShape[axis], cell[axis]);
        }
        int[] groupOf = new int[Tensor.sizeOf(exampleShape)];
        int[] at = new int[rank];
        for (int e = 0; e < groupOf.length; e++) {
            int group = 0;
            for (int axis = 0; axis < rank; axis++) {
                group = group * cells[axis] + at[axis] / cell[axis];
            }
            groupOf[e] = group;
            for (int axis = rank - 1; axis >= 0 && ++at[axis] == exampleShape[axis]; axis--) {
                at[axis] = 0;
            }
        }
        long[] ids = new long[Tensor.sizeOf(cells)];
        Arrays.setAll(ids, i -> i);
        return of(groupOf, ids);
    }

    /** Groups from dense group indices {@code 0..n-1} of every element, ids equal to the indices. */
    public static FeatureGroups of(int[] groupOf) {
        int n = Arrays.stream(groupOf).max().orElse(-1) + 1;
        long[] ids = new long[n];
        Arrays.setAll(ids, i -> i);
        return of(groupOf, ids);
    }

    private static FeatureGroups of(int[] groupOf, long[] ids) {
        int[] sizes = new int[ids.length];
        for (int g : groupOf) {
            sizes[g]++;
        }
        int[][] members = new int[ids.length][];
        for (int g = 0; g < ids.length; g++) {
            members[g] = new int[sizes[g]];
            sizes[g] = 0;
        }
        for (int e = 0; e < groupOf.length; e++) {
            int g = groupOf[e];
            members[g][sizes[g]++] = e;
        }
        return new FeatureGroups(groupOf, members, ids);
    }

    private static boolean broadcasts(int[] shape, int[] target) {
        int lead = target.length - shape.length;
        if (lead < 0 || shape.length == 0) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 1 && shape[i] != target[lead + i]) {
                return false;
            }
        }
        return true;
    }

    /** For each element of {@code target}, the flat index of the element of {@code shape} broadcast onto it. */
    private static int[] broadcastIndex(int[] shape, int[] target) {
        int lead = target.length - shape.length;
        int[] index = new int[Tensor.sizeOf(target)];
        int[] at = new int[target.length];
        for (int e = 0; e < index.length; e++) {
            int flat = 0;
            for (int i = 0; i < shape.length; i++) {
                flat = flat * shape[i] + (shape[i] == 1 ? 0 : at[lead + i]);
            }
            index[e] = flat;
            for (int axis = target.length - 1; axis >= 0 && ++at[axis] == target[axis]; axis--) {
                at[axis] = 0;
            }
        }
        return index;
    }
}
