package io.xai4j.onnx.explain;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.gradient.GradientMethod;
import io.xai4j.family.gradient.NoiseTunnel;
import io.xai4j.layer.ChannelsLast;
import io.xai4j.layer.LayerSelector;
import io.xai4j.layer.SelectedLayer;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.OnnxModels;
import io.xai4j.onnx.grad.GradientExport;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.StringStringEntryProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.LayerInfo;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ModelOptions;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Exports an attribution method as an ONNX model that runs in any ONNX Runtime: the model's inputs plus an int64
 * {@code target} of one class per example (-1: the predicted class), and the model's outputs plus
 * {@code attribution}, {@code target_class} (the class explained) and the method's own outputs. Standard ONNX ops
 * (opset 18), batch axis symbolic, built on {@link GradientExport}'s gradient model. The first model input is the
 * one explained. A gradient method's own backward rule set, with its parameters, comes from the method itself
 * ({@link GradientMethod#ruleSetFor}), as {@code explain} uses it.
 */
public final class ExplainerExport {
    private static final Map<String, ExportedMethod> METHODS = new LinkedHashMap<>();
    /** The rule set whose rules read the rows as (input, baseline) pairs. */
    private static final String PAIRED_RULES = RescaleRule.RULES;

    static {
        METHODS.put("saliency", InputGradients.saliency());
        METHODS.put("input-x-gradient", InputGradients.inputTimesGradient());
        METHODS.put("guided-backprop", InputGradients.underOwnRules());
        METHODS.put("deconvnet", InputGradients.underOwnRules());
        METHODS.put("lrp", InputGradients.relevance());
        METHODS.put("guided-grad-cam", new GuidedCam());
        METHODS.put("integrated-gradients", new PathIntegral());
        METHODS.put("deeplift", new RescaleRule(false));
        METHODS.put("deeplift-shap", new RescaleRule(true));
        METHODS.put("smoothgrad", new NoiseTunnels(NoiseTunnel.Aggregate.MEAN));
        METHODS.put("smoothgrad-sq", new NoiseTunnels(NoiseTunnel.Aggregate.MEAN_OF_SQUARES));
        METHODS.put("vargrad", new NoiseTunnels(NoiseTunnel.Aggregate.VARIANCE));
        METHODS.put("gradient-shap", new ExpectedGradients());
        METHODS.put("grad-cam", new GradientCams(GradientCams.Kind.GRAD_CAM));
        METHODS.put("xgrad-cam", new GradientCams(GradientCams.Kind.XGRAD_CAM));
        METHODS.put("grad-cam-plus-plus", new GradientCams(GradientCams.Kind.GRAD_CAM_PLUS_PLUS));
        METHODS.put("hires-cam", new GradientCams(GradientCams.Kind.HIRES_CAM));
        METHODS.put("layer-cam", new GradientCams(GradientCams.Kind.LAYER_CAM));
        METHODS.put("activation-map", new ActivationMaps());
        METHODS.put("cam", new ClassifierCam());
        METHODS.put("eigen-cam", new PrincipalComponentCam());
        METHODS.put("score-cam", new MaskedInputCam());
        METHODS.put("ablation-cam", new AblatedChannelCam());
        METHODS.put("occlusion", new WindowOcclusion());
    }

    /**
     * What to export.
     *
     * @param method     the method (from the method registry), for its parameters, defaults and rule set
     * @param parameters the method's parameters by name, as text or values; left out ones take their defaults
     * @param layer      the layer of a CAM method (tensor, node or scope name), or null to choose it
     * @param ruleSet    the backward rule set, e.g. {@link GradientRequest#EXACT}
     * @param seed       the seed of the noise the noise tunnels and gradient-shap generate ({@code RandomNormalLike});
     *                   gradient-shap's path positions take the seed plus 1
     * @param noiseInput make the noise tunnels and gradient-shap read standard normal noise from a
     *                   {@value NoiseTunnels#INPUT} input of shape {@code [samples, N, ...]} instead of generating it,
     *                   and gradient-shap its path positions from an {@value ExpectedGradients#ALPHA} input
     *                   {@code [samples, N]}
     */
    public record Request(AttributionMethod method, Map<String, ?> parameters, String layer, String ruleSet, long seed,
            boolean noiseInput) {
        public Request {
            Objects.requireNonNull(method, "method");
            parameters = Map.copyOf(parameters);
            Objects.requireNonNull(ruleSet, "ruleSet");
        }

        /** Generated noise with seed 42. */
        public Request(AttributionMethod method, Map<String, ?> parameters, String layer, String ruleSet) {
            this(method, parameters, layer, ruleSet, 42, false);
        }

        /** The method with its default parameters and exact gradients. */
        public static Request of(AttributionMethod method) {
            return new Request(method, Map.of(), null, GradientRequest.EXACT);
        }
    }

    private ExplainerExport() {
    }

    /** The methods that can be exported. */
    public static List<String> methods() {
        return List.copyOf(METHODS.keySet());
    }

    /**
     * Builds the explainer model of {@code model}.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_METHOD} for a method that cannot be exported (naming those that
     *                      can), {@link ErrorCode#INVALID_PARAMETER} for a parameter value the export does not
     *                      support, and as {@link GradientExport#build(OnnxModel, GradientExport.Settings)}
     */
    public static ExplainerModel build(OnnxModel model, Request request) {
        MethodDescriptor descriptor = request.method().descriptor();
        String name = descriptor.name();
        ExportedMethod method = METHODS.get(name);
        if (method == null) {
            throw new XaiException(ErrorCode.UNKNOWN_METHOD, "method '" + name + "' cannot be exported as an ONNX"
                    + " model; exportable methods: " + String.join(", ", METHODS.keySet()));
        }
        if (model.batchMode() == OnnxModel.BatchMode.SEQUENTIAL || model.batchMode() == OnnxModel.BatchMode.FIXED) {
            throw new XaiException(ErrorCode.INVALID_MODEL, "the model's batch axis is fixed (" + model.batchMode()
                    + ") and could not be made symbolic; exported explainers need a batch axis (N) on every input");
        }
        Parameters parameters = Parameters.parse(descriptor, request.parameters());
        checkDefaults(name, method, descriptor, parameters);
        String input = model.signature().firstInput().name();
        String layer = null;
        Map<String, List<Long>> shapes = Map.of();
        if (method.explainsLayer()) {
            SelectedLayer selected = convolutionalLayer(model, request.layer());
            layer = selected.tensor();
            shapes = new HashMap<>();
            for (LayerInfo t : model.layers(model.unitInputShapes())) {
                shapes.put(t.tensor(), t.shape());
            }
            shapes.put(layer, selected.shape());
        } else if (request.layer() != null) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "method '" + name + "' is exported for the input only;"
                    + " leave out the layer (" + request.layer() + ")");
        }
        String own = method.ruleSet() != null ? method.ruleSet()
                : request.method() instanceof GradientMethod g ? g.ruleSetFor(parameters) : null;
        String rules = ruleSet(name, own, request.ruleSet());
        boolean throughSoftmax = method.throughSoftmax(parameters);
        ExportedMethod.Gradients builder = (wrt, activations, ruleSet) -> GradientExport.build(model,
                new GradientExport.Settings(List.of(wrt), List.of(), null, activations, ruleSet, throughSoftmax,
                        Map.of()));
        boolean atLayer = layer != null && method.differentiatesLayer();
        // a method without gradients differentiates the output with respect to itself: no backward nodes
        String wrt = !method.needsGradients() ? model.signature().firstOutput().name() : atLayer ? layer : input;
        GradientModel gradients = builder.build(wrt, atLayer ? List.of(layer) : List.of(), rules);
        int[] seed = gradients.seedShape();
        if (seed.length != 2 || !gradients.seedBatchDependent()[0]) {
            throw new XaiException(ErrorCode.UNKNOWN_TARGET, "the differentiated tensor '" + gradients.seededTensor()
                    + "' has shape " + Arrays.toString(seed) + "; exported explainers need class scores of"
                    + " shape [N, classes]");
        }
        ExplainerGraph graph = new ExplainerGraph(gradients);
        method.emit(graph, new ExportedMethod.Explained(parameters, input, layer, request.seed(),
                request.noiseInput(), request.ruleSet(), builder, shapes, model.graph().orElseThrow()));
        GraphProto built = graph.build();
        List<String> outputs = built.getOutputList().stream().map(ValueInfoProto::getName).toList();
        String target = graph.targetInput();
        ModelProto.Builder result = gradients.model().toBuilder().setGraph(built);
        Map<String, String> props = new LinkedHashMap<>();
        props.put("method", name);
        props.put("input", input);
        props.put("target", target);
        props.put("parameters", parameters.asText().toString());
        if (layer != null) {
            props.put("layer", layer);
        }
        props.forEach((k, v) -> result.addMetadataProps(StringStringEntryProto.newBuilder()
                .setKey("xai4j.explainer." + k).setValue(v)));
        return new ExplainerModel(result.build(), name, input, target, outputs);
    }

    /**
     * Builds the explainer model of the model file {@code model} (loaded with {@code options}) and writes it to
     * {@code out} atomically, creating missing folders; the model file is never written. Weights the model stores as
     * external data stay there, read from the folder of {@code out}.
     *
     * @throws XaiException {@link ErrorCode#INVALID_ARGUMENT} when {@code out} is the model file, and as
     *                      {@link #build(OnnxModel, Request)}
     */
    public static ExplainerModel write(Path model, ModelOptions options, Request request, Path out) {
        if (OnnxModels.sameFile(out, model)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, out + " is the input model; choose another file"
                    + " (the input model is never overwritten)");
        }
        ExplainerModel explainer;
        try (OnnxModel loaded = OnnxModel.load(model, options)) {
            explainer = build(loaded, request);
        }
        OnnxModels.write(explainer.model(), out);
        return explainer;
    }

    /**
     * The rule set of the method's gradients: its own ({@code own}, or null), or the requested one. A method with its
     * own rule set takes no other, and the paired rows the {@value #PAIRED_RULES} rules need come only from the method
     * of that name.
     */
    private static String ruleSet(String name, String own, String requested) {
        boolean exact = requested.equals(GradientRequest.EXACT);
        if (own != null && !exact && !requested.equals(own)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "method '" + name + "' uses its own backward rule set '"
                    + own + "'; leave out the rule set '" + requested + "'");
        }
        if (own == null && requested.equals(PAIRED_RULES)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "the rule set '" + PAIRED_RULES + "' needs rows in"
                    + " (input, baseline) pairs, which exported " + name + " does not make; export the method '"
                    + PAIRED_RULES + "' instead");
        }
        return own != null ? own : requested;
    }

    /** The chosen layer, which must be a {@code [N,C,H,W]} map. */
    private static SelectedLayer convolutionalLayer(OnnxModel model, String reference) {
        SelectedLayer selected = LayerSelector.select(model, model.unitInputShapes(), reference, null);
        String layer = selected.tensor();
        if (selected.shape().size() != 4 || model.graph().map(g -> ChannelsLast.is(g, layer)).orElse(false)) {
            throw new XaiException(ErrorCode.UNKNOWN_LAYER, "layer '" + layer + "' of shape " + selected.shape()
                    + " is not a channels-first map; exported CAMs need a layer of shape [N,C,H,W]"
                    + " (see 'xai4j inspect')");
        }
        return selected;
    }

    private static void checkDefaults(String name, ExportedMethod method, MethodDescriptor descriptor,
            Parameters parameters) {
        List<String> fixed = new ArrayList<>();
        for (ParameterSpec spec : descriptor.parameters()) {
            if (method.takesAllParameters() || method.parameters().contains(spec.name())) {
                continue;
            }
            fixed.add(spec.defaultValue() == null ? spec.name() + " unset" : spec.name() + "=" + spec.defaultValue());
            String value = parameters.asText().get(spec.name());
            if (value != null && !value.equals(spec.defaultValue())) {
                throw new XaiException(ErrorCode.INVALID_PARAMETER, "parameter " + spec.name() + "=" + value
                        + " of method '" + name + "' cannot be exported; exported " + name + " supports "
                        + (method.parameters().isEmpty() ? "no parameters" : String.join(", ", new TreeSet<>(method.parameters())))
                        + " and keeps " + String.join(", ", fixed) + " at the default");
            }
        }
    }
}
