package io.xai4j.spi;

import io.xai4j.tensor.Tensor;
import java.util.Map;

/**
 * Forward outputs, requested activations and gradients (each keyed by tensor name).
 *
 * <p>When the engine seeded another tensor than the requested output (the logits before a trailing
 * Softmax), it also returns that tensor's forward value in {@code outputs} under {@link #SEEDED_OUTPUT}, so
 * that callers can relate the gradients to the function that was actually differentiated.
 */
public record GradientResult(Map<String, Tensor> outputs, Map<String, Tensor> activations,
        Map<String, Tensor> gradients) {
    /** The {@link #outputs()} key of the seeded tensor's forward value, when it is not the requested output. */
    public static final String SEEDED_OUTPUT = "xai4j:seeded";

    public GradientResult {
        outputs = Map.copyOf(outputs);
        activations = Map.copyOf(activations);
        gradients = Map.copyOf(gradients);
    }
}
