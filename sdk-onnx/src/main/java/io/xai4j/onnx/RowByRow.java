package io.xai4j.onnx;

import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Runs a batch one row at a time, for models that take a batch of one only, and concatenates the rows' results. */
final class RowByRow {
    private RowByRow() {
    }

    /** {@code run} on each row of {@code inputs} (a batch of one), the results concatenated along the batch. */
    static Map<String, Tensor> forward(Map<String, Tensor> inputs, int batch,
                                       Function<Map<String, Tensor>, Map<String, Tensor>> run) {
        return concat(each(inputs, batch, (row, single) -> run.apply(single)), Function.identity());
    }

    /** An engine that passes a request with a batch larger than one to {@code engine} row by row. */
    static GradientEngine gradients(GradientEngine engine) {
        return request -> {
            int batch = request.seed().dim(0);
            if (batch == 1) {
                return engine.vjp(request);
            }
            List<GradientResult> parts = each(request.inputs(), batch, (row, single) -> engine.vjp(
                    new GradientRequest(single, request.output(), request.seed().rows(row, row + 1), request.wrt(),
                            request.activations(), request.ruleSet(), request.differentiateThroughSoftmax())));
            return new GradientResult(concat(parts, GradientResult::outputs), concat(parts, GradientResult::activations),
                    concat(parts, GradientResult::gradients));
        };
    }

    private static <R> List<R> each(Map<String, Tensor> inputs, int batch,
                                    BiFunction<Integer, Map<String, Tensor>, R> call) {
        List<R> parts = new ArrayList<>(batch);
        for (int row = 0; row < batch; row++) {
            Map<String, Tensor> single = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                single.put(e.getKey(), e.getValue().rows(row, row + 1));
            }
            parts.add(call.apply(row, single));
        }
        return parts;
    }

    /** The tensors {@code field} picks from each part, concatenated by name in the first part's order. */
    private static <R> Map<String, Tensor> concat(List<R> parts, Function<R, Map<String, Tensor>> field) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : field.apply(parts.get(0)).keySet()) {
            out.put(name, Tensor.concat(parts.stream().map(p -> field.apply(p).get(name)).toList()));
        }
        return out;
    }
}
