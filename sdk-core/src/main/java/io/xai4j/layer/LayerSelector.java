package io.xai4j.layer;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.LayerInfo;
import io.xai4j.spi.Model;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the layer a layer method attributes to.
 *
 * <p>A given reference is, in this order: a model input (a layer's input, as Captum's
 * {@code attribute_to_layer_input} of the first layer); a tensor name; a node name (its first output); or a scope such as
 * {@code layer4}, {@code /layer4/} or {@code layer4/layer4.1} from a framework export, whose last tensor in
 * topological order is taken (the last one of rank 3 or more when there is one). Scopes match whole
 * '/'-separated segments of node names. An unknown reference fails with {@link ErrorCode#UNKNOWN_LAYER}
 * listing the closest valid names.
 *
 * <p>A layer must hold the batch on its first axis: a given one that does not (the raw output of an LSTM, GRU or
 * RNN, [T, directions, N, H]) is a usage error, and the automatic choice passes over such tensors.
 *
 * <p>Without a reference the layer is chosen among the tensors the target output depends on. A target output
 * that is itself a map {@code [N,classes,H,W]} with {@code H*W > 1} (segmentation) gets the features its
 * classifier convolution reads: walking back from the output over Resize, Upsample, Identity, Dropout, Softmax,
 * Sigmoid and the Add of classifier branches to the Conv nodes with {@code classes} output channels, their input
 * before any Resize that only upsamples it, of several the one with the smallest spatial size (the deepest).
 *
 * <p>Otherwise, when the head starts with a global pooling (GlobalAveragePool or GlobalMaxPool, not a
 * squeeze-excitation one) whose input has {@code H*W > 1}, that input; when that input is 1x1 (a small image),
 * the last {@code [N,C,H,W]} tensor with {@code H*W > 1} on the main path, outside the branches of a block.
 * Otherwise the last {@code [N,C,H,W]} tensor with {@code H*W > 1}, which is the input of the pooling or flatten
 * before the head (a channels-last {@code [N,H,W,C]} one, see {@link ChannelsLast}, counts with its own H and W).
 * Either way stepping back over shape-keeping AveragePool, Identity and Dropout nodes (an adaptive pool to the
 * size the map already has is exported as such an AveragePool) and over a Transpose to channels-last, to the
 * channels-first map it was made from.
 *
 * <p>Models whose last such tensor comes before their token tensors {@code [N,T,C]} (vision transformers; 4-D
 * tensors with a dimension equal to a token count, such as attention maps, do not count) get a token tensor
 * whose {@code T} fits a square grid (with or without a class token): when the head reads the mean of the
 * tokens, the last one; when it reads the class token, the normalised input of the last attention (the last
 * layer normalisation before the last attention Softmax: a LayerNormalization node or the
 * ReduceMean/Sub/Pow/Sqrt/Div ops it is exported as before opset 17), or, without such a norm, the input of the
 * last attention block (the residual stream the last Softmax depends on), since later token tensors reach the
 * class token only through that token.
 *
 * <p>For a sequence input ({@code [N,T]} token ids or {@code [N,T,F]} features) without such maps, the last
 * {@code [N,T,C]} tensor over its T time steps (the batch-first output of a recurrent layer, for instance), read as a
 * row of time steps; it is chosen before token tensors.
 */
public final class LayerSelector {
    private static final Logger LOG = LoggerFactory.getLogger(LayerSelector.class);
    private static final Set<String> SHAPE_KEEPING = Set.of("AveragePool", "Identity", "Dropout");
    private static final Set<String> GLOBAL_POOLING = Set.of("GlobalAveragePool", "GlobalMaxPool");
    private static final Set<String> CLASS_TOKEN_READOUT = Set.of("Gather", "Slice", "Squeeze", "Split");

    private static final PerModelCache<Key, SelectedLayer> SELECTED = new PerModelCache<>();

    private LayerSelector() {
    }

    /** What a selection depends on besides the model. */
    private record Key(Map<String, List<Integer>> shapes, String reference, String output) {
    }

    /**
     * Selects the layer, once per model and arguments: later calls with the same arguments on the same model
     * return the first result without listing the layers again ({@link PerModelCache}).
     *
     * @param model        the model
     * @param inputShapes  input shapes for the probe run that gives layer shapes (batch of one is enough)
     * @param reference    the user's layer reference, or null to choose automatically
     * @param targetOutput the output being explained, or null for the first output
     */
    public static SelectedLayer select(Model model, Map<String, int[]> inputShapes, String reference,
            String targetOutput) {
        Map<String, List<Integer>> shapes = new TreeMap<>();
        inputShapes.forEach((name, shape) -> shapes.put(name, Arrays.stream(shape).boxed().toList()));
        return SELECTED.get(model, new Key(shapes, reference, targetOutput),
                k -> resolve(model, inputShapes, reference, targetOutput));
    }

    private static SelectedLayer resolve(Model model, Map<String, int[]> inputShapes, String reference,
            String targetOutput) {
        if (reference != null && model.signature().inputNames().contains(reference)
                && inputShapes.containsKey(reference)) {
            return new SelectedLayer(reference, Arrays.stream(inputShapes.get(reference)).mapToObj(d -> (long) d)
                    .toList(), false, "model input '" + reference + "'");
        }
        List<LayerInfo> layers;
        try {
            layers = model.layers(inputShapes);
        } catch (UnsupportedOperationException e) {
            if (reference != null) {
                return new SelectedLayer(reference, List.of(), false, "tensor '" + reference
                        + "' (not checked: the backend does not list its layers)");
            }
            throw new XaiException(ErrorCode.UNKNOWN_LAYER, "this model's backend does not list its layers, so no"
                    + " layer can be chosen automatically; give one with --layer", e);
        }
        int batch = probeBatch(model, inputShapes);
        if (reference != null) {
            SelectedLayer given = LayerNames.resolve(layers, reference).orElseThrow(() -> new XaiException(
                    ErrorCode.UNKNOWN_LAYER, "unknown layer '" + reference + "'; closest tensor and node names: "
                            + String.join(", ", LayerNames.closest(layers, reference))
                            + " (list all with 'xai4j inspect --model FILE')"));
            if (given.shape().isEmpty() || given.shape().get(0) != batch) {
                throw new XaiException(ErrorCode.UNKNOWN_LAYER, "layer '" + given.tensor() + "' has shape "
                        + given.shape() + " for a batch of " + batch + ": its first axis is not the batch (as in the"
                        + " raw [T, directions, N, H] output of an LSTM, GRU or RNN), and layer methods need one whose"
                        + " first axis is; choose another with --layer (see 'xai4j inspect --model FILE')");
            }
            return given;
        }
        String output = targetOutput != null ? targetOutput : model.signature().firstOutput().name();
        SelectedLayer chosen = automatic(layers, model.graph(), output, batch, timeSteps(model, inputShapes));
        LOG.info("no layer given; using '{}' {}: {}", chosen.tensor(), chosen.shape(), chosen.reason());
        return chosen;
    }

    /** The batch of the probe run: the first axis of the first input's shape, 1 when none is given. */
    private static int probeBatch(Model model, Map<String, int[]> inputShapes) {
        int[] shape = inputShapes.get(model.signature().firstInput().name());
        return shape == null || shape.length == 0 ? 1 : shape[0];
    }

    /** The time steps T of a sequence input ([N,T] ids or [N,T,F] features); 0 for other inputs. */
    private static int timeSteps(Model model, Map<String, int[]> inputShapes) {
        int[] shape = inputShapes.get(model.signature().firstInput().name());
        return shape != null && (shape.length == 2 || shape.length == 3) ? shape[1] : 0;
    }

    /**
     * The automatic choice among {@code layers}: a map, sequence or token tensor that holds the batch on its first
     * axis (other tensors still count for the structure, such as attention maps [N*heads,T,T]).
     *
     * @param batch the batch of the probe run that gave the layers' shapes
     * @param steps the time steps of a sequence input, or 0
     */
    static SelectedLayer automatic(List<LayerInfo> layers, Optional<GraphView> graph, String output, int batch,
            int steps) {
        Set<String> relevant = graph.map(g -> g.ancestors(output)).orElse(null);
        List<LayerInfo> pool = layers.stream().filter(l -> relevant == null || relevant.contains(l.tensor())).toList();
        List<LayerInfo> tokens = pool.stream().filter(l -> fitsGrid(l) && l.shape().get(0) == batch).toList();
        Set<Long> tokenCounts = tokens.stream().map(l -> l.shape().get(1)).collect(java.util.stream.Collectors.toSet());
        int spatial = -1;
        for (int i = 0; i < pool.size(); i++) {
            String tensor = pool.get(i).tensor();
            List<Long> s = pool.get(i).shape();
            if (s.size() != 4 || s.get(0) != batch) {
                continue;
            }
            boolean channelsLast = graph.map(g -> ChannelsLast.is(g, tensor)).orElse(false);
            long height = s.get(channelsLast ? 1 : 2);
            long width = s.get(channelsLast ? 2 : 3);
            if (height * width > 1 && !tokenCounts.contains(height) && !tokenCounts.contains(width)) {
                spatial = i;
            }
        }
        int lastToken = tokens.isEmpty() ? -1 : pool.indexOf(tokens.get(tokens.size() - 1));
        Optional<SelectedLayer> classifierInput = graph.flatMap(g -> segmentationFeatures(pool, g, output));
        if (classifierInput.isPresent()) {
            return classifierInput.get();
        }
        LayerInfo pooled = graph.map(g -> headPoolingInput(pool, g)).orElse(null);
        if (pooled != null && spatialSize(pooled) > 1) {
            return chosen(beforeIdentityPooling(pooled, pool, graph), "the input of the global pooling before the"
                    + " head of output '" + output + "'");
        }
        LayerInfo onMainPath = pooled == null ? null : lastMapOnMainPath(pool, graph.get(), pool.indexOf(pooled));
        if (onMainPath != null) {
            return chosen(onMainPath, "the last [N,C,H,W] activation with a spatial size above 1 on the main path of"
                    + " output '" + output + "' (the input of its head's global pooling is 1x1)");
        }
        if (spatial >= 0 && spatial > lastToken) {
            LayerInfo map = beforeIdentityPooling(pool.get(spatial), pool, graph);
            boolean channelsLast = graph.map(g -> ChannelsLast.is(g, map.tensor())).orElse(false);
            return chosen(map, "the last " + (channelsLast ? "channels-last [N,H,W,C]" : "[N,C,H,W]") + " activation"
                    + " with a spatial size above 1 before the pooling or flatten of the head of output '" + output
                    + "'");
        }
        Optional<LayerInfo> overTime = steps <= 1 ? Optional.empty() : pool.stream()
                .filter(l -> l.shape().size() == 3 && l.shape().get(0) == batch && l.shape().get(1) == steps
                        && !l.tensor().equals(output))
                .reduce((first, second) -> second);
        if (overTime.isPresent()) {
            return chosen(overTime.get(), "the last [N,T,C] tensor over the input's " + steps + " time steps that"
                    + " output '" + output + "' depends on, read as a row of time steps");
        }
        if (tokens.isEmpty()) {
            throw new XaiException(ErrorCode.UNKNOWN_LAYER, "no layer could be chosen automatically for output '"
                    + output + "': it depends on no [N,C,H,W] activation with a spatial size above 1, no [N,T,C]"
                    + " tensor over the time steps of a sequence input and no [N,T,C] token tensor on a square grid,"
                    + " each with the batch on its first axis; give one with --layer (see 'xai4j inspect --model"
                    + " FILE')");
        }
        LayerInfo last = tokens.get(tokens.size() - 1);
        Optional<SelectedLayer> beforeAttention = graph.filter(g -> readsClassToken(g, last.tensor()))
                .flatMap(g -> beforeLastAttention(pool, g, last));
        if (beforeAttention.isPresent()) {
            return beforeAttention.get();
        }
        return chosen(last, "the last token tensor [N,T,C] before the head of output '" + output
                + "' (a grid of patches for images, a row of time steps for sequences)");
    }

    /**
     * For a target output that is itself a map {@code [N,classes,H,W]} with {@code H*W > 1}: the features its
     * classifier convolution reads. Empty for other outputs and when no classifier is found.
     */
    private static Optional<SelectedLayer> segmentationFeatures(List<LayerInfo> pool, GraphView graph, String output) {
        LayerInfo target = pool.stream().filter(l -> l.tensor().equals(output)).findFirst().orElse(null);
        if (target == null || target.shape().size() != 4 || spatialSize(target) <= 1) {
            return Optional.empty();
        }
        return SegmentationHead.classifierFeatures(pool, graph, target).map(f -> chosen(
                beforeIdentityPooling(f.layer(), pool, Optional.of(graph)), "the features that feed the classifier"
                        + " of the segmentation output '" + output + "'" + (f.branches() > 1
                                ? " (the deepest of its " + f.branches() + " classifier branches)" : "")));
    }

    /**
     * For a head that reads the class token of {@code last}: the normalised input of the last attention, or
     * without a norm there the input of the last attention block. Empty without an attention Softmax.
     */
    private static Optional<SelectedLayer> beforeLastAttention(List<LayerInfo> pool, GraphView graph, LayerInfo last) {
        int softmax = AttentionBlocks.lastSoftmax(pool);
        if (softmax < 0) {
            return Optional.empty();
        }
        Optional<LayerInfo> norm = AttentionBlocks.lastNormBefore(pool, graph, softmax, last.shape());
        if (norm.isPresent()) {
            return norm.map(l -> chosen(l, "the head reads the class token, so the normalised input of the last"
                    + " attention block, a token layer read as a grid"));
        }
        return AttentionBlocks.blockInput(pool, graph, softmax, last.shape()).map(l -> chosen(l, "the head reads the"
                + " class token, so the input of the last attention block (later grid tokens reach the class token no"
                + " more), a token layer read as a grid"));
    }

    /**
     * Steps back over ops that keep the shape and only smooth or copy (an adaptive average pool exported for
     * a map that already has its output size, Identity, Dropout), so the map is of the features themselves,
     * and over a Transpose to channels-last {@code [N,H,W,C]} (as tf2onnx exports put before the head), to the
     * same map as {@code [N,C,H,W]}.
     */
    private static LayerInfo beforeIdentityPooling(LayerInfo layer, List<LayerInfo> pool, Optional<GraphView> graph) {
        LayerInfo current = layer;
        while (graph.isPresent()) {
            GraphView g = graph.get();
            Optional<String> channelsFirst = current.shape().size() == 4
                    ? ChannelsLast.channelsFirstSource(g, current.tensor()) : Optional.empty();
            String input = channelsFirst.isPresent() ? channelsFirst.get() : SHAPE_KEEPING.contains(current.opType())
                    ? g.producer(current.tensor()).flatMap(n -> n.input(0)).orElse(null) : null;
            LayerInfo previous = pool.stream().filter(l -> l.tensor().equals(input)).findFirst().orElse(null);
            if (previous == null || (channelsFirst.isEmpty() ? !previous.shape().equals(current.shape())
                    : previous.shape().size() != 4)) {
                break;
            }
            current = previous;
        }
        return current;
    }

    /**
     * The [N,C,H,W] input of the head's global pooling: the last GlobalAveragePool or GlobalMaxPool after which
     * no tensor on the way to the output is larger than the pooled one (a squeeze-excitation pool is followed by
     * the full map it rescales). Null when there is none.
     */
    private static LayerInfo headPoolingInput(List<LayerInfo> pool, GraphView graph) {
        for (int i = pool.size() - 1; i >= 0; i--) {
            LayerInfo l = pool.get(i);
            if (!GLOBAL_POOLING.contains(l.opType()) || l.shape().size() != 4) {
                continue;
            }
            long size = elements(l);
            if (pool.subList(i + 1, pool.size()).stream().anyMatch(later -> elements(later) > size)) {
                return null;
            }
            String input = graph.producer(l.tensor()).flatMap(n -> n.input(0)).orElse(null);
            return pool.stream().filter(p -> p.tensor().equals(input) && p.shape().size() == 4).findFirst()
                    .orElse(null);
        }
        return null;
    }

    /**
     * The last [N,C,H,W] tensor with {@code H*W > 1} before {@code end} that every path to the output passes
     * through: no activation of rank 3 or more produced before it is read after it (so not a tensor inside a
     * branch of an Inception block). Null when there is none.
     */
    private static LayerInfo lastMapOnMainPath(List<LayerInfo> pool, GraphView graph, int end) {
        List<GraphNode> nodes = graph.nodes();
        Map<String, Integer> producedAt = new HashMap<>();
        Map<String, Integer> lastReadAt = new HashMap<>();
        for (int n = 0; n < nodes.size(); n++) {
            for (String out : nodes.get(n).outputs()) {
                producedAt.put(out, n);
            }
            for (String in : nodes.get(n).inputs()) {
                lastReadAt.put(in, n);
            }
        }
        Set<String> activations = pool.stream().filter(l -> l.shape().size() >= 3).map(LayerInfo::tensor)
                .collect(java.util.stream.Collectors.toSet());
        // latestRead[n]: the last node reading an activation produced by a node before n
        int[] latestRead = new int[nodes.size() + 1];
        latestRead[0] = -1;
        for (int n = 0; n < nodes.size(); n++) {
            int latest = latestRead[n];
            for (String out : nodes.get(n).outputs()) {
                if (activations.contains(out)) {
                    latest = Math.max(latest, lastReadAt.getOrDefault(out, -1));
                }
            }
            latestRead[n + 1] = latest;
        }
        for (int i = end - 1; i >= 0; i--) {
            LayerInfo l = pool.get(i);
            Integer at = producedAt.get(l.tensor());
            if (l.shape().size() == 4 && spatialSize(l) > 1 && at != null && latestRead[at] <= at) {
                return l;
            }
        }
        return null;
    }

    /** H*W of an [N,C,H,W] layer. */
    static long spatialSize(LayerInfo l) {
        return l.shape().get(2) * l.shape().get(3);
    }

    private static long elements(LayerInfo l) {
        return l.shape().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
    }

    private static SelectedLayer chosen(LayerInfo l, String reason) {
        return new SelectedLayer(l.tensor(), l.shape(), true, reason);
    }

    private static boolean fitsGrid(LayerInfo l) {
        if (l.shape().size() != 3 || l.shape().get(1) < 2 || l.shape().get(2) < 2) {
            return false;
        }
        long t = l.shape().get(1);
        for (long skip = 0; skip <= 1; skip++) {
            long side = Math.round(Math.sqrt(t - skip));
            if (side > 1 && side * side == t - skip) {
                return true;
            }
        }
        return false;
    }

    private static boolean readsClassToken(GraphView graph, String tensor) {
        List<GraphNode> consumers = graph.consumers(tensor);
        return !consumers.isEmpty() && consumers.stream().allMatch(n -> CLASS_TOKEN_READOUT.contains(n.opType()));
    }
}
