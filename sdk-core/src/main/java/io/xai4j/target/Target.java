package io.xai4j.target;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What to explain: which output elements' sum is the score. {@code output} is a model output name, or
 * {@code null} for the first output. Parse the CLI syntax with {@link TargetParser#parse(String)}.
 */
public sealed interface Target {

    /** The output this target reads, or null for the first output. */
    String output();

    /** The CLI spelling of this target. */
    String spec();

    /** The predicted class (the arg-max of the output row); the default target. */
    record Predicted(String output) implements Target {
        public String spec() {
            return prefix(output) + "top1";
        }
    }

    /** A class index on the last axis of the output (summed over any axes between batch and class). */
    record ClassIndex(String output, int index) implements Target {
        public ClassIndex {
            if (index < 0) {
                throw new IllegalArgumentException("class index must be >= 0, got " + index);
            }
        }

        public String spec() {
            return prefix(output) + index;
        }
    }

    /** Each of the k highest-scoring classes, one explanation per class. */
    record TopK(String output, int k) implements Target {
        public TopK {
            if (k < 1) {
                throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
            }
        }

        public String spec() {
            return prefix(output) + "top:" + k;
        }
    }

    /**
     * The sum over a box of a multi-dimensional output: one range per non-batch axis, e.g. time steps
     * 0..15 of class 3 in an [N,T,C] output is {@code [0:16, 3:4]}.
     */
    record Slice(String output, List<IndexRange> ranges) implements Target {
        public Slice {
            ranges = List.copyOf(ranges);
        }

        public String spec() {
            return (output == null ? "" : output) + ranges.stream().map(IndexRange::toString)
                    .collect(Collectors.joining(",", "[", "]"));
        }
    }

    /**
     * For a per-step output {@code [N,T_out,C]}: the {@code T_out x T_in} attribution matrix of class {@code index},
     * whose row t attributes step t's score to each step of the input, summed over the input's other axes.
     */
    record Matrix(String output, int index) implements Target {
        public Matrix {
            if (index < 0) {
                throw new IllegalArgumentException("class index must be >= 0, got " + index);
            }
        }

        public String spec() {
            return prefix(output) + "matrix:" + index;
        }
    }

    /** One target per example of the batch, in order. */
    record PerExample(List<Target> targets) implements Target {
        public PerExample {
            targets = List.copyOf(targets);
            if (targets.isEmpty() || targets.stream().anyMatch(t -> t instanceof PerExample || t instanceof TopK
                    || t instanceof Matrix)) {
                throw new IllegalArgumentException("per-example targets must be single targets (no top:k, no matrix,"
                        + " no nesting)");
            }
        }

        public String output() {
            return targets.get(0).output();
        }

        public String spec() {
            return targets.stream().map(Target::spec).collect(Collectors.joining(";"));
        }
    }

    private static String prefix(String output) {
        return output == null ? "" : output + ":";
    }
}
