package io.xai4j.onnx;

import io.xai4j.spi.Model;
import io.xai4j.spi.ModelLoader;
import io.xai4j.spi.ModelOptions;
import java.nio.file.Path;
import java.util.Locale;

/** Loads {@code .onnx} files with ONNX Runtime. */
public final class OnnxModelLoader implements ModelLoader {
    @Override
    public String name() {
        return "onnxruntime";
    }

    @Override
    public boolean accepts(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
    }

    @Override
    public Model load(Path file, ModelOptions options) {
        return OnnxModel.load(file, options);
    }
}
