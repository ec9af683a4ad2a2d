package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * DeepLift (rescale rule) against a baseline fixed at export time ({@link FixedBaseline}), and DeepLift SHAP, its
 * mean over the {@code B} rows of {@value #DISTRIBUTION}: each example and each of its baselines are adjacent rows of
 * one batch (rows {@code 2i} and {@code 2i+1}, the pairs the {@value #RULES} rule set reads), the attribution is the
 * mean over the baselines of {@code (x - b) m} with the multipliers {@code m} of the input row, and
 * {@value PathIntegral#DELTA} is the summation-to-delta error {@code sum(attribution) - (f(x) - mean_b f(b))}.
 */
final class RescaleRule implements ExportedMethod {
    static final String RULES = "deeplift";
    static final String DISTRIBUTION = "baseline-distribution";

    private final boolean distribution;

    /** DeepLift, or with {@code distribution} DeepLift SHAP. */
    RescaleRule(boolean distribution) {
        this.distribution = distribution;
    }

    @Override
    public Set<String> parameters() {
        return distribution ? Set.of("baseline", DISTRIBUTION) : Set.of("baseline");
    }

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        String input = e.input();
        Parameters p = e.parameters();
        GradientModel m = g.gradients();
        String method = distribution ? "deeplift-shap" : "deeplift";
        boolean many = distribution && p.has(DISTRIBUTION);
        int count = many ? FixedBaseline.count(p.getTensor(DISTRIBUTION), g, input) : 1;
        RowExpansion pairs = RowExpansion.add(g, input, 2 * count, true);
        String zero = g.ints(0);
        String one = g.ints(1);
        String perBaseline = many ? FixedBaseline.rows(g, p.getTensor(DISTRIBUTION), input, p.asText().get(DISTRIBUTION))
                : g.op("Unsqueeze", FixedBaseline.add(g, p.getBaseline("baseline"), input, method), zero);
        String shape = g.op("Concat", List.of(g.ints(count), g.op("Shape", input)), OnnxAttributes.of("axis", 0L));
        String baselines = g.op("Expand", perBaseline, shape);
        String examples = g.op("Expand", g.op("Unsqueeze", input, zero), shape);
        String twice = g.op("Concat", List.of(g.ints(2L * count), g.op("Shape", input)), OnnxAttributes.of("axis", 0L));
        pairs.feed(g.op("Reshape", g.op("Concat", List.of(g.op("Unsqueeze", examples, one),
                g.op("Unsqueeze", baselines, one)), OnnxAttributes.of("axis", 1L)), twice));
        TargetSeed seed = TargetSeed.add(g, m.differentiatedOutput());
        pairs.seed(seed);

        String multipliers = g.op("Slice", List.of(pairs.byBlock(m.gradientOutputs().get(input)), zero,
                g.ints(Long.MAX_VALUE), zero, g.ints(2)));
        String attribution = g.op("ReduceMean", List.of(g.op("Mul", g.op("Sub", examples, baselines), multipliers),
                zero), g.fresh(ExplainerGraph.ATTRIBUTION), OnnxAttributes.of("keepdims", 0L));
        g.outputLike(attribution, input);
        String scores = g.op("Reshape", pairs.scoresByBlock(m.seededTensor(), seed), g.ints(count, 2, -1));
        PathIntegral.completenessDelta(g, attribution, g.op("ReduceMean", List.of(scores, zero),
                OnnxAttributes.of("keepdims", 0L)), g.rank(input));
    }
}
