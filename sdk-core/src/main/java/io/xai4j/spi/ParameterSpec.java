package io.xai4j.spi;

import java.util.List;

/**
 * A typed method parameter.
 *
 * @param name         kebab-case or lower-case name, e.g. {@code window}; for {@link ParameterType#NESTED} the
 *                     prefix with its dot, e.g. {@code base.}
 * @param type         the value type
 * @param defaultValue the default, as text; null when the parameter is optional with no default
 * @param description  one line for {@code xai4j methods}
 * @param choices      the valid values of a {@link ParameterType#CHOICE}
 * @param min          inclusive lower bound of numbers (and of each list element), or null
 * @param max          inclusive upper bound, or null
 */
public record ParameterSpec(String name, ParameterType type, String defaultValue, String description,
        List<String> choices, Double min, Double max) {
    public ParameterSpec {
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    public static ParameterSpec integer(String name, int defaultValue, int min, int max, String description) {
        return new ParameterSpec(name, ParameterType.INT, Integer.toString(defaultValue), description, null,
                (double) min, (double) max);
    }

    public static ParameterSpec real(String name, double defaultValue, double min, double max, String description) {
        return new ParameterSpec(name, ParameterType.FLOAT, Double.toString(defaultValue), description, null, min, max);
    }

    public static ParameterSpec bool(String name, boolean defaultValue, String description) {
        return new ParameterSpec(name, ParameterType.BOOLEAN, Boolean.toString(defaultValue), description, null,
                null, null);
    }

    public static ParameterSpec choice(String name, String defaultValue, List<String> choices, String description) {
        return new ParameterSpec(name, ParameterType.CHOICE, defaultValue, description, choices, null, null);
    }

    public static ParameterSpec intList(String name, String defaultValue, int min, String description) {
        return new ParameterSpec(name, ParameterType.INT_LIST, defaultValue, description, null, (double) min, null);
    }

    public static ParameterSpec baseline(String name, String defaultValue, String description) {
        return new ParameterSpec(name, ParameterType.BASELINE, defaultValue, description, null, null, null);
    }

    public static ParameterSpec text(String name, String defaultValue, String description) {
        return new ParameterSpec(name, ParameterType.STRING, defaultValue, description, null, null, null);
    }

    /** An optional tensor: a {@link io.xai4j.tensor.Tensor} from Java, an .npy path on the command line. */
    public static ParameterSpec tensor(String name, String description) {
        return new ParameterSpec(name, ParameterType.TENSOR, null, description, null, null, null);
    }

    /** The parameters of a wrapped method, given as {@code prefix.KEY=VALUE}; {@code prefix} ends with a dot. */
    public static ParameterSpec nested(String prefix, String description) {
        if (!prefix.endsWith(".")) {
            throw new IllegalArgumentException("a nested parameter prefix ends with a dot, got '" + prefix + "'");
        }
        return new ParameterSpec(prefix, ParameterType.NESTED, null, description, null, null, null);
    }

    /** True when {@code parameterName} belongs to this nested spec ({@code base.steps} to {@code base.}). */
    public boolean covers(String parameterName) {
        return type == ParameterType.NESTED ? parameterName.startsWith(name) && parameterName.length() > name.length()
                : parameterName.equals(name);
    }
}
