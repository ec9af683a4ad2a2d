package io.xai4j.onnx;

import io.xai4j.spi.Dim;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Checks that a batch-dynamic copy of a fixed-batch model gives, row by row, what the original gives for its fixed
 * batch, and whether the original's rows depend on each other.
 */
final class BatchVerifier {
    static final int BATCH = 3;
    private static final int OTHER_SYMBOLIC_SIZE = 2;
    private static final float ABS_TOLERANCE = 1e-4f;
    private static final float REL_TOLERANCE = 1e-3f;

    private BatchVerifier() {
    }

    /**
     * Null when the batched session agrees with the reference on random inputs, otherwise the reason it does not:
     * {@value #BATCH} rows for a fixed batch of 1 (or twice the fixed batch) in one call, and for a fixed batch
     * above 1 a single row too, against the reference run in chunks of its fixed batch.
     */
    static String disagreement(OrtRunner batched, OrtRunner reference, int fixedBatch) {
        int rows = fixedBatch == 1 ? BATCH : 2 * fixedBatch;
        Map<String, Tensor> inputs = randomInputs(reference.inputs(), rows, new Random(42));
        Set<String> names = new HashSet<>(reference.outputs().stream().map(TensorSpec::name).toList());
        Map<String, Tensor> expected = FixedBatches.forward(inputs, fixedBatch, chunk -> reference.run(chunk, names));
        String problem = compare(expected, batched.run(inputs, names), "the fixed-batch result");
        if (problem == null && fixedBatch > 1) {
            Map<String, Tensor> first = new HashMap<>();
            inputs.forEach((name, t) -> first.put(name, t.rows(0, 1)));
            Map<String, Tensor> expectedFirst = new HashMap<>();
            expected.forEach((name, t) -> expectedFirst.put(name, t.rows(0, 1)));
            problem = compare(expectedFirst, batched.run(first, names), "the fixed-batch result");
        }
        return problem;
    }

    /**
     * Null when the rows of a fixed batch do not depend on each other (new values in rows 1 and up leave the outputs
     * of row 0 as they were), otherwise how they do.
     */
    static String rowDependence(OrtRunner reference, int fixedBatch) {
        Random random = new Random(7);
        Map<String, Tensor> inputs = randomInputs(reference.inputs(), fixedBatch, random);
        Map<String, Tensor> others = randomInputs(reference.inputs(), fixedBatch, random);
        inputs.forEach((name, t) -> {
            if (t.rank() > 0) {
                others.get(name).rows(0, 1).copyFrom(t.rows(0, 1));
            }
        });
        Set<String> names = new HashSet<>(reference.outputs().stream().map(TensorSpec::name).toList());
        Map<String, Tensor> a = reference.run(inputs, names);
        Map<String, Tensor> b = reference.run(others, names);
        Map<String, Tensor> firstA = new HashMap<>();
        Map<String, Tensor> firstB = new HashMap<>();
        for (String name : names) {
            if (a.get(name).rank() == 0 || a.get(name).dim(0) != fixedBatch) {
                return "output '" + name + "' has shape " + Arrays.toString(a.get(name).shape()) + ", not "
                        + fixedBatch + " rows";
            }
            firstA.put(name, a.get(name).rows(0, 1));
            firstB.put(name, b.get(name).rows(0, 1));
        }
        String problem = compare(firstA, firstB, "row 0 with other rows beside it");
        return problem == null ? null : "new values in the other rows change row 0: " + problem;
    }

    /** Null when {@code got} matches {@code expected} output by output, else the first difference. */
    private static String compare(Map<String, Tensor> expected, Map<String, Tensor> got, String what) {
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor want = e.getValue();
            Tensor have = got.get(e.getKey());
            if (have == null || !Arrays.equals(want.shape(), have.shape())) {
                return "output '" + e.getKey() + "' has shape " + (have == null ? "none" : Arrays.toString(have.shape()))
                        + " where " + what + " has " + Arrays.toString(want.shape());
            }
            for (int i = 0; i < want.size(); i++) {
                float a = have.get(i);
                float b = want.get(i);
                if (!(Math.abs(a - b) <= ABS_TOLERANCE + REL_TOLERANCE * Math.abs(b))) {
                    return "output '" + e.getKey() + "' differs from " + what + " at element " + i + " (" + a + " vs "
                            + b + ")";
                }
            }
        }
        return null;
    }

    private static Map<String, Tensor> randomInputs(List<TensorSpec> specs, int rows, Random random) {
        Map<String, Tensor> inputs = new HashMap<>();
        for (TensorSpec spec : specs) {
            List<Dim> dims = new ArrayList<>(spec.shape());
            int[] shape = new int[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = i == 0 ? rows : dims.get(i).isFixed() ? (int) dims.get(i).size() : OTHER_SYMBOLIC_SIZE;
            }
            Tensor t = Tensor.zeros(shape);
            boolean floating = spec.type().isFloatingPoint();
            for (int i = 0; i < t.size(); i++) {
                t.set(i, floating ? (float) random.nextGaussian() : random.nextInt(2));
            }
            inputs.put(spec.name(), t);
        }
        return inputs;
    }
}
