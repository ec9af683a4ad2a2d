package io.xai4j.metric;

import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.spi.Parameters;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explanations to score: the examples, their target, their attribution and the metric's parameters.
 *
 * @param inputs       every model input, batch first (N examples)
 * @param inputName    the input the attribution explains
 * @param target       the explained target, resolved for the N examples
 * @param attribution  the attribution, batch first: shaped like the input, a map over an image input ({@code
 *                     [N,1,h,w]}, any resolution), or an embedding layer's {@code [N,T,E]} over token ids {@code [N,T]}
 * @param details      the explanation's details (e.g. {@code convergenceDelta}), for the standing metrics
 * @param groundTruth  the true region of the target in each example, {@code [H,W]} at the input's height and width,
 *                     non-zero inside, or null for an example whose region is not known; empty when none is given
 * @param parameters   validated metric parameters
 */
public record MetricRequest(Map<String, Tensor> inputs, String inputName, ResolvedTarget target, Tensor attribution,
        Map<String, Object> details, List<Tensor> groundTruth, Parameters parameters) {
    public MetricRequest {
        inputs = Map.copyOf(inputs);
        details = details == null ? Map.of() : Map.copyOf(details);
        groundTruth = groundTruth == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(groundTruth));
    }

    public Tensor input() {
        return inputs.get(inputName);
    }

    public int examples() {
        return input().dim(0);
    }

    /** Every model input of example {@code i} alone, each a batch of one. */
    public Map<String, Tensor> example(int i) {
        Map<String, Tensor> one = new LinkedHashMap<>();
        inputs.forEach((name, t) -> one.put(name, t.rows(i, i + 1)));
        return one;
    }

    /** Scores perturbed copies of example {@code i} for its target, in batched model calls. */
    public PerturbationEvaluator evaluator(MetricContext context, int i) {
        return new PerturbationEvaluator(context.model(), context.batcher(), example(i), inputName, target.forExample(i));
    }

    /** The shape of one example of the explained input. */
    public int[] exampleShape() {
        int[] s = input().shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }
}
