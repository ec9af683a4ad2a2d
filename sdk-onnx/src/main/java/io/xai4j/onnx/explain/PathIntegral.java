package io.xai4j.onnx.explain;

import io.xai4j.gradient.Quadrature;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.spi.Parameters;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Integrated gradients with the path as a batch expansion: each example becomes {@code K = steps + 2} rows (the
 * input itself, the baseline, then the {@link Quadrature} points {@code b + alpha_k (x - b)}), ordered point-major
 * (row {@code k N + n}), run through the gradient graph in one pass. The attribution is
 * {@code (x - b) sum_k w_k grad_k} ({@link RowExpansion}); the {@code convergence_delta} output is
 * {@code sum(attribution) - (f(x) - f(b))} per example, {@code f} the target score of the differentiated tensor.
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
        int rows = rule.size() + 2;
        int rank = g.rank(input);

        RowExpansion expansion = RowExpansion.add(g, input, rows);
        String baseline = FixedBaseline.add(g, parameters.getBaseline("baseline"), input, "integrated gradients");
        String difference = g.op("Sub", input, baseline);
        double[] alphas = new double[rows - 1];
        double[] weights = new double[rows];
        System.arraycopy(rule.alphas(), 0, alphas, 1, rule.size());
        System.arraycopy(rule.weights(), 0, weights, 2, rule.size());
        long[] alphaDims = new long[rank + 1];
        Arrays.fill(alphaDims, 1);
        alphaDims[0] = rows - 1;
        String path = g.op("Add", g.op("Mul", g.floats(alphas, alphaDims), g.op("Unsqueeze", difference, g.ints(0))),
                baseline);
        expansion.feed(g.op("Concat", List.of(g.op("Unsqueeze", input, g.ints(0)), path), OnnxAttributes.of("axis", 0L)));
        TargetSeed seed = TargetSeed.add(g, m.differentiatedOutput());
        expansion.seed(seed);

        String gradients = expansion.byBlock(m.gradientOutputs().get(input));
        String integral = g.op("ReduceSum", List.of(g.op("Mul", gradients, expansion.perBlock(weights)), g.ints(0)),
                OnnxAttributes.of("keepdims", 0L));
        String attribution = g.op("Mul", List.of(integral, difference), g.fresh(ExplainerGraph.ATTRIBUTION));
        g.outputLike(attribution, input);

        String byRow = expansion.scoresByBlock(m.seededTensor());
        completenessDelta(g, attribution, byRow, rank);
    }

    /**
     * Adds the {@value #DELTA} output: per example, {@code sum(attribution) - (f(x) - f(b))}, with the scores of the
     * input at row 0 and the baseline at row 1 of {@code byBlock} ({@code [blocks, N]}).
     */
    static void completenessDelta(ExplainerGraph g, String attribution, String byBlock, int rank) {
        String atInput = g.op("Gather", byBlock, g.longs(new long[] {0}), OnnxAttributes.of("axis", 0L));
        String atBaseline = g.op("Gather", byBlock, g.longs(new long[] {1}), OnnxAttributes.of("axis", 0L));
        long[] exampleAxes = new long[rank - 1];
        Arrays.setAll(exampleAxes, i -> i + 1);
        String total = rank > 1 ? g.op("ReduceSum", List.of(attribution, g.ints(exampleAxes)),
                OnnxAttributes.of("keepdims", 0L)) : attribution;
        String delta = g.op("Sub", List.of(total, g.op("Sub", atInput, atBaseline)), g.fresh(DELTA));
        g.output(delta, g.seedType(), -1);
    }
}
