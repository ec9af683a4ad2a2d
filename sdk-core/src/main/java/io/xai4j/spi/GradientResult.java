package io.xai4j.spi;

import io.xai4j.tensor.Tensor;
import java.util.Map;

/**
 * Forward outputs, requested activations and gradients (each keyed by tensor name).
 *
 * <p>Engines also return the forward value of the tensor they seeded in {@code outputs} under
 * {@link #SEEDED_OUTPUT}: the requested output, or the logits when it ends in a Softmax. Callers use it to
 * relate the gradients to the function that was actually differentiated.
 */
public record GradientResult(Map<String, Tensor> outputs, Map<String, Tensor> activations,
        Map<String, Tensor> gradients) {
    /** The {@link #outputs()} key of the seeded tensor's forward value. */
    public static final String SEEDED_OUTPUT = "xai4j:seeded";

    public GradientResult {
        outputs = Map.copyOf(outputs);
        activations = Map.copyOf(activations);
        gradients = Map.copyOf(gradients);
    }
}
