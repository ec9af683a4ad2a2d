package io.xai4j.onnx;

import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs any number of rows on a model that takes a fixed batch of {@code size} rows only (one at a time for a batch
 * of 1): chunks of {@code size} rows, the last one padded with copies of its last row (and zero seeds), with the
 * results cut back to the rows given and concatenated. Valid for models whose rows do not depend on each other.
 */
final class FixedBatches {
    private FixedBatches() {
    }

    /** {@code run} on chunks of {@code size} rows of {@code inputs}, the results concatenated along the batch. */
    static Map<String, Tensor> forward(Map<String, Tensor> inputs, int size,
                                       Function<Map<String, Tensor>, Map<String, Tensor>> run) {
        int batch = rows(inputs);
        if (batch == size) {
            return run.apply(inputs);
        }
        List<Map<String, Tensor>> parts = new ArrayList<>();
        for (int start = 0; start < batch; start += size) {
            int n = Math.min(size, batch - start);
            parts.add(cut(run.apply(chunk(inputs, start, n, size)), n));
        }
        return concat(parts);
    }

    /** An engine that passes requests of any batch to {@code engine} in chunks of {@code size} rows. */
    static GradientEngine gradients(GradientEngine engine, int size) {
        return request -> {
            int batch = request.seed().dim(0);
            if (batch == size) {
                return engine.vjp(request);
            }
            List<GradientResult> parts = new ArrayList<>();
            for (int start = 0; start < batch; start += size) {
                int n = Math.min(size, batch - start);
                Tensor seed = Tensor.zeros(withRows(request.seed().shape(), size));
                seed.rows(0, n).copyFrom(request.seed().rows(start, start + n));
                GradientResult r = engine.vjp(new GradientRequest(chunk(request.inputs(), start, n, size),
                        request.output(), seed, request.wrt(), request.activations(), request.ruleSet(),
                        request.differentiateThroughSoftmax()));
                parts.add(new GradientResult(cut(r.outputs(), n), cut(r.activations(), n), cut(r.gradients(), n)));
            }
            return new GradientResult(concat(parts.stream().map(GradientResult::outputs).toList()),
                    concat(parts.stream().map(GradientResult::activations).toList()),
                    concat(parts.stream().map(GradientResult::gradients).toList()));
        };
    }

    private static int rows(Map<String, Tensor> inputs) {
        return inputs.values().iterator().next().dim(0);
    }

    /** Rows {@code [start, start + n)} of every input, padded to {@code size} rows with copies of the last. */
    private static Map<String, Tensor> chunk(Map<String, Tensor> inputs, int start, int n, int size) {
        Map<String, Tensor> chunk = new LinkedHashMap<>();
        inputs.forEach((name, t) -> {
            Tensor rows = t.rows(start, start + n);
            if (n < size) {
                Tensor padded = Tensor.zeros(withRows(t.shape(), size));
                padded.rows(0, n).copyFrom(rows);
                padded.rows(n, size).copyFrom(rows.rows(n - 1, n).repeatRows(size - n));
                rows = padded;
            }
            chunk.put(name, rows);
        });
        return chunk;
    }

    private static Map<String, Tensor> cut(Map<String, Tensor> results, int n) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        results.forEach((name, t) -> out.put(name, t.rows(0, n)));
        return out;
    }

    /** The tensors of each part, concatenated by name in the first part's order. */
    private static Map<String, Tensor> concat(List<Map<String, Tensor>> parts) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : parts.get(0).keySet()) {
            out.put(name, parts.size() == 1 ? parts.get(0).get(name)
                    : Tensor.concat(parts.stream().map(p -> p.get(name)).toList()));
        }
        return out;
    }

    private static int[] withRows(int[] shape, int rows) {
        int[] s = shape.clone();
        s[0] = rows;
        return s;
    }
}
