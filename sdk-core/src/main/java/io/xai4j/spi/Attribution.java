package io.xai4j.spi;

import io.xai4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A method's result: attribution tensors by the name of the tensor they explain (an input or a layer),
 * each batch first, and method-specific details (e.g. a convergence delta) for the provenance.
 */
public record Attribution(Map<String, Tensor> tensors, Map<String, Object> details) {
    public Attribution {
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static Attribution of(String tensorName, Tensor attribution) {
        return new Attribution(Map.of(tensorName, attribution), Map.of());
    }
}
