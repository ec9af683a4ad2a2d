package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.spi.Parameters;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * GradientSHAP with one baseline {@code b} fixed at export time: the mean over {@code S} samples of
 * {@code d_s * grad(b + alpha_s d_s)}, {@code d_s = x + stdevs z_s - b}, the {@code S} points as rows of one batch
 * through the gradient graph ({@link RowExpansion}; the example itself through a copy of the forward pass alone, for
 * the model's outputs). The standard normal noise {@code z} ({@code [S, N, ...]}) and the positions
 * {@code alpha} ({@code [S, N]}, uniform in [0,1)) are generated with the export's seed ({@code RandomNormalLike},
 * {@code RandomUniformLike}), or read from the {@value NoiseTunnels#INPUT} and {@value #ALPHA} inputs for
 * reproducible results.
 */
final class ExpectedGradients implements ExportedMethod {
    static final String ALPHA = "alpha";
    private static final String METHOD = "gradient-shap";

    @Override
    public Set<String> parameters() {
        return Set.of("samples", "stdevs", "baseline");
    }

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        Parameters p = e.parameters();
        String input = e.input();
        GradientModel m = g.gradients();
        int samples = p.getInt("samples");
        RowExpansion expansion = RowExpansion.gradientsOnly(g, input, samples);
        RowExpansion outputs = RowExpansion.forwardOnly(g, input, 1);
        String examples = g.op("Unsqueeze", input, g.ints(0));
        outputs.feed(examples);

        String byBlock = g.op("Concat", List.of(g.ints(samples), g.op("Shape", input)), OnnxAttributes.of("axis", 0L));
        String perExample = g.op("Concat", List.of(g.ints(samples), g.op("Shape", input, OnnxAttributes.of("start", 0L),
                OnnxAttributes.of("end", 1L))), OnnxAttributes.of("axis", 0L));
        String noise;
        String alpha;
        if (e.noiseInput()) {
            noise = NoiseTunnels.noiseInput(g, input, samples);
            alpha = g.fresh(ALPHA);
            g.addInput(g.valueInfo(alpha, g.seedType(), samples, -1));
        } else {
            noise = g.op("RandomNormalLike", List.of(g.op("Expand", examples, byBlock)),
                    OnnxAttributes.of("dtype", (long) g.seedType()), OnnxAttributes.of("seed", (float) e.seed()));
            alpha = g.op("RandomUniformLike", List.of(g.op("ConstantOfShape", perExample)),
                    OnnxAttributes.of("dtype", (long) g.seedType()), OnnxAttributes.of("seed", (float) e.seed() + 1));
        }
        String baseline = FixedBaseline.add(g, p.getBaseline("baseline"), input, METHOD);
        String noisy = g.op("Add", examples, g.op("Mul", noise, g.floats(new double[] {p.getDouble("stdevs")})));
        String difference = g.op("Sub", noisy, baseline);
        long[] positionShape = new long[g.rank(input) + 1];
        Arrays.fill(positionShape, 1);
        positionShape[0] = samples;
        positionShape[1] = -1;
        String position = g.op("Reshape", alpha, g.ints(positionShape));
        expansion.feed(g.op("Add", g.op("Mul", difference, position), baseline));
        expansion.seed(TargetSeed.add(g, m.differentiatedOutput()));

        String gradients = expansion.byBlock(m.gradientOutputs().get(input));
        String attribution = g.op("ReduceMean", List.of(g.op("Mul", difference, gradients), g.ints(0)),
                g.fresh(ExplainerGraph.ATTRIBUTION), OnnxAttributes.of("keepdims", 0L));
        g.outputLike(attribution, input);
    }
}
