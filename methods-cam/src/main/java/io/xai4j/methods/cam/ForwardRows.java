package io.xai4j.methods.cam;

import io.xai4j.batch.Batcher;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Model;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs many variants of one example through a model in batches: variant {@code i} is the example with one
 * input rewritten by a {@link Filler}; the other inputs are replicated. Buffers are reused per batch size.
 */
final class ForwardRows {

    /** Writes variant {@code index} into {@code row}, which holds the unchanged example on entry. */
    @FunctionalInterface
    interface Filler {
        void fill(int index, Tensor row);
    }

    /** Receives the output rows of variants {@code [start, start + output.dim(0))}. */
    @FunctionalInterface
    interface Sink {
        void accept(int start, Tensor output);
    }

    private ForwardRows() {
    }

    /**
     * @param example every input of the model, each a batch of one
     * @param varied  the input the filler writes
     */
    static void run(Model model, Batcher batcher, String task, Map<String, Tensor> example, String varied, int count,
            String output, Filler filler, Sink sink) {
        long bytes = 0;
        for (Tensor t : example.values()) {
            bytes += Float.BYTES * (long) t.rowSize();
        }
        Tensor base = example.get(varied).row(0);
        Map<Integer, Map<String, Tensor>> buffers = new HashMap<>();
        batcher.forEach(task, count, bytes + Float.BYTES * (long) base.size(), (start, end) -> {
            int n = end - start;
            Map<String, Tensor> inputs = buffers.computeIfAbsent(n, size -> replicate(example, size));
            Tensor rows = inputs.get(varied);
            for (int r = 0; r < n; r++) {
                Tensor row = rows.row(r);
                row.copyFrom(base);
                filler.fill(start + r, row);
            }
            Tensor out = model.forward(inputs, Set.of(output)).get(output);
            if (out == null || out.rank() == 0 || out.dim(0) != n) {
                throw new XaiException(ErrorCode.MODEL_EXECUTION, "the model returned "
                        + (out == null ? "no tensor" : "shape " + Arrays.toString(out.shape())) + " for output '"
                        + output + "' on a batch of " + n + ": its first axis is not the batch");
            }
            sink.accept(start, out);
        });
    }

    private static Map<String, Tensor> replicate(Map<String, Tensor> example, int n) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        example.forEach((name, t) -> inputs.put(name, t.repeatRows(n)));
        return inputs;
    }

    /** Example {@code n} of the request's inputs, each as a batch of one (views). */
    static Map<String, Tensor> example(Map<String, Tensor> inputs, int n) {
        Map<String, Tensor> one = new LinkedHashMap<>();
        inputs.forEach((name, t) -> one.put(name, t.rows(n, n + 1)));
        return one;
    }
}
