package io.xai4j.metric;

import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything the SDK and the CLI need to know about a metric without running it.
 *
 * @param name           kebab-case, unique, e.g. {@code deletion}
 * @param kind           what the metric measures
 * @param version        the implementation's version, recorded in reports
 * @param description    one line
 * @param needs          what the metric needs beyond the attribution
 * @param parameters     typed parameters with defaults, validated as methods' are
 * @param higherIsBetter whether a higher score means a more trustworthy explanation
 */
public record MetricDescriptor(String name, MetricKind kind, String version, String description,
        Set<MetricNeed> needs, List<ParameterSpec> parameters, boolean higherIsBetter) {
    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public MetricDescriptor {
        if (name == null || !KEBAB.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name must be kebab-case (e.g. pointing-game), got '" + name + "'");
        }
        needs = Set.copyOf(needs);
        parameters = List.copyOf(parameters);
    }

    public boolean needs(MetricNeed need) {
        return needs.contains(need);
    }

    /** Validates parameter values (text or typed) against this metric's parameters, as methods' are. */
    public Parameters parse(Map<String, ?> raw) {
        return Parameters.parse("metric '" + name + "'", parameters, raw);
    }

    public Optional<ParameterSpec> parameter(String parameterName) {
        return parameters.stream().filter(p -> p.covers(parameterName)).findFirst();
    }
}
