package io.xai4j.spi;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
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

    /**
     * The shape of one example of the attributed input (without the batch dimension).
     *
     * @throws XaiException when the input is missing or has no dimension besides the batch
     */
    public int[] exampleShape(String method) {
        Tensor input = input();
        if (input == null || input.rank() < 2) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "method '" + method + "' needs input '" + inputName
                    + "' with a batch dimension and at least one more, got "
                    + (input == null ? "no such input; inputs are " + inputs.keySet()
                            : "shape " + Arrays.toString(input.shape())));
        }
        return Arrays.copyOfRange(input.shape(), 1, input.rank());
    }
}
