package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import java.util.List;
import java.util.Set;

/**
 * DeepLift (rescale rule) against a baseline fixed at export time ({@link FixedBaseline}): each example and its
 * baseline are adjacent rows of one batch (rows {@code 2n} and {@code 2n+1}, the pairs the {@value #RULES} rule set
 * reads), the attribution is {@code (x - b) m} with the multipliers {@code m} of the input row, and
 * {@value PathIntegral#DELTA} is the summation-to-delta error {@code sum(attribution) - (f(x) - f(b))}.
 */
final class RescaleRule implements ExportedMethod {
    static final String RULES = "deeplift";

    @Override
    public Set<String> parameters() {
        return Set.of("baseline");
    }

    @Override
    public String ruleSet() {
        return RULES;
    }

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        String input = e.input();
        GradientModel m = g.gradients();
        RowExpansion pairs = RowExpansion.add(g, input, 2, true);
        String baseline = FixedBaseline.add(g, e.parameters().getBaseline("baseline"), input, "deeplift");
        String baselines = g.op("Expand", baseline, g.op("Shape", input));
        String zero = g.ints(0);
        pairs.feed(g.op("Concat", List.of(g.op("Unsqueeze", input, zero), g.op("Unsqueeze", baselines, zero)),
                OnnxAttributes.of("axis", 0L)));
        TargetSeed seed = TargetSeed.add(g, m.differentiatedOutput());
        pairs.seed(seed);
        String multipliers = pairs.block(m.gradientOutputs().get(input), 0);
        String attribution = g.op("Mul", List.of(g.op("Sub", input, baselines), multipliers),
                g.fresh(ExplainerGraph.ATTRIBUTION));
        g.outputLike(attribution, input);
        PathIntegral.completenessDelta(g, attribution, pairs.scoresByBlock(m.seededTensor(), seed), g.rank(input));
    }
}
