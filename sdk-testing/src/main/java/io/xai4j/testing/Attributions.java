package io.xai4j.testing;

import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Attribution tensors by name: rows, concatenation and comparison within a relative tolerance. */
final class Attributions {
    private Attributions() {
    }

    /** Fails unless there is at least one tensor and every tensor has one row per example. */
    static void checkBatchFirst(Map<String, Tensor> tensors, int examples) {
        if (tensors.isEmpty()) {
            throw new AssertionError("the attribution holds no tensor");
        }
        tensors.forEach((name, t) -> {
            if (t.rank() == 0 || t.dim(0) != examples) {
                throw new AssertionError("attribution '" + name + "' has shape " + Arrays.toString(t.shape())
                        + " for " + examples + " examples; attributions are batch first, one row per example");
            }
        });
    }

    /** Row {@code i} of each tensor, as a batch of one. */
    static Map<String, Tensor> row(Map<String, Tensor> tensors, int i) {
        Map<String, Tensor> row = new LinkedHashMap<>();
        tensors.forEach((name, t) -> row.put(name, t.rows(i, i + 1)));
        return row;
    }

    /** The parts' tensors concatenated along the batch; the parts must name the same tensors. */
    static Map<String, Tensor> concat(List<Map<String, Tensor>> parts) {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (String name : parts.get(0).keySet()) {
            List<Tensor> rows = new ArrayList<>();
            for (Map<String, Tensor> part : parts) {
                if (!part.keySet().equals(parts.get(0).keySet())) {
                    throw new AssertionError("one run attributes to " + parts.get(0).keySet() + ", another to "
                            + part.keySet());
                }
                rows.add(part.get(name));
            }
            all.put(name, Tensor.concat(rows));
        }
        return all;
    }

    /**
     * How {@code actual} differs from {@code expected}, or empty when they name the same tensors with the same
     * shapes and every element is within {@code tolerance} times the tensor's largest magnitude (equal non-finite
     * values agree).
     */
    static Optional<String> difference(Map<String, Tensor> expected, Map<String, Tensor> actual, double tolerance) {
        if (!expected.keySet().equals(actual.keySet())) {
            return Optional.of("tensors " + actual.keySet() + " instead of " + expected.keySet());
        }
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor want = e.getValue();
            Tensor got = actual.get(e.getKey());
            if (!Arrays.equals(want.shape(), got.shape())) {
                return Optional.of("'" + e.getKey() + "' has shape " + Arrays.toString(got.shape()) + " instead of "
                        + Arrays.toString(want.shape()));
            }
            double allowed = tolerance * Math.max(largest(want), largest(got));
            for (int i = 0; i < want.size(); i++) {
                float a = want.get(i);
                float b = got.get(i);
                if (Float.compare(a, b) != 0 && !(Math.abs(a - b) <= allowed)) {
                    return Optional.of("'" + e.getKey() + "' at " + Arrays.toString(index(want.shape(), i)) + " is "
                            + b + " instead of " + a + " (allowed difference " + (float) allowed + ")");
                }
            }
        }
        return Optional.empty();
    }

    /** The first non-finite element, or empty. */
    static Optional<String> nonFinite(Map<String, Tensor> tensors) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            for (int i = 0; i < t.size(); i++) {
                if (!Float.isFinite(t.get(i))) {
                    return Optional.of("'" + e.getKey() + "' is " + t.get(i) + " at "
                            + Arrays.toString(index(t.shape(), i)));
                }
            }
        }
        return Optional.empty();
    }

    private static double largest(Tensor t) {
        double m = 0;
        for (int i = 0; i < t.size(); i++) {
            float v = Math.abs(t.get(i));
            m = Float.isFinite(v) ? Math.max(m, v) : m;
        }
        return m;
    }

    private static int[] index(int[] shape, int flat) {
        int[] index = new int[shape.length];
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }
}
