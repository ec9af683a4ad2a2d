package io.xai4j.onnx.explain;

import io.xai4j.gradient.Quadrature;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.spi.Parameters;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Integrated gradients with the path as a batch expansion: each example becomes {@code steps} rows, the
 * {@link Quadrature} points {@code b + alpha_k (x - b)}, ordered point-major (row {@code k N + n}), run through the
 * gradient graph in one pass; the input itself and the baseline, whose gradients nothing needs, run through a copy of
 * the forward pass alone ({@link RowExpansion#forwardOnly}) for the model's outputs and the scores. The attribution
 * is {@code (x - b) sum_k w_k grad_k}; the {@code convergence_delta} output is {@code sum(attribution) - (f(x) - f(b))}
 * per example, {@code f} the target score of the differentiated tensor.
 */
final class PathIntegral implements ExportedMethod {
    static final String DELTA = "convergence_delta";

    @Override
    public Set<String> parameters() {
        return Set.of("steps", "method", "baseline", "through-softmax", "internal-batch-size");
    }

    @Override
    public boolean throughSoftmax(Parameters parameters) {
        return parameters.getBoolean("through-softmax");
    }

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        Parameters parameters = e.parameters();
        String input = e.input();
        GradientModel m = g.gradients();
        Quadrature rule = Quadrature.of(parameters.getString("method"), parameters.getInt("steps"));
        int steps = rule.size();
        int rank = g.rank(input);

        RowExpansion path = RowExpansion.gradientsOnly(g, input, steps);
        RowExpansion ends = RowExpansion.forwardOnly(g, input, 2);
        String baseline = FixedBaseline.add(g, parameters.getBaseline("baseline"), input, "integrated gradients");
        String difference = g.op("Sub", input, baseline);
        long[] alphaDims = new long[rank + 1];
        Arrays.fill(alphaDims, 1);
        alphaDims[0] = steps;
        String zero = g.ints(0);
        path.feed(g.op("Add", g.op("Mul", g.floats(rule.alphas(), alphaDims), g.op("Unsqueeze", difference, zero)),
                baseline));
        String baselines = g.op("Expand", baseline, g.op("Shape", input));
        ends.feed(g.op("Concat", List.of(g.op("Unsqueeze", input, zero), g.op("Unsqueeze", baselines, zero)),
                OnnxAttributes.of("axis", 0L)));
        TargetSeed seed = TargetSeed.add(g, m.differentiatedOutput());
        path.seed(seed);

        String gradients = path.byBlock(m.gradientOutputs().get(input));
        String integral = g.op("ReduceSum", List.of(g.op("Mul", gradients, path.perBlock(rule.weights())), zero),
                OnnxAttributes.of("keepdims", 0L));
        String attribution = g.op("Mul", List.of(integral, difference), g.fresh(ExplainerGraph.ATTRIBUTION));
        g.outputLike(attribution, input);
        String byRow = ends.scoresByBlock(m.seededTensor(), seed);
        completenessDelta(g, attribution, byRow, rank);
    }

    /**
     * Adds the {@value #DELTA} output: per example, {@code sum(attribution) - (f(x) - f(b))}, with the scores of the
     * input at row 0 and the baseline at row 1 of {@code byBlock} ({@code [blocks, N]}).
     */
    static void completenessDelta(ExplainerGraph g, String attribution, String byBlock, int rank) {
        String atInput = g.op("Gather", byBlock, g.longs(new long[] {0}), OnnxAttributes.of("axis", 0L));
        String atBaseline = g.op("Gather", byBlock, g.longs(new long[] {1}), OnnxAttributes.of("axis", 0L));
        String total = g.sumPerExample(attribution, rank);
        String delta = g.op("Sub", List.of(total, g.op("Sub", atInput, atBaseline)), g.fresh(DELTA));
        g.output(delta, g.seedType(), -1);
    }
}
