package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.spi.Parameters;
import java.util.List;
import java.util.Set;

/**
 * The gradient CAMs on a {@code [N,C,h,w]} layer {@code A} with gradients {@code G}: Grad-CAM ({@code w_c} the
 * spatial mean of {@code G_c}), XGrad-CAM ({@code sum(A_c G_c) / (sum(A_c) + 1e-7)}), Grad-CAM++ (as
 * pytorch-grad-cam) and the map {@code ReLU(sum_c w_c A_c)}; HiResCAM ({@code ReLU(sum_c A_c G_c)}) and LayerCAM
 * ({@code ReLU(sum_c ReLU(G_c) A_c)}). The {@code attribution} output is the map at layer resolution
 * {@code [N,1,h,w]}; {@link Heatmaps} adds the map at input resolution, normalised to 0..1.
 */
final class GradientCams implements ExportedMethod {
    enum Kind { GRAD_CAM, XGRAD_CAM, GRAD_CAM_PLUS_PLUS, HIRES_CAM, LAYER_CAM }

    private final Kind kind;

    GradientCams(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Set<String> parameters() {
        return kind == Kind.GRAD_CAM ? Set.of("relu") : Set.of();
    }

    @Override
    public boolean explainsLayer() {
        return true;
    }

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        Parameters parameters = e.parameters();
        String input = e.input();
        String layer = e.layer();
        GradientModel m = g.gradients();
        TargetSeed.addForExamples(g);
        boolean relu = kind != Kind.GRAD_CAM || parameters.getBoolean("relu");
        String attribution = map(g, m.activationOutputs().get(layer), m.gradientOutputs().get(layer), relu,
                g.fresh(ExplainerGraph.ATTRIBUTION));
        g.output(attribution, g.seedType(), -1, 1, -2, -2);
        Heatmaps.add(g, attribution, input);
    }

    /** Writes the map {@code [N,1,h,w]} of layer activations {@code a} with gradients {@code grad} to {@code out}. */
    String map(ExplainerGraph g, String a, String grad, boolean relu, String out) {
        String cells = g.ints(2, 3);
        String sum = switch (kind) {
            case HIRES_CAM -> channelSum(g, g.op("Mul", a, grad));
            case LAYER_CAM -> channelSum(g, g.op("Mul", g.op("Relu", grad), a));
            default -> channelSum(g, g.op("Mul", weights(g, a, grad, cells), a));
        };
        return g.op(relu ? "Relu" : "Identity", List.of(sum), out);
    }

    private String weights(ExplainerGraph g, String a, String grad, String cells) {
        return switch (kind) {
            case GRAD_CAM -> g.op("ReduceMean", List.of(grad, cells), OnnxAttributes.of("keepdims", 1L));
            case XGRAD_CAM -> g.op("Div", cellSum(g, g.op("Mul", a, grad), cells),
                    g.op("Add", cellSum(g, a, cells), g.floats(new double[] {1e-7})));
            case GRAD_CAM_PLUS_PLUS -> {
                String g2 = g.op("Mul", grad, grad);
                String g3 = g.op("Mul", g2, grad);
                String denominator = g.op("Add", g.op("Add", g.op("Mul", g2, g.floats(new double[] {2})),
                        g.op("Mul", cellSum(g, a, cells), g3)), g.floats(new double[] {1e-6}));
                String zero = g.floats(new double[] {0});
                String alpha = g.op("Where", List.of(g.op("Equal", grad, zero), zero, g.op("Div", g2, denominator)));
                yield cellSum(g, g.op("Mul", g.op("Relu", grad), alpha), cells);
            }
            default -> throw new IllegalStateException(kind + " has no channel weights");
        };
    }

    private static String cellSum(ExplainerGraph g, String x, String cells) {
        return g.op("ReduceSum", List.of(x, cells), OnnxAttributes.of("keepdims", 1L));
    }

    /** The sum over the channels of {@code [N,C,h,w]} {@code x}, as {@code [N,1,h,w]}. */
    static String channelSum(ExplainerGraph g, String x) {
        return g.op("ReduceSum", List.of(x, g.ints(1)), OnnxAttributes.of("keepdims", 1L));
    }
}
