package io.xai4j.methods.occlusion;

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
import java.util.SplittableRandom;

/** Builds requests and runs methods on test models. */
final class Fixtures {
    private Fixtures() {
    }

    /** A tensor of the given shape with uniform values in [-1, 1). */
    static Tensor random(long seed, int... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) (random.nextDouble() * 2 - 1));
        }
        return t;
    }

    /** Output {@code y}, class {@code classes[i]} for example i. */
    static ResolvedTarget classes(int... classes) {
        List<int[]> indices = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int c : classes) {
            indices.add(new int[] {c});
            labels.add("class " + c);
        }
        return new ResolvedTarget("y", indices, labels);
    }

    static AttributionRequest request(AttributionMethod method, Tensor input, ResolvedTarget target,
            Map<String, String> parameters) {
        return new AttributionRequest(Map.of("x", input), "x", target,
                Parameters.parse(method.descriptor(), parameters), Optional.empty());
    }

    static Attribution run(AttributionMethod method, Model model, int maxBatch, long seed, Tensor input,
            ResolvedTarget target, Map<String, String> parameters) {
        AttributionContext context = new AttributionContext(model, Batcher.defaults().withMaxBatchSize(maxBatch), seed);
        return method.attribute(context, request(method, input, target, parameters));
    }

    /** The attribution of input {@code x}, batch size 64, seed 0. */
    static Tensor attribute(AttributionMethod method, Model model, Tensor input, ResolvedTarget target,
            Map<String, String> parameters) {
        return run(method, model, 64, 0, input, target, parameters).tensors().get("x");
    }
}
