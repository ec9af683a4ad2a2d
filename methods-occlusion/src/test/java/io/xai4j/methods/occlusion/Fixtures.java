package io.xai4j.methods.occlusion;

import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.Model;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.testing.MethodRuns;
import io.xai4j.tensor.Tensor;
import java.util.Map;

/** Builds requests and runs methods on test models. */
final class Fixtures {
    private Fixtures() {
    }

    /** Output {@code y}, class {@code classes[i]} for example i. */
    static ResolvedTarget classes(int... classes) {
        return MethodRuns.classes("y", classes);
    }

    static Attribution run(AttributionMethod method, Model model, int maxBatch, long seed, Tensor input,
            ResolvedTarget target, Map<String, String> parameters) {
        return MethodRuns.run(method, model, maxBatch, seed, Map.of("x", input), "x", target, parameters, null);
    }

    /** The attribution of input {@code x}, batch size 64, seed 0. */
    static Tensor attribute(AttributionMethod method, Model model, Tensor input, ResolvedTarget target,
            Map<String, String> parameters) {
        return run(method, model, 64, 0, input, target, parameters).tensors().get("x");
    }
}
