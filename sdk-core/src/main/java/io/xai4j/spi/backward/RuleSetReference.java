package io.xai4j.spi.backward;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A rule set selected by name with parameters, as written in {@link io.xai4j.spi.GradientRequest#ruleSet()} and
 * {@code --rules}: {@code NAME} or {@code NAME:KEY=VALUE,KEY=VALUE}, for example
 * {@code lrp:composite=epsilon-plus,epsilon=0.01}. A value may hold {@code =} and {@code :} but no comma. The rule
 * set reads the parameters through {@link BackwardContext#parameters()}; two references with the same name and
 * parameters are equal whatever their order.
 *
 * @param name       the rule set's name
 * @param parameters its parameters, sorted by key
 */
public record RuleSetReference(String name, Map<String, String> parameters) {
    public RuleSetReference {
        parameters = Map.copyOf(parameters);
    }

    /**
     * Reads {@code NAME} or {@code NAME:KEY=VALUE,...}.
     *
     * @throws XaiException {@link ErrorCode#INVALID_ARGUMENT} for an item without {@code =} or a repeated key
     */
    public static RuleSetReference parse(String reference) {
        int colon = reference.indexOf(':');
        if (colon < 0) {
            return new RuleSetReference(reference, Map.of());
        }
        Map<String, String> parameters = new TreeMap<>();
        for (String item : reference.substring(colon + 1).split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq <= 0 || parameters.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim()) != null) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "bad backward rule set reference '" + reference
                        + "': expected NAME or NAME:KEY=VALUE,KEY=VALUE with distinct keys, e.g. "
                        + "lrp:composite=epsilon-plus,epsilon=0.01");
            }
        }
        return new RuleSetReference(reference.substring(0, colon), parameters);
    }

    /** The reference as text, parameters sorted by key; {@link #parse(String)} reads it back. */
    @Override
    public String toString() {
        return parameters.isEmpty() ? name : name + ":" + new TreeMap<>(parameters).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
