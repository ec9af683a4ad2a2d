package io.xai4j.explain;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How an explanation was made, enough to reproduce it.
 *
 * @param method         the method name
 * @param methodVersion  the method implementation's version
 * @param parameters     the effective parameter values as text (defaults included), in order
 * @param target         the target specification, e.g. {@code top1}
 * @param modelSource    where the model came from (a file name or URI)
 * @param modelSha256    the SHA-256 of the model file, lower-case hex
 * @param backend        the model backend, e.g. {@code onnxruntime}
 * @param device         the execution device, e.g. {@code cpu} or {@code cuda:0}
 * @param sdkVersion     the SDK version, see {@link #currentSdkVersion()}
 * @param seed           the random seed
 * @param preprocessing  a description of the input preprocessing, or null
 * @param layer          the layer attributed to, or null
 * @param ruleSet        the backward rule set gradients were computed with ({@code exact} for true gradients)
 * @param inputSources   the input files or descriptions, one per source
 * @param createdAt      when the explanation was made
 * @param timingsMillis  phase durations in milliseconds, e.g. load, forward, attribution, total
 */
public record Provenance(String method, String methodVersion, Map<String, String> parameters, String target,
        String modelSource, String modelSha256, String backend, String device, String sdkVersion, long seed,
        String preprocessing, String layer, String ruleSet, List<String> inputSources, Instant createdAt,
        Map<String, Double> timingsMillis) {
    /** The version reported when the SDK does not run from a released jar. */
    public static final String DEVELOPMENT_VERSION = "dev";

    public Provenance {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(createdAt, "createdAt");
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        inputSources = inputSources == null ? List.of() : List.copyOf(inputSources);
        timingsMillis = timingsMillis == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(timingsMillis));
    }

    /** The SDK jar's {@code Implementation-Version}, or {@value #DEVELOPMENT_VERSION} when run from classes. */
    public static String currentSdkVersion() {
        Package p = Provenance.class.getPackage();
        String version = p == null ? null : p.getImplementationVersion();
        return version == null || version.isBlank() ? DEVELOPMENT_VERSION : version;
    }
}
