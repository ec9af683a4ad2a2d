package io.xai4j.plugin;

import io.xai4j.spi.AttributionMethod;

/**
 * A discovered, validated attribution method.
 *
 * @param method the instance
 * @param jar    the jar file or class directory it was loaded from
 */
public record LoadedMethod(AttributionMethod method, String jar) {
    public String name() {
        return method.descriptor().name();
    }
}
