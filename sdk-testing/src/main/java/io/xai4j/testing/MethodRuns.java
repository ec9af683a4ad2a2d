package io.xai4j.testing;

import io.xai4j.batch.Batcher;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.Model;
import io.xai4j.spi.Parameters;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs attribution methods in tests: targets and requests built the way the SDK builds them. */
public final class MethodRuns {
    private MethodRuns() {
    }

    /** Output {@code output}, class {@code classes[i]} (labelled "class c") for example i. */
    public static ResolvedTarget classes(String output, int... classes) {
        List<int[]> indices = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int c : classes) {
            indices.add(new int[] {c});
            labels.add("class " + c);
        }
        return new ResolvedTarget(output, indices, labels);
    }

    /**
     * Runs {@code method} on {@code model} with batches of at most {@code maxBatch} and random seed {@code seed}.
     *
     * @param explained  the input to attribute
     * @param parameters the method's parameters as text, parsed against its descriptor
     * @param layer      the layer for layer methods, or null
     */
    public static Attribution run(AttributionMethod method, Model model, int maxBatch, long seed,
            Map<String, Tensor> inputs, String explained, ResolvedTarget target, Map<String, String> parameters,
            String layer) {
        return run(method, model, Batcher.defaults().withMaxBatchSize(maxBatch), seed, inputs, explained, target,
                parameters, layer);
    }

    /**
     * As {@link #run(AttributionMethod, Model, int, long, Map, String, ResolvedTarget, Map, String)}, with a given
     * batcher (its batch size and progress listener).
     */
    public static Attribution run(AttributionMethod method, Model model, Batcher batcher, long seed,
            Map<String, Tensor> inputs, String explained, ResolvedTarget target, Map<String, String> parameters,
            String layer) {
        return method.attribute(new AttributionContext(model, batcher, seed), new AttributionRequest(inputs, explained,
                target, Parameters.parse(method.descriptor(), parameters), Optional.ofNullable(layer)));
    }
}
