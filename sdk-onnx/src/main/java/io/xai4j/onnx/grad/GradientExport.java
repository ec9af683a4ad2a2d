package io.xai4j.onnx.grad;

import ai.onnxruntime.OrtEnvironment;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.OnnxModels;
import io.xai4j.onnx.OrtEnvironments;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the gradient model of an ONNX model (see {@link GradientModel}) and writes it as a standalone ONNX file
 * that runs in any ONNX Runtime: feed the model inputs plus {@link GradientModel#seedInput()}, read
 * {@code grad:<tensor>}. The batch axis stays symbolic. Tensors the model stores as external data stay there: the
 * written file reads the same data files, relative to its own folder. {@link OnnxGradientEngine} builds its
 * gradient models with the same code.
 */
public final class GradientExport {
    /**
     * What to build.
     *
     * @param wrt            model inputs or intermediate tensors to differentiate with respect to
     * @param feed           intermediate tensors made inputs of the gradient model, fed instead of computed (model
     *                       inputs that only fed them are dropped)
     * @param output         the model output to differentiate; null for the first
     * @param activations    intermediate tensors to output too
     * @param rules          the backward rule set, e.g. {@link GradientRequest#EXACT}
     * @param throughSoftmax seed the output itself even when it ends in Softmax (else the logits before it)
     * @param shapes         probe shapes, batch included, by model input; {@link #build(OnnxModel, Settings)} fills
     *                       in the other inputs and the fed tensors
     */
    public record Settings(List<String> wrt, List<String> feed, String output, List<String> activations,
            String rules, boolean throughSoftmax, Map<String, int[]> shapes) {
        public Settings {
            wrt = List.copyOf(wrt);
            feed = List.copyOf(feed);
            activations = List.copyOf(activations);
            Objects.requireNonNull(rules, "rules");
            Map<String, int[]> copy = new LinkedHashMap<>();
            shapes.forEach((name, shape) -> copy.put(name, shape.clone()));
            shapes = Collections.unmodifiableMap(copy);
        }

        /** The exact gradient of the first output with respect to {@code wrt}, at the default probe shapes. */
        public static Settings of(List<String> wrt) {
            return new Settings(wrt, List.of(), null, List.of(), GradientRequest.EXACT, false, Map.of());
        }
    }

    private GradientExport() {
    }

    /**
     * Builds the gradient model. The probe runs at the shapes in {@code settings}, the declared shapes with symbolic
     * dimensions 1 for the other model inputs, and for fed tensors the shapes the model computes from these.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_LAYER} for an unknown tensor, {@link ErrorCode#UNKNOWN_TARGET}
     *                      for an unknown output, {@link ErrorCode#UNSUPPORTED_OP} naming an op and node without a
     *                      backward rule
     */
    public static GradientModel build(OnnxModel model, Settings settings) {
        Map<String, int[]> shapes = model.unitInputShapes();
        for (String name : settings.shapes().keySet()) {
            if (!shapes.containsKey(name)) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "a probe shape (--shape) is given for '" + name
                        + "', which is not a model input; the inputs are " + shapes.keySet());
            }
        }
        shapes.putAll(settings.shapes());
        if (!settings.feed().isEmpty()) {
            model.layers(shapes).stream().filter(l -> settings.feed().contains(l.tensor())).forEach(l -> shapes
                    .put(l.tensor(), l.shape().stream().mapToInt(Long::intValue).toArray()));
        }
        Settings probed = new Settings(settings.wrt(), settings.feed(), settings.output(), settings.activations(),
                settings.rules(), settings.throughSoftmax(), shapes);
        return build(model.proto(), model.directory(), probed, model.ruleSets(), OrtEnvironments.get());
    }

    /**
     * Builds the gradient model of the model file {@code model}, loaded with {@code options} (which give the rule
     * sets a plugin adds), and writes it to {@code out} atomically (through a temporary file in the same folder),
     * creating missing folders. The model file is never written.
     *
     * @return the written gradient model
     * @throws XaiException {@link ErrorCode#INVALID_ARGUMENT} when {@code out} is the model file, and as
     *                      {@link #build(OnnxModel, Settings)}
     */
    public static GradientModel write(Path model, ModelOptions options, Settings settings, Path out) {
        if (OnnxModels.sameFile(out, model)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, out + " is the input model; choose another file"
                    + " (the input model is never overwritten)");
        }
        GradientModel gradients;
        try (OnnxModel loaded = OnnxModel.load(model, options)) {
            gradients = build(loaded, settings);
        }
        OnnxModels.write(gradients.model(), out);
        return gradients;
    }

    /**
     * The one build of a gradient model, shared with {@link OnnxGradientEngine}: {@code settings.shapes()} are
     * the complete probe shapes; {@code externalDataFolder} is where external data is found (null for none);
     * {@code ruleSets} resolve {@code settings.rules()}.
     */
    static GradientModel build(ModelProto model, Path externalDataFolder, Settings settings, RuleSets ruleSets,
            OrtEnvironment env) {
        GradientGraphBuilder builder = GradientGraphBuilder.forModel(OnnxModels.feeding(model, settings.feed()))
                .inputShapes(settings.shapes()).externalDataFolder(externalDataFolder).wrt(settings.wrt())
                .activations(settings.activations()).ruleSet(settings.rules()).ruleSets(ruleSets)
                .differentiateThroughSoftmax(settings.throughSoftmax());
        if (settings.output() != null) {
            builder.output(settings.output());
        }
        return builder.build(env);
    }
}
