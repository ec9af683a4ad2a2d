package io.xai4j.api;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.RegularFiles;
import io.xai4j.plugin.LoadedModelLoader;
import io.xai4j.plugin.PluginReport;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelLoader;
import io.xai4j.spi.ModelOptions;
import io.xai4j.spi.backward.BackwardRuleSet;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Opens a model file with the first discovered {@link ModelLoader} that accepts it, passing it the discovered
 * backward rule sets after those of the given options ({@link ModelOptions#ruleSets()}).
 */
public final class ModelOpener {
    private final List<ModelLoader> loaders;
    private final List<BackwardRuleSet> ruleSets;

    @Inject
    public ModelOpener(PluginReport report) {
        this.loaders = report.modelLoaders().stream().map(LoadedModelLoader::loader).toList();
        this.ruleSets = report.backwardRuleSets();
    }

    public Model open(Path file, ModelOptions options) {
        ModelOptions opts = options == null ? ModelOptions.defaults() : options;
        if (!Files.exists(file)) {
            throw new XaiException(ErrorCode.MODEL_NOT_FOUND, "model file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new XaiException(ErrorCode.MODEL_NOT_FOUND, "model file " + file + " is a folder; give the .onnx"
                    + " file inside it");
        }
        RegularFiles.requireRegular(file, "model file", ErrorCode.INVALID_MODEL);
        if (loaders.isEmpty()) {
            throw new XaiException(ErrorCode.PLUGIN_FAILURE, "no model backend is installed; add xai4j-sdk-onnx to the classpath");
        }
        return loaders.stream().filter(l -> l.accepts(file)).findFirst()
                .orElseThrow(() -> new XaiException(ErrorCode.INVALID_MODEL, "no backend accepts " + file
                        + "; installed backends: " + loaders.stream().map(ModelLoader::name)
                                .collect(Collectors.joining(", ")) + " (ONNX files end in .onnx)"))
                .load(file, opts.withRuleSets(Stream.concat(opts.ruleSets().stream(), ruleSets.stream()).toList()));
    }
}
