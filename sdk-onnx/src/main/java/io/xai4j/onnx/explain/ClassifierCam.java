package io.xai4j.onnx.explain;

import io.xai4j.family.cam.ClassifierHead;
import java.util.List;

/**
 * The original CAM on a {@code [N,C,h,w]} layer {@code A} that feeds global average pooling and a linear layer
 * ({@link ClassifierHead}, whose weights {@code W [classes, C]} become a constant): {@code ReLU(sum_c W[t, c] A_c)}
 * for target {@code t}. Needs no gradients; only the forward pass up to the layer and the model's outputs run.
 */
final class ClassifierCam extends ForwardLayerCam {
    @Override
    public void emit(ExplainerGraph g, Explained e) {
        int channels = e.layerShape().get(1).intValue();
        float[][] weights = ClassifierHead.weights(e.graph(), e.layer(), false, channels,
                g.gradients().differentiatedOutput());
        double[] flat = new double[weights.length * channels];
        for (int k = 0; k < weights.length; k++) {
            for (int c = 0; c < channels; c++) {
                flat[k * channels + c] = weights[k][c];
            }
        }
        TargetSeed seed = TargetSeed.addForExamples(g);
        // one-hot seeds [N, classes] x W: the target's weights, zero for a class beyond the linear layer's
        String perExample = g.op("MatMul", seed.oneHot(), g.floats(flat, weights.length, channels));
        String byChannel = g.op("Reshape", perExample, g.ints(-1, channels, 1, 1));
        String activations = g.gradients().activationOutputs().get(e.layer());
        String attribution = g.op("Relu", List.of(GradientCams.channelSum(g, g.op("Mul", activations, byChannel))),
                g.fresh(ExplainerGraph.ATTRIBUTION));
        g.output(attribution, g.seedType(), -1, 1, -2, -2);
        Heatmaps.add(g, attribution, e.input());
    }
}
