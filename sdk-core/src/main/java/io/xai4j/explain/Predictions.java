package io.xai4j.explain;

import io.xai4j.target.TargetResolver;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The top classes of an output row with their probabilities. */
public final class Predictions {
    /** How far from 1 the sum of a row may be for the row to count as probabilities. */
    public static final double PROBABILITY_SUM_TOLERANCE = 1e-3;

    private Predictions() {
    }

    /**
     * The {@code k} best elements of {@code row} (flattened), best first; fewer when the row is smaller. The row is
     * used as probabilities when it already looks like a distribution, otherwise its softmax is (a single score:
     * itself in [0, 1], else its sigmoid). For rows of rank above 1 (e.g. {@code [T,C]} per-time-step outputs) the
     * classes are on the last axis: probabilities are taken per position, and labels name the element, e.g.
     * {@code [15,1] (square)}. A sequence row {@code [T,C]} lists the best classes of its last step, as its
     * {@code top1} target reads, so the list is ordered by probability.
     *
     * @param classNames names by class index; may be empty or shorter than the row
     */
    public static List<Prediction> top(Tensor row, int k, List<String> classNames) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int classes = row.rank() == 0 ? 1 : row.dim(-1);
        double[] probabilities = new double[row.size()];
        Tensor positions = row.reshape(-1, classes);
        for (int p = 0; p < positions.dim(0); p++) {
            System.arraycopy(probabilities(positions.row(p)), 0, probabilities, p * classes, classes);
        }
        int[] best;
        if (row.rank() == 2) {
            int offset = (row.dim(0) - 1) * classes;
            best = TargetResolver.topIndices(row.row(row.dim(0) - 1), Math.min(k, classes));
            for (int i = 0; i < best.length; i++) {
                best[i] += offset;
            }
        } else {
            best = TargetResolver.topIndices(row, Math.min(k, row.size()));
        }
        List<Prediction> out = new ArrayList<>(best.length);
        for (int index : best) {
            int cls = index % classes;
            String name = cls < classNames.size() ? classNames.get(cls) : null;
            String label = row.rank() <= 1 ? (name != null ? name : "class " + index)
                    : element(row.shape(), index) + (name != null ? " (" + name + ")" : "");
            out.add(new Prediction(index, label, probabilities[index], row.get(index)));
        }
        return out;
    }

    /** For a sequence output {@code [N,T,C]}: each example's best class per step, by name when there is one. */
    public static List<List<String>> perStep(Tensor output, List<String> classNames) {
        List<List<String>> result = new ArrayList<>();
        for (int n = 0; n < output.dim(0); n++) {
            Tensor row = output.row(n);
            List<String> steps = new ArrayList<>();
            for (int t = 0; t < row.dim(0); t++) {
                int cls = TargetResolver.topIndices(row.row(t), 1)[0];
                steps.add(cls < classNames.size() ? classNames.get(cls) : Integer.toString(cls));
            }
            result.add(steps);
        }
        return result;
    }

    private static String element(int[] shape, int flat) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return java.util.Arrays.toString(index).replace(" ", "");
    }

    /** True when every element is in [0, 1] and the elements sum to 1 within {@link #PROBABILITY_SUM_TOLERANCE}. */
    public static boolean looksLikeProbabilities(Tensor row) {
        float[] a = row.array();
        double sum = 0;
        for (int i = row.offset(); i < row.offset() + row.size(); i++) {
            if (!(a[i] >= 0f && a[i] <= 1f)) {
                return false;
            }
            sum += a[i];
        }
        return Math.abs(sum - 1) <= PROBABILITY_SUM_TOLERANCE;
    }

    /**
     * The row itself when it looks like probabilities, else its numerically stable softmax. A single score (a
     * binary classifier) is its own probability when it lies in [0, 1], else its sigmoid.
     */
    public static double[] probabilities(Tensor row) {
        float[] a = row.array();
        int off = row.offset();
        double[] p = new double[row.size()];
        if (p.length == 1) {
            double v = a[off];
            p[0] = v >= 0 && v <= 1 ? v : 1 / (1 + Math.exp(-v));
            return p;
        }
        if (looksLikeProbabilities(row)) {
            for (int i = 0; i < p.length; i++) {
                p[i] = a[off + i];
            }
            return p;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            max = Math.max(max, a[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(a[off + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
