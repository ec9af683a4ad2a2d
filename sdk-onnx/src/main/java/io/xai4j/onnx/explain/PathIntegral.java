package io.xai4j.onnx.explain;

import io.xai4j.baseline.Baseline;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.gradient.Quadrature;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import io.xai4j.spi.Parameters;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Integrated gradients with the path as a batch expansion: each example becomes {@code K = steps + 2} rows (the
 * input, the baseline, then the {@link Quadrature} points {@code b + alpha_k (x - b)}), ordered point-major
 * (row {@code k N + n}), run through the gradient graph in one pass. The attribution is
 * {@code (x - b) sum_k w_k grad_k}; the {@code convergence_delta} output is
 * {@code sum(attribution) - (f(x) - f(b))} per example, {@code f} the target score of the differentiated tensor.
 * The model's outputs are those of the input rows. Other model inputs are repeated for every row.
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
    public void emit(ExplainerGraph g, Parameters parameters, String input, String layer) {
        GradientModel m = g.gradients();
        Quadrature rule = Quadrature.of(parameters.getString("method"), parameters.getInt("steps"));
        double baselineValue = constant(parameters.getBaseline("baseline"));
        int rows = rule.size() + 2;
        int rank = g.rank(input);

        String path = g.fresh(input + "/path");
        g.redirectReads(input, path);
        for (ValueInfoProto other : g.runtimeInputs()) {
            if (!other.getName().equals(input)) {
                String tiled = g.fresh(other.getName() + "/path");
                g.redirectReads(other.getName(), tiled);
                long[] repeats = new long[g.rank(other.getName())];
                Arrays.fill(repeats, 1);
                repeats[0] = rows;
                g.op("Tile", List.of(other.getName(), g.ints(repeats)), tiled);
            }
        }
        Map<String, String> onPath = new HashMap<>();
        String examples = g.op("Shape", input, OnnxAttributes.of("start", 0L), OnnxAttributes.of("end", 1L));
        for (ValueInfoProto out : g.modelOutputs()) {
            String inner = g.fresh(out.getName() + "/path");
            g.rename(out.getName(), inner);
            onPath.put(out.getName(), inner);
            g.op("Slice", List.of(inner, g.ints(0), examples, g.ints(0)), out.getName());
            g.output(out);
        }

        String baseline = g.floats(new double[] {baselineValue});
        String difference = g.op("Sub", input, baseline);
        double[] alphas = new double[rows];
        double[] weights = new double[rows];
        alphas[0] = 1;
        System.arraycopy(rule.alphas(), 0, alphas, 2, rule.size());
        System.arraycopy(rule.weights(), 0, weights, 2, rule.size());
        long[] pointDims = new long[rank + 1];
        Arrays.fill(pointDims, 1);
        pointDims[0] = rows;
        String points = g.op("Add", g.op("Mul", g.floats(alphas, pointDims), g.op("Unsqueeze", difference, g.ints(0))),
                baseline);
        String rest = g.op("Shape", input, OnnxAttributes.of("start", 1L));
        g.op("Reshape", List.of(points, g.op("Concat", List.of(g.ints(-1), rest), OnnxAttributes.of("axis", 0L))),
                path);

        TargetSeed seed = TargetSeed.add(g, m.differentiatedOutput());
        g.op("Tile", List.of(seed.oneHot(), g.ints(rows, 1)), m.seedInput());

        String byPoint = g.op("Concat", List.of(g.ints(rows), g.op("Shape", input)), OnnxAttributes.of("axis", 0L));
        String gradients = g.op("Reshape", m.gradientOutputs().get(input), byPoint);
        String integral = g.op("ReduceSum", List.of(g.op("Mul", gradients, g.floats(weights, pointDims)), g.ints(0)),
                OnnxAttributes.of("keepdims", 0L));
        String attribution = g.op("Mul", List.of(integral, difference), g.fresh(ExplainerGraph.ATTRIBUTION));
        g.outputLike(attribution, input);

        String seeded = onPath.getOrDefault(m.seededTensor(), m.seededTensor());
        String scores = g.op("ReduceSum", List.of(g.op("Mul", seeded, m.seedInput()), g.ints(1)),
                OnnxAttributes.of("keepdims", 0L));
        String byRow = g.op("Reshape", scores, g.ints(rows, -1));
        String atInput = g.op("Gather", byRow, g.longs(new long[] {0}), OnnxAttributes.of("axis", 0L));
        String atBaseline = g.op("Gather", byRow, g.longs(new long[] {1}), OnnxAttributes.of("axis", 0L));
        long[] exampleAxes = new long[rank - 1];
        Arrays.setAll(exampleAxes, i -> i + 1);
        String total = rank > 1 ? g.op("ReduceSum", List.of(attribution, g.ints(exampleAxes)),
                OnnxAttributes.of("keepdims", 0L)) : attribution;
        String delta = g.op("Sub", List.of(total, g.op("Sub", atInput, atBaseline)), g.fresh(DELTA));
        g.output(delta, g.seedType(), -1);
    }

    private static double constant(Baseline baseline) {
        if (baseline instanceof Baseline.Zeros) {
            return 0;
        }
        if (baseline instanceof Baseline.Constant c) {
            return c.value();
        }
        throw new XaiException(ErrorCode.INVALID_PARAMETER, "baseline=" + baseline.spec() + " cannot be exported;"
                + " exported integrated gradients take baseline=zeros or a constant such as baseline=0.5");
    }
}
