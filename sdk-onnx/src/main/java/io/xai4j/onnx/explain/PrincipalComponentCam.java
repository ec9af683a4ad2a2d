package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.OnnxAttributes;
import java.util.List;

/**
 * Eigen-CAM on a {@code [N,C,h,w]} layer: each example's activations as a {@code [h*w, C]} matrix {@code M} (not
 * centred) projected on its first right singular vector {@code v}, signed so that the map's sum is positive, then
 * ReLU. {@code v} is found without an SVD: the Gram matrix of the smaller side ({@code M^T M}, or {@code M M^T} whose
 * first eigenvector {@code u} gives {@code v = M^T u / |M^T u|}) is squared {@value #SQUARINGS} times, normalised each
 * time, which leaves its {@code 2^}{@value #SQUARINGS}th power, the projector on the first eigenvector when the first
 * two squared singular values differ by more than about {@code 2e-5} (relative). Its largest column, refined by
 * {@value #REFINEMENTS} power steps with the Gram matrix itself, is the eigenvector; float32 rounding bounds its
 * relative error by about {@code 1e-8 / (1 - s2^2 / s1^2)}.
 */
final class PrincipalComponentCam extends ForwardLayerCam {
    static final int SQUARINGS = 20;
    static final int REFINEMENTS = 2;
    /** A floor for norms, so that all-zero activations give a zero map. */
    private static final double TINY = 1e-30;

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        TargetSeed.addForExamples(g);
        List<Long> shape = e.layerShape();
        long channels = shape.get(1);
        long cells = shape.get(2) * shape.get(3);
        String a = g.gradients().activationOutputs().get(e.layer());
        String m = g.op("Reshape", a, g.ints(0, channels, -1));
        String mt = transpose(g, m);
        boolean channelSide = channels <= cells;
        String gram = channelSide ? g.op("MatMul", m, mt) : g.op("MatMul", mt, m);
        String scaled = normalised(g, gram, g.ints(1, 2));
        String power = scaled;
        for (int i = 0; i < SQUARINGS; i++) {
            power = normalised(g, g.op("MatMul", power, power), g.ints(1, 2));
        }
        String columnNorms = g.op("ReduceL2", List.of(power, g.ints(1)), OnnxAttributes.of("keepdims", 1L));
        String largest = g.op("ArgMax", columnNorms, OnnxAttributes.of("axis", 2L), OnnxAttributes.of("keepdims", 0L));
        String pick = g.op("OneHot", List.of(largest, g.op("Shape", power, OnnxAttributes.of("start", 2L),
                OnnxAttributes.of("end", 3L)), g.floats(new double[] {0, 1}, 2)), OnnxAttributes.of("axis", -1L));
        String vector = normalised(g, g.op("MatMul", power, transpose(g, pick)), g.ints(1));
        for (int i = 0; i < REFINEMENTS; i++) {
            vector = normalised(g, g.op("MatMul", scaled, vector), g.ints(1));
        }
        String direction = channelSide ? vector : normalised(g, g.op("MatMul", m, vector), g.ints(1));
        String projection = g.op("MatMul", mt, direction);
        String sum = g.op("ReduceSum", List.of(projection, g.ints(1, 2)), OnnxAttributes.of("keepdims", 1L));
        String signed = g.op("Where", List.of(g.op("Less", sum, g.floats(new double[] {0})), g.op("Neg", projection),
                projection));
        String mapShape = g.op("Concat", List.of(g.op("Shape", a, OnnxAttributes.of("start", 0L),
                OnnxAttributes.of("end", 1L)), g.ints(1), g.op("Shape", a, OnnxAttributes.of("start", 2L))),
                OnnxAttributes.of("axis", 0L));
        String attribution = g.op("Relu", List.of(g.op("Reshape", signed, mapShape)),
                g.fresh(ExplainerGraph.ATTRIBUTION));
        g.output(attribution, g.seedType(), -1, 1, -2, -2);
        Heatmaps.add(g, attribution, e.input());
    }

    /** {@code x / max(|x|, tiny)}, the L2 norm over {@code axes}. */
    private static String normalised(ExplainerGraph g, String x, String axes) {
        String norm = g.op("ReduceL2", List.of(x, axes), OnnxAttributes.of("keepdims", 1L));
        return g.op("Div", x, g.op("Max", norm, g.floats(new double[] {TINY})));
    }

    /** Swaps the last two axes of a rank-3 tensor. */
    private static String transpose(ExplainerGraph g, String x) {
        return g.op("Transpose", x, OnnxAttributes.of("perm", new long[] {0, 2, 1}));
    }
}
