package io.xai4j.testing;

import io.xai4j.batch.Batcher;
import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A correct method to break in tests: each element of each example is zeroed in turn, and its attribution is
 * {@code scale * (score(x) - score(x with the element zeroed))}, negated when {@code sign=negated}. Subclasses
 * override one step to break one rule.
 */
class ElementOcclusion implements AttributionMethod {

    @Override
    public MethodDescriptor descriptor() {
        return new MethodDescriptor("element-occlusion", MethodFamily.PERTURBATION, "1.0",
                "Score drop when each element is zeroed", Set.of(), List.of(
                        ParameterSpec.real("scale", 1, 0, 10, "factor of the attributions"),
                        ParameterSpec.choice("sign", "plain", List.of("plain", "negated"), "negate the attributions")));
    }

    @Override
    public Attribution attribute(AttributionContext context, AttributionRequest request) {
        Tensor out = Tensor.zeros(request.input().shape());
        double factor = request.parameters().getDouble("scale")
                * (request.parameters().getString("sign").equals("negated") ? -1 : 1);
        for (int i = 0; i < request.examples(); i++) {
            Tensor a = explain(context, request, i);
            for (int j = 0; j < a.size(); j++) {
                out.row(i).set(j, (float) (factor * a.get(j)));
            }
        }
        return Attribution.of(request.inputName(), out);
    }

    /** The attribution of example {@code i}, shaped like it. */
    Tensor explain(AttributionContext context, AttributionRequest request, int i) {
        Map<String, Tensor> example = new LinkedHashMap<>();
        request.inputs().forEach((name, t) -> example.put(name, t.rows(i, i + 1)));
        PerturbationEvaluator evaluator = new PerturbationEvaluator(context.model(), batcher(context), example,
                request.inputName(), target(request, i));
        float original = evaluator.scoreOriginal();
        int size = evaluator.example().size();
        float[] scores = evaluator.evaluate("element-occlusion", size, (k, row) -> row.set(k, 0));
        Tensor a = Tensor.zeros(evaluator.example().shape());
        for (int k = 0; k < size; k++) {
            a.set(k, original - scores[k]);
        }
        return a;
    }

    ResolvedTarget target(AttributionRequest request, int i) {
        return request.target().forExample(i);
    }

    Batcher batcher(AttributionContext context) {
        return context.batcher();
    }
}
