package io.xai4j.api;

import io.xai4j.explain.Explanation;
import io.xai4j.image.Preprocessing;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.io.LoadedInput;
import io.xai4j.plugin.PluginLoader;
import io.xai4j.plugin.PluginReport;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry point for embedders: opens models, reads inputs and explains them with the installed methods and
 * backends. Create it with {@link #discover()} (no dependency injection needed), or get it from the Guice injector
 * of {@link io.xai4j.inject.Xai4j#injector}. Thread-safe; models it opens must be closed by the caller.
 */
public final class Xai {
    private final Explainer explainer;
    private final ModelOpener opener;

    @Inject
    public Xai(Explainer explainer, ModelOpener opener) {
        this.explainer = explainer;
        this.opener = opener;
    }

    /** The methods and backends on the class path (a broken plugin is reported in {@link #plugins()}). */
    public static Xai discover() {
        return of(PluginLoader.discover());
    }

    /** The methods and backends of a discovery result, e.g. one that includes plugin folders. */
    public static Xai of(PluginReport report) {
        return new Xai(new Explainer(MethodRegistry.of(report)), new ModelOpener(report));
    }

    /** Opens a model file on the CPU. */
    public Model open(Path model) {
        return opener.open(model, ModelOptions.defaults());
    }

    /** Opens a model file with the given options (e.g. a device). */
    public Model open(Path model, ModelOptions options) {
        return opener.open(model, options);
    }

    /** Reads an image, preprocessed as for ImageNet models, or an .npy tensor for the model's first input. */
    public LoadedInput load(Model model, Path file) {
        return load(model, file, Preprocessing.IMAGENET);
    }

    /** Reads an image with the given preprocessing, or an .npy tensor, for the model's first input. */
    public LoadedInput load(Model model, Path file, Preprocessing preprocessing) {
        return LoadedInput.load(file, model.signature().firstInput(), preprocessing);
    }

    /**
     * Explains one loaded input, fed to the model's first input (or {@link ExplainOptions#inputName()}); the
     * model's other inputs, if any, come from {@code otherInputs}, each with one row per example of the input, or
     * one row used for every example. An input of several examples is explained as a batch: each explanation covers
     * them all ({@link Explanation#example} takes one out). The provenance records the input file and its
     * preprocessing unless the options give them.
     */
    public List<Explanation> explain(Model model, LoadedInput input, ExplainOptions options,
            Map<String, Tensor> otherInputs) {
        TensorSpec spec = options.inputName() == null ? model.signature().firstInput()
                : model.signature().input(options.inputName());
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        otherInputs.forEach((name, t) -> inputs.put(name, t.rank() > 0 && t.dim(0) == 1 && input.examples() > 1
                ? t.repeatRows(input.examples()) : t));
        inputs.put(spec.name(), input.tensor());
        return explainer.explain(model, inputs, options.describing(input));
    }

    /** As {@link #explain(Model, LoadedInput, ExplainOptions, Map)} for a model with one input. */
    public List<Explanation> explain(Model model, LoadedInput input, ExplainOptions options) {
        return explain(model, input, options, Map.of());
    }

    /** Explains every example of {@code inputs} (all model inputs by name, batch first). */
    public List<Explanation> explain(Model model, Map<String, Tensor> inputs, ExplainOptions options) {
        return explainer.explain(model, inputs, options);
    }

    /** The installed methods. */
    public MethodRegistry methods() {
        return explainer.methods();
    }

    /** Where each method and backend came from, and plugins that failed to load. */
    public PluginReport plugins() {
        return explainer.methods().report();
    }
}
