package io.xai4j.batch;

import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Collects one model output of a request's examples at their unmodified inputs, row by row, from the model calls a
 * method makes anyway (see {@link io.xai4j.spi.Attribution#outputs()}). Not thread-safe: one per method call.
 */
public final class ExampleOutputs {
    private final String output;
    private final Tensor[] rows;

    /**
     * @param output   the output name, e.g. the target's
     * @param examples the number of examples of the request
     */
    public ExampleOutputs(String output, int examples) {
        this.output = Objects.requireNonNull(output, "output");
        this.rows = new Tensor[examples];
    }

    /** Keeps a copy of {@code row}, the output of example {@code example} at its inputs, unless it has one already. */
    public void keep(int example, Tensor row) {
        if (rows[example] == null) {
            rows[example] = row.copy();
        }
    }

    /** Keeps every row of {@code batch}, whose row {@code r} is example {@code r}. */
    public void keepAll(Tensor batch) {
        for (int r = 0; r < batch.dim(0); r++) {
            keep(r, batch.row(r));
        }
    }

    /** The output of all examples, {@code {output: [N, ...]}}, or an empty map when some example has none. */
    public Map<String, Tensor> complete() {
        if (rows.length == 0 || Arrays.stream(rows).anyMatch(Objects::isNull)) {
            return Map.of();
        }
        return Map.of(output, Tensor.stack(Arrays.asList(rows)));
    }
}
