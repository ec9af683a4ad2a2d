package io.xai4j.explain;

import io.xai4j.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of explaining a batch for one target: attributions, what the model predicted, and provenance.
 * Serialise with {@link ExplanationJson}.
 *
 * @param method       the method name
 * @param targetSpec   the target specification, e.g. {@code top:3}
 * @param targetLabels per example, the resolved target, e.g. {@code top-2 (class 5)}
 * @param attributions attribution tensors by the name of the tensor they explain (an input or a layer), batch
 *                     first, in order
 * @param predictions  per example, the model's best classes
 * @param details      method-specific values (e.g. a convergence delta); JSON-compatible values only: strings,
 *                     booleans, integers, doubles, lists and maps of those
 * @param provenance   how the explanation was made
 */
public record Explanation(String method, String targetSpec, List<String> targetLabels,
        Map<String, Tensor> attributions, List<List<Prediction>> predictions, Map<String, Object> details,
        Provenance provenance) {

    public Explanation {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(provenance, "provenance");
        targetLabels = targetLabels == null ? List.of() : List.copyOf(targetLabels);
        attributions = Collections.unmodifiableMap(new LinkedHashMap<>(attributions));
        predictions = predictions == null ? List.of() : predictions.stream().map(List::copyOf).toList();
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** The first (usually the only) attribution tensor. */
    public Tensor attribution() {
        if (attributions.isEmpty()) {
            throw new IllegalStateException("explanation of method '" + method + "' holds no attribution tensor");
        }
        return attributions.values().iterator().next();
    }
}
