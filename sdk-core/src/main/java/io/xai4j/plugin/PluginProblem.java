package io.xai4j.plugin;

import io.xai4j.error.ErrorCode;

/**
 * A plugin provider that could not be used.
 *
 * @param jar      the jar file or class directory the provider comes from, or {@code unknown}
 * @param provider the provider class name, or {@code unknown}
 * @param reason   what went wrong, for people
 * @param code     {@link ErrorCode#PLUGIN_FAILURE} or {@link ErrorCode#DUPLICATE_METHOD}
 */
public record PluginProblem(String jar, String provider, String reason, ErrorCode code) {
    public static final String UNKNOWN = "unknown";

    @Override
    public String toString() {
        return code + " " + provider + " (" + jar + "): " + reason;
    }
}
