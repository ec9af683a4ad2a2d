package io.xai4j.onnx.explain;

import io.xai4j.onnx.grad.OnnxAttributes;
import java.util.List;
import java.util.Set;

/**
 * The activation map: the channel mean of a {@code [N,C,h,w]} layer, not class-specific (the target only sets
 * {@code target_class}). The export is built on the gradient model with respect to the layer, so the model's ops
 * after the layer need backward rules; its backward pass is left out of the file, as no output needs it.
 */
final class ActivationMaps implements ExportedMethod {
    @Override
    public Set<String> parameters() {
        return Set.of();
    }

    @Override
    public boolean explainsLayer() {
        return true;
    }

    @Override
    public void emit(ExplainerGraph g, Explained e) {
        TargetSeed.addForExamples(g);
        String activations = g.gradients().activationOutputs().get(e.layer());
        String attribution = g.op("ReduceMean", List.of(activations, g.ints(1)), g.fresh(ExplainerGraph.ATTRIBUTION),
                OnnxAttributes.of("keepdims", 1L));
        g.output(attribution, g.seedType(), -1, 1, -2, -2);
        Heatmaps.add(g, attribution, e.input());
    }
}
