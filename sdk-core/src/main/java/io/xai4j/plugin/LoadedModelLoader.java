package io.xai4j.plugin;

import io.xai4j.spi.ModelLoader;

/**
 * A discovered model loader.
 *
 * @param loader the instance
 * @param jar    the jar file or class directory it was loaded from
 */
public record LoadedModelLoader(ModelLoader loader, String jar) {
}
