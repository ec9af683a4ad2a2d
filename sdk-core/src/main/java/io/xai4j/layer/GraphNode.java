package io.xai4j.layer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node of a model graph, read-only.
 *
 * @param name       the node name (may be empty)
 * @param opType     the operator, e.g. {@code Conv}
 * @param inputs     input tensor names in order (an empty string marks an omitted optional input)
 * @param outputs    output tensor names in order
 * @param attributes simple attributes: {@link Long}, {@link Double}, {@link String}, or a {@link List} of
 *                   {@link Long} or {@link Double}; graph and tensor attributes are left out
 */
public record GraphNode(String name, String opType, List<String> inputs, List<String> outputs,
        Map<String, Object> attributes) {
    public GraphNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** An integer attribute. */
    public Optional<Long> intAttribute(String attribute) {
        return attributes.get(attribute) instanceof Long l ? Optional.of(l) : Optional.empty();
    }

    /** A float attribute (an integer one is widened). */
    public Optional<Double> floatAttribute(String attribute) {
        Object v = attributes.get(attribute);
        return v instanceof Number n ? Optional.of(n.doubleValue()) : Optional.empty();
    }

    /** A list-of-integers attribute. */
    public Optional<List<Long>> intsAttribute(String attribute) {
        if (attributes.get(attribute) instanceof List<?> list && list.stream().allMatch(Long.class::isInstance)) {
            return Optional.of(list.stream().map(Long.class::cast).toList());
        }
        return Optional.empty();
    }

    /** The input at {@code index}, or empty when absent or omitted. */
    public Optional<String> input(int index) {
        return index < inputs.size() && !inputs.get(index).isEmpty() ? Optional.of(inputs.get(index)) : Optional.empty();
    }
}
