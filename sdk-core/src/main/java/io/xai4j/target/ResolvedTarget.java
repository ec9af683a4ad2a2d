package io.xai4j.target;

import io.xai4j.tensor.Tensor;
import java.util.List;

/**
 * A target bound to concrete examples: for each example of the batch, the flat indices (within one
 * output row) whose sum is the score. Perturbation methods read {@link #score}; gradient methods feed
 * {@link #seed} to the gradient engine.
 *
 * @param output  the model output name
 * @param indices per example, flat indices into that example's output row
 * @param labels  per example, a readable description such as {@code class 3}
 */
public record ResolvedTarget(String output, List<int[]> indices, List<String> labels) {
    public ResolvedTarget {
        indices = List.copyOf(indices);
        labels = List.copyOf(labels);
        if (indices.size() != labels.size()) {
            throw new IllegalArgumentException("indices and labels differ in length");
        }
    }

    public int examples() {
        return indices.size();
    }

    /** The score of one output row (shape without batch) for example {@code example}. */
    public float score(Tensor outputRow, int example) {
        float[] a = outputRow.array();
        int off = outputRow.offset();
        double s = 0;
        for (int i : indices.get(example)) {
            s += a[off + i];
        }
        return (float) s;
    }

    /** Scores of a batch of output rows, where row r belongs to example {@code exampleOf[r]}. */
    public float[] scores(Tensor outputBatch, int[] exampleOf) {
        float[] out = new float[outputBatch.dim(0)];
        for (int r = 0; r < out.length; r++) {
            out[r] = score(outputBatch.row(r), exampleOf[r]);
        }
        return out;
    }

    /** The cotangent for a batch whose row r is example r: ones at the target indices, zeros elsewhere. */
    public Tensor seed(int[] outputShape) {
        int[] identity = new int[outputShape[0]];
        for (int r = 0; r < identity.length; r++) {
            identity[r] = r;
        }
        return seed(outputShape, identity);
    }

    /** The cotangent for a batch whose row r belongs to example {@code exampleOf[r]}. */
    public Tensor seed(int[] outputShape, int[] exampleOf) {
        Tensor seed = Tensor.zeros(outputShape);
        int rowSize = seed.rowSize();
        for (int r = 0; r < outputShape[0]; r++) {
            for (int i : indices.get(exampleOf[r])) {
                seed.set(r * rowSize + i, 1f);
            }
        }
        return seed;
    }

    /** This target restricted to one example, as a batch of one. */
    public ResolvedTarget forExample(int example) {
        return new ResolvedTarget(output, List.of(indices.get(example)), List.of(labels.get(example)));
    }

    /**
     * Each example's probability of its target (softmax over the last axis, see
     * {@link io.xai4j.explain.Predictions#probabilities}), or null when a target covers several elements.
     */
    public List<Double> probabilities(Tensor output) {
        List<Double> result = new java.util.ArrayList<>();
        for (int example = 0; example < examples(); example++) {
            int[] target = indices.get(example);
            if (target.length != 1) {
                return null;
            }
            Tensor row = output.row(example);
            int classes = row.rank() == 0 ? 1 : row.dim(-1);
            Tensor position = row.reshape(-1, classes).row(target[0] / classes);
            result.add(io.xai4j.explain.Predictions.probabilities(position)[target[0] % classes]);
        }
        return result;
    }
}
