package io.xai4j.spi;

import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.Map;
import java.util.Optional;

/**
 * The examples to explain and how.
 *
 * @param inputs     every model input, batch first (N examples)
 * @param inputName  the input to attribute to (the first input unless chosen)
 * @param target     the target, resolved for the N examples
 * @param parameters validated method parameters
 * @param layer      the intermediate tensor for layer methods, if any
 */
public record AttributionRequest(Map<String, Tensor> inputs, String inputName, ResolvedTarget target,
        Parameters parameters, Optional<String> layer) {
    public AttributionRequest {
        inputs = Map.copyOf(inputs);
    }

    public Tensor input() {
        return inputs.get(inputName);
    }

    public int examples() {
        return input().dim(0);
    }
}
