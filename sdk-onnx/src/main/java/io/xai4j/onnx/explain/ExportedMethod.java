package io.xai4j.onnx.explain;

import io.xai4j.layer.GraphView;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.spi.Parameters;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How one attribution method becomes nodes of an explainer model. */
interface ExportedMethod {
    /** The method's parameters the export honours; the others must keep their defaults. */
    Set<String> parameters();

    /** Whether the export honours every parameter of the method (they all go into the method's own rule set). */
    default boolean takesAllParameters() {
        return false;
    }

    /** Whether the method explains a layer (which the gradient model then differentiates and outputs). */
    default boolean explainsLayer() {
        return false;
    }

    /**
     * Whether the gradient model differentiates the layer (and outputs its activations); otherwise it differentiates
     * the input, and the method builds what it needs of the layer itself.
     */
    default boolean differentiatesLayer() {
        return explainsLayer();
    }

    /** Whether the method uses gradients; if not, the model's ops need no backward rules. */
    default boolean needsGradients() {
        return true;
    }

    /**
     * The backward rule set of the gradients this export builds on, when it is not the method's own (guided Grad-CAM's
     * input gradient under {@code guided-backprop}); null for the method's own or, without one, the request's.
     */
    default String ruleSet() {
        return null;
    }

    /** Whether the gradient goes through a trailing Softmax. */
    default boolean throughSoftmax(Parameters parameters) {
        return false;
    }

    /**
     * Adds the seed, the {@code attribution} output and any others, and the model outputs.
     */
    void emit(ExplainerGraph g, Explained e);

    /**
     * What to explain.
     *
     * @param parameters the method's parameters
     * @param input      the explained model input
     * @param layer      the explained layer, or null
     * @param seed       the seed of generated noise
     * @param noiseInput take noise as a model input instead of generating it
     * @param ruleSet    the request's backward rule set ({@code --rules})
     * @param gradients  builds further gradient models of the same model
     * @param shapes     with a layer, the shape of every tensor a node computes for one example (batch first)
     * @param graph      the model's graph
     */
    record Explained(Parameters parameters, String input, String layer, long seed, boolean noiseInput,
            String ruleSet, Gradients gradients, Map<String, List<Long>> shapes, GraphView graph) {
        /** The layer's shape for one example. */
        List<Long> layerShape() {
            return shapes.get(layer);
        }
    }

    /** Builds a gradient model of the explained model. */
    interface Gradients {
        /** The gradient with respect to {@code wrt} under {@code ruleSet}, also outputting {@code activations}. */
        GradientModel build(String wrt, List<String> activations, String ruleSet);
    }
}
