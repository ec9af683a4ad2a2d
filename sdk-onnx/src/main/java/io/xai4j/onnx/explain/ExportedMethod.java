package io.xai4j.onnx.explain;

import io.xai4j.spi.Parameters;
import java.util.Set;

/** How one attribution method becomes nodes of an explainer model. */
interface ExportedMethod {
    /** The method's parameters the export honours; the others must keep their defaults. */
    Set<String> parameters();

    /** Whether the method explains a layer (which the gradient model then differentiates and outputs). */
    default boolean explainsLayer() {
        return false;
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
     */
    record Explained(Parameters parameters, String input, String layer, long seed, boolean noiseInput) {
    }
}
