package io.xai4j.methods.gradient;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Builds requests and runs methods on analytic models. */
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

    static Attribution run(AttributionMethod method, Model model, int maxBatch, long seed, Map<String, Tensor> inputs,
            ResolvedTarget target, Map<String, String> parameters) {
        AttributionContext context = new AttributionContext(model, Batcher.defaults().withMaxBatchSize(maxBatch), seed);
        return method.attribute(context, new AttributionRequest(inputs, "x", target,
                Parameters.parse(method.descriptor(), parameters), Optional.empty()));
    }

    static Attribution run(AttributionMethod method, Model model, int maxBatch, long seed, Tensor input,
            ResolvedTarget target, Map<String, String> parameters) {
        return run(method, model, maxBatch, seed, Map.of("x", input), target, parameters);
    }

    /** The attribution of input {@code x}, batch size 64, seed 0. */
    static Tensor attribute(AttributionMethod method, Model model, Tensor input, ResolvedTarget target,
            Map<String, String> parameters) {
        return run(method, model, 64, 0, input, target, parameters).tensors().get("x");
    }

    /** Each example explained alone, stacked: what a per-example target must reproduce. */
    static Tensor oneByOne(AttributionMethod method, Model model, Map<String, Tensor> inputs, ResolvedTarget target,
            Map<String, String> parameters) {
        List<Tensor> rows = new ArrayList<>();
        for (int i = 0; i < target.examples(); i++) {
            Map<String, Tensor> one = new LinkedHashMap<>();
            int e = i;
            inputs.forEach((name, t) -> one.put(name, t.rows(e, e + 1)));
            rows.add(run(method, model, 64, 0, one, target.forExample(i), parameters).tensors().get("x"));
        }
        return Tensor.concat(rows);
    }

    /** Largest absolute element difference. */
    static double maxDiff(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new AssertionError("sizes differ: " + a + " vs " + b);
        }
        double m = 0;
        for (int i = 0; i < a.size(); i++) {
            m = Math.max(m, Math.abs(a.get(i) - b.get(i)));
        }
        return m;
    }
}
