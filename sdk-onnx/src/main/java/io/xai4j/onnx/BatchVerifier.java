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

/** Checks that a batched session gives, row by row, what the reference session gives for single rows. */
final class BatchVerifier {
    static final int BATCH = 3;
    private static final int OTHER_SYMBOLIC_SIZE = 2;
    private static final float ABS_TOLERANCE = 1e-4f;
    private static final float REL_TOLERANCE = 1e-3f;

    private BatchVerifier() {
    }

    /** Null when the batched session agrees with the reference on random inputs, otherwise the reason it does not. */
    static String disagreement(OrtRunner batched, OrtRunner reference) {
        Map<String, Tensor> inputs = randomInputs(reference.inputs(), new Random(42));
        var names = new HashSet<>(reference.outputs().stream().map(TensorSpec::name).toList());
        Map<String, Tensor> together = batched.run(inputs, names);
        for (int row = 0; row < BATCH; row++) {
            Map<String, Tensor> single = new HashMap<>();
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                single.put(e.getKey(), e.getValue().rows(row, row + 1));
            }
            Map<String, Tensor> expected = reference.run(single, names);
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                String problem = compare(e.getKey(), row, e.getValue(), together.get(e.getKey()));
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static String compare(String name, int row, Tensor expected, Tensor batched) {
        int[] want = expected.shape();
        int[] got = batched.shape();
        if (want.length == 0 || want[0] != 1 || got.length != want.length || got[0] != BATCH
                || !Arrays.equals(want, 1, want.length, got, 1, got.length)) {
            return "output '" + name + "' has shape " + Arrays.toString(got) + " for a batch of " + BATCH
                    + ", but " + Arrays.toString(want) + " for a batch of 1";
        }
        Tensor actual = batched.rows(row, row + 1);
        for (int i = 0; i < expected.size(); i++) {
            float a = actual.get(i);
            float b = expected.get(i);
            if (!(Math.abs(a - b) <= ABS_TOLERANCE + REL_TOLERANCE * Math.abs(b))) {
                return "output '" + name + "' row " + row + " differs from the batch-1 result at element " + i
                        + " (" + a + " vs " + b + ")";
            }
        }
        return null;
    }

    private static Map<String, Tensor> randomInputs(List<TensorSpec> specs, Random random) {
        Map<String, Tensor> inputs = new HashMap<>();
        for (TensorSpec spec : specs) {
            List<Dim> dims = new ArrayList<>(spec.shape());
            int[] shape = new int[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = i == 0 ? BATCH : dims.get(i).isFixed() ? (int) dims.get(i).size() : OTHER_SYMBOLIC_SIZE;
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
