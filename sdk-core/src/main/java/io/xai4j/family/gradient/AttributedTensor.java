package io.xai4j.family.gradient;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.layer.ChannelsLast;
import io.xai4j.layer.Embeddings;
import io.xai4j.layer.GraphView;
import io.xai4j.layer.PerModelCache;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.Model;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tensor a gradient method attributes to: the request's input, or a layer, as Captum's layer methods do.
 * A layer is the request's layer when one is given, and otherwise, for an input that is not floating point, its
 * embedding lookup ({@link Embeddings}) for token ids, else the Cast that turns it into floating point (an
 * image fed as bytes). At a layer the method's points are the layer's values,
 * which the engine is fed in place of what the model computes, and a baseline given for the input is mapped
 * through the model: it becomes the layer's value when the input is the baseline. A model input given as the layer
 * (the input of the first layer) is attributed as it is.
 */
public final class AttributedTensor {
    /** ONNX element types FLOAT, FLOAT16, DOUBLE and BFLOAT16. */
    private static final Set<Long> FLOAT_TYPES = Set.of(1L, 10L, 11L, 16L);
    /** Per model and input that is not floating point, the layer attributed to instead. */
    private static final PerModelCache<String, Optional<Choice>> CHOICES = new PerModelCache<>();
    /** Per model and layer, whether it is an embedding lookup. */
    private static final PerModelCache<String, Boolean> LOOKUPS = new PerModelCache<>();
    private final String name;
    private final Tensor values;
    private final Map<String, Tensor> engineInputs;
    private final String layerSelection;
    /** The channel (feature) axis of a batch: the last one of an embedding lookup or a channels-last map. */
    private final int channelAxis;
    private final Model model;
    private final AttributionRequest request;

    private AttributedTensor(String name, Tensor values, Map<String, Tensor> engineInputs, String layerSelection,
            int channelAxis, Model model, AttributionRequest request) {
        this.name = name;
        this.values = values;
        this.engineInputs = engineInputs;
        this.layerSelection = layerSelection;
        this.channelAxis = channelAxis;
        this.model = model;
        this.request = request;
    }

    /**
     * What {@code method} attributes to for this request: the request's layer, the input, or for an input that is
     * not floating point its embedding lookup or its Cast to floating point.
     *
     * @throws XaiException {@link ErrorCode#INVALID_INPUT} when an integer input has neither
     */
    public static AttributedTensor of(AttributionContext context, AttributionRequest request, String method) {
        Model model = context.model();
        String input = request.inputName();
        String layer = request.layer().orElse(null);
        String selection = "given";
        if (layer == null) {
            if (model.signature().input(input).type().isFloatingPoint()) {
                request.exampleShape(method);
                return new AttributedTensor(input, request.input(), request.inputs(), null,
                        ChannelReduction.channelAxis(request.input().shape()), model, request);
            }
            Choice choice = CHOICES.get(model, input, i -> choose(model, i)).orElseThrow(() ->
                    new XaiException(ErrorCode.INVALID_INPUT, "method '" + method + "' cannot differentiate with"
                            + " respect to input '" + input + "' of type " + model.signature().input(input).type()
                            + " and found neither an embedding lookup (a Gather from a weight table) nor a Cast to"
                            + " floating point reading it; give the tensor to attribute to with --layer (see 'xai4j"
                            + " inspect'), or use a perturbation method (occlusion, feature-ablation)"));
            layer = choice.layer();
            selection = choice.selection();
        }
        Tensor values = layerValues(model, request.inputs(), layer);
        Map<String, Tensor> engineInputs = new LinkedHashMap<>(request.inputs());
        engineInputs.put(layer, values);
        return new AttributedTensor(layer, values, engineInputs, selection,
                layerChannelAxis(model, layer, values, request.input()), model, request);
    }

