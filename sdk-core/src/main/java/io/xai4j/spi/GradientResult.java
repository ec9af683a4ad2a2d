package io.xai4j.spi;

import io.xai4j.tensor.Tensor;
import java.util.Map;

/** Forward outputs, requested activations and gradients (each keyed by tensor name). */
public record GradientResult(Map<String, Tensor> outputs, Map<String, Tensor> activations,
        Map<String, Tensor> gradients) {
    public GradientResult {
        outputs = Map.copyOf(outputs);
        activations = Map.copyOf(activations);
        gradients = Map.copyOf(gradients);
    }
}
