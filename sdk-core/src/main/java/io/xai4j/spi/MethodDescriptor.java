package io.xai4j.spi;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the SDK and the CLI need to know about a method without running it.
 *
 * @param name         kebab-case, unique, e.g. {@code integrated-gradients}
 * @param family       gradient, CAM or perturbation
 * @param version      the method implementation's version, recorded in provenance
 * @param description  one line
 * @param requirements what the method needs
 * @param parameters   typed parameters with defaults
 * @param values       what the attribution values mean, which decides how they are drawn
 */
public record MethodDescriptor(String name, MethodFamily family, String version, String description,
        Set<Requirement> requirements, List<ParameterSpec> parameters, ValueKind values) {
    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public MethodDescriptor {
        if (name == null || !KEBAB.matcher(name).matches()) {
            throw new IllegalArgumentException("method name must be kebab-case (e.g. grad-cam), got '" + name + "'");
        }
        requirements = Set.copyOf(requirements);
        parameters = List.copyOf(parameters);
        values = values == null ? ValueKind.defaultFor(family) : values;
    }

    /** A descriptor whose values have the family's default meaning ({@link ValueKind#defaultFor}). */
    public MethodDescriptor(String name, MethodFamily family, String version, String description,
            Set<Requirement> requirements, List<ParameterSpec> parameters) {
        this(name, family, version, description, requirements, parameters, null);
    }

    /** A copy whose values mean {@code kind}. */
    public MethodDescriptor withValues(ValueKind kind) {
        return new MethodDescriptor(name, family, version, description, requirements, parameters, kind);
    }

    public boolean requires(Requirement r) {
        return requirements.contains(r);
    }

    public Optional<ParameterSpec> parameter(String parameterName) {
        return parameters.stream().filter(p -> p.covers(parameterName)).findFirst();
    }
}
