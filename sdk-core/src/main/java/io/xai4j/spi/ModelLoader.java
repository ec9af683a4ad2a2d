package io.xai4j.spi;

import java.nio.file.Path;

/** Opens model files of one format. Registered through {@code META-INF/services/io.xai4j.spi.ModelLoader}. */
public interface ModelLoader {
    /** A short backend name such as {@code onnxruntime}. */
    String name();

    /** Whether this loader handles the file (usually by extension or magic bytes). */
    boolean accepts(Path file);

    Model load(Path file, ModelOptions options);
}