    /**
     * For an input that is not floating point, found once per model and input: its embedding lookup, else its Cast
     * to floating point, with how it was chosen; empty when it has neither.
     */
    private static Optional<Choice> choose(Model model, String input) {
        Optional<String> lookup = model.graph().flatMap(g -> Embeddings.lookupOf(g, input));
        if (lookup.isPresent()) {
            return Optional.of(new Choice(lookup.get(), "automatic: the embedding lookup of the token input '" + input
                    + "'"));
        }
        return model.graph().flatMap(g -> floatCastOf(g, input)).map(cast -> new Choice(cast, "automatic: the Cast of"
                + " the " + model.signature().input(input).type() + " input '" + input + "' to floating point, its"
                + " values as real numbers"));
    }

    /** The layer chosen for an input that is not floating point, and how. */
    private record Choice(String layer, String selection) {
    }

    /**
     * The feature axis of a layer: the last one of an embedding lookup or a channels-last map, the input's for a
     * layer shaped like the input (its Cast to float), else axis 1.
     */
    private static int layerChannelAxis(Model model, String layer, Tensor values, Tensor input) {
        boolean featuresLast = LOOKUPS.get(model, layer, l -> model.graph().map(g -> Embeddings.isLookup(g, l))
                .orElse(false)) || values.rank() == 4 && ChannelsLast.isIn(model, layer);
        if (featuresLast) {
            return values.rank() - 1;
        }
        return Arrays.equals(values.shape(), input.shape()) ? ChannelReduction.channelAxis(values.shape()) : 1;
    }

    /** The attributed tensor's name: the input's, or the layer's. */
    public String name() {
        return name;
    }

    /** Its values at the request's examples, batch first; never modify them. */
    public Tensor values() {
        return values;
    }

    /** What the gradient engine is fed for the examples: the model inputs and, at a layer, the layer's values. */
    public Map<String, Tensor> engineInputs() {
        return engineInputs;
    }

    /** How the layer was chosen ({@code given} or {@code automatic: ...}); null when the input is attributed. */
    public String layerSelection() {
        return layerSelection;
    }

    /** The channel (feature) axis of a batch of this tensor. */
    public int channelAxis() {
        return channelAxis;
    }

    /** The output of a Cast of {@code input} to a floating-point type (an integer image fed as bytes). */
    private static Optional<String> floatCastOf(GraphView graph, String input) {
        return graph.consumers(input).stream()
                .filter(n -> n.opType().equals("Cast") && n.input(0).filter(input::equals).isPresent())
                .filter(n -> n.intAttribute("to").filter(FLOAT_TYPES::contains).isPresent())
                .map(n -> n.outputs().get(0)).findFirst();
    }

    /** True when a layer, not the input, is attributed. */
    public boolean isLayer() {
        return layerSelection != null;
    }

    /**
     * Rows of the input ({@code [B, ...]}, e.g. baselines) as rows of the attributed tensor, for one example: the
     * rows themselves for the input, the layer's values with the other inputs of the example for a layer.
     */
    public Tensor fromInputRows(int example, Tensor inputRows) {
        if (!isLayer()) {
            return inputRows;
        }
        int rows = inputRows.dim(0);
        Map<String, Tensor> feed = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : request.inputs().entrySet()) {
            if (e.getKey().equals(request.inputName())) {
                feed.put(e.getKey(), inputRows);
            } else {
                feed.put(e.getKey(), e.getValue().rows(example, example + 1).repeatRows(rows));
            }
        }
        return layerValues(model, feed, name);
    }

    private static Tensor layerValues(Model model, Map<String, Tensor> inputs, String layer) {
        Tensor values = inputs.containsKey(layer) ? inputs.get(layer) : model.forward(inputs, Set.of(layer)).get(layer);
        int rows = inputs.values().iterator().next().dim(0);
        if (values == null || values.rank() < 2 || values.dim(0) != rows) {
            throw new XaiException(ErrorCode.UNKNOWN_LAYER, "layer '" + layer + "' gave "
                    + (values == null ? "no value" : "shape " + Arrays.toString(values.shape())) + " for a batch of "
                    + rows + "; gradient methods need a layer with the batch first and at least one more dimension");
        }
        return values;
    }
}
