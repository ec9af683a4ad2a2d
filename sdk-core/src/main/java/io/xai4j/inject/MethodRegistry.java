package io.xai4j.inject;

import io.xai4j.error.ClosestNames;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.plugin.LoadedMethod;
import io.xai4j.plugin.PluginReport;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodLookup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The installed attribution methods by name, with the discovery report. */
@Singleton
public final class MethodRegistry implements MethodLookup {
    private static final Comparator<AttributionMethod> BY_FAMILY_THEN_NAME = Comparator
            .comparing((AttributionMethod m) -> m.descriptor().family())
            .thenComparing(m -> m.descriptor().name());

    /** The artifact that provides each shipped method, for the error when it is not installed. */
    private static final Map<String, String> SHIPPED_IN = shippedIn(Map.of(
            "io.xai4j:xai4j-methods-gradient", List.of("saliency", "input-x-gradient", "integrated-gradients",
                    "gradient-shap", "smoothgrad", "smoothgrad-sq", "vargrad"),
            "io.xai4j:xai4j-methods-cam", List.of("grad-cam", "grad-cam-plus-plus", "xgrad-cam", "hires-cam",
                    "layer-cam", "activation-map", "eigen-cam", "cam", "score-cam", "ablation-cam"),
            "io.xai4j:xai4j-methods-occlusion", List.of("occlusion", "rise", "feature-ablation",
                    "kernel-shap", "shapley-sampling", "shapley", "lime", "feature-permutation")));

    private final Map<String, AttributionMethod> methods;
    private final PluginReport report;

    @Inject
    public MethodRegistry(Map<String, AttributionMethod> methods, PluginReport report) {
        this.methods = new TreeMap<>(methods);
        this.report = report;
    }

    /** A registry over a discovery result, without an injector. */
    public static MethodRegistry of(PluginReport report) {
        Map<String, AttributionMethod> methods = new LinkedHashMap<>();
        for (LoadedMethod m : report.methods()) {
            methods.put(m.name(), m.method());
        }
        return new MethodRegistry(methods, report);
    }

    /**
     * The method called {@code name}.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_METHOD} listing the available names and the closest one
     */
    public AttributionMethod get(String name) {
        AttributionMethod method = name == null ? null : methods.get(name);
        if (method != null) {
            return method;
        }
        String artifact = name == null ? null : SHIPPED_IN.get(name);
        if (artifact != null) {
            throw new XaiException(ErrorCode.UNKNOWN_METHOD, "method '" + name + "' is not installed; add the artifact "
                    + artifact + " to the class path (installed: " + (methods.isEmpty() ? "none"
                            : String.join(", ", methods.keySet())) + ")"
                    + (report.hasProblems() ? "; plugin problems:\n" + report.describeProblems() : ""));
        }
        if (methods.isEmpty()) {
            throw new XaiException(ErrorCode.UNKNOWN_METHOD, "unknown method '" + name + "'; no methods are installed"
                    + (report.hasProblems() ? "; plugin problems:\n" + report.describeProblems() : ""));
        }
        String message = "unknown method '" + name + "'; available: " + String.join(", ", methods.keySet());
        Optional<String> closest = closest(name);
        throw new XaiException(ErrorCode.UNKNOWN_METHOD,
                closest.map(c -> message + "; did you mean '" + c + "'?").orElse(message));
    }

    @Override
    public Optional<AttributionMethod> find(String name) {
        return Optional.ofNullable(name == null ? null : methods.get(name));
    }

    /** Every method, sorted by family, then name. */
    @Override
    public List<AttributionMethod> all() {
        return methods.values().stream().sorted(BY_FAMILY_THEN_NAME).toList();
    }

    /** Every method's descriptor, sorted by family, then name. */
    public List<MethodDescriptor> descriptors() {
        return all().stream().map(AttributionMethod::descriptor).toList();
    }

    /** The method names, sorted. */
    public List<String> names() {
        return List.copyOf(methods.keySet());
    }

    /** The jar or directory a method was loaded from, when discovery found it. */
    public Optional<String> sourceOf(String name) {
        return report.methods().stream().filter(m -> m.name().equals(name)).map(LoadedMethod::jar).findFirst();
    }

    public PluginReport report() {
        return report;
    }

    private static Map<String, String> shippedIn(Map<String, List<String>> methodsByArtifact) {
        Map<String, String> artifactByMethod = new TreeMap<>();
        methodsByArtifact.forEach((artifact, names) -> names.forEach(n -> artifactByMethod.put(n, artifact)));
        return Map.copyOf(artifactByMethod);
    }

    private Optional<String> closest(String name) {
        String wanted = name == null ? "" : name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : methods.keySet()) {
            int d = ClosestNames.distance(wanted, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, wanted.length() / 3));
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }
}
