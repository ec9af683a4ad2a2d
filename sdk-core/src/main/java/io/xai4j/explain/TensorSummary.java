package io.xai4j.explain;

import io.xai4j.tensor.Tensor;

/**
 * Summary statistics of a tensor over its finite elements.
 *
 * @param min       the smallest finite element (NaN when there is none)
 * @param max       the largest finite element (NaN when there is none)
 * @param sum       the sum of the finite elements
 * @param meanAbs   the mean absolute value of the finite elements (NaN when there is none)
 * @param nonFinite how many elements are NaN or infinite
 */
public record TensorSummary(double min, double max, double sum, double meanAbs, int nonFinite) {

    public static TensorSummary of(Tensor t) {
        float[] a = t.array();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double abs = 0;
        int nonFinite = 0;
        for (int i = t.offset(); i < t.offset() + t.size(); i++) {
            float v = a[i];
            if (!Float.isFinite(v)) {
                nonFinite++;
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            abs += Math.abs(v);
        }
        int finite = t.size() - nonFinite;
        if (finite == 0) {
            return new TensorSummary(Double.NaN, Double.NaN, 0, Double.NaN, nonFinite);
        }
        return new TensorSummary(min, max, sum, abs / finite, nonFinite);
    }
}
