package io.xai4j.methods.gradient;

import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.Model;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.testing.MethodRuns;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds requests and runs methods on analytic models. */
final class Fixtures {
    private Fixtures() {
    }

    /** Output {@code y}, class {@code classes[i]} for example i. */
    static ResolvedTarget classes(int... classes) {
        return MethodRuns.classes("y", classes);
    }

    static Attribution run(AttributionMethod method, Model model, int maxBatch, long seed, Map<String, Tensor> inputs,
            ResolvedTarget target, Map<String, String> parameters) {
        return MethodRuns.run(method, model, maxBatch, seed, inputs, "x", target, parameters, null);
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
}
