package io.xai4j.spi;

import io.xai4j.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A method's result: attribution tensors by the name of the tensor they explain (an input or a layer),
 * each batch first, method-specific details (e.g. a convergence delta) for the provenance, and the model
 * outputs of the examples at their own inputs when the method's model calls computed them anyway.
 *
 * @param outputs model outputs by output name, batch first, one row per example of the request, each computed
 *                at the example's unmodified inputs (at least the target's output); empty when the method did not
 *                evaluate the model there. The {@link io.xai4j.api.Explainer} takes the predictions from them and
 *                runs a forward pass of its own only when the target's output is missing.
 */
public record Attribution(Map<String, Tensor> tensors, Map<String, Object> details, Map<String, Tensor> outputs) {
    public Attribution {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        outputs = outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    /** An attribution without model outputs. */
    public Attribution(Map<String, Tensor> tensors, Map<String, Object> details) {
        this(tensors, details, Map.of());
    }

    public static Attribution of(String tensorName, Tensor attribution) {
        return new Attribution(Map.of(tensorName, attribution), Map.of());
    }
}
