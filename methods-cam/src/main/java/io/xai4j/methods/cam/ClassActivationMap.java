package io.xai4j.methods.cam;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.cam.CamJob;
import io.xai4j.family.cam.CamMethod;
import io.xai4j.family.cam.Maps;
import io.xai4j.layer.ChannelsLast;
import io.xai4j.layer.GraphNode;
import io.xai4j.layer.GraphView;
import io.xai4j.layer.LayerLayout;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The original CAM (Zhou et al. 2016), for models whose layer feeds global average pooling (GlobalAveragePool,
 * or ReduceMean over H and W) and then a linear layer (Gemm, or MatMul with an optional Add), possibly through
 * Flatten, Reshape, Squeeze or Identity. The class weights are read from the graph's constants:
 * {@code map = ReLU(sum_c W[target, c] A_c)}, so that the mean of the map before the ReLU is the target logit
 * minus its bias. Between the linear layer and the target output only Softmax, LogSoftmax, Sigmoid and shape
 * ops may follow. Other models fail with a message naming what was found; grad-cam works for them.
 */
public final class ClassActivationMap extends CamMethod {
    private static final Set<String> PASS_THROUGH = Set.of("Flatten", "Reshape", "Squeeze", "Identity");
    private static final Set<String> AFTER_HEAD = Set.of("Softmax", "LogSoftmax", "Sigmoid", "Identity", "Flatten",
            "Reshape", "Squeeze");
    private static final MethodDescriptor DESCRIPTOR = descriptor("cam",
            "CAM: activations weighted by the classifier weights after global average pooling (no gradients)",
            layerOnly(), List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected boolean needsPositions() {
        return true;
    }

    @Override
    protected Tensor maps(CamJob job) {
        GraphView graph = job.context().model().graph().orElseThrow(() -> new XaiException(ErrorCode.MISSING_CAPABILITY,
                "cam reads the classifier weights from the model graph, which this model's backend does not expose;"
                        + " use grad-cam, which needs only gradients"));
        Tensor raw = job.activations();
        LayerLayout layout = job.layout(raw);
        if (layout.tokens()) {
            throw unsupported(job, "layer '" + job.layer() + "' is a token layer " + Arrays.toString(raw.shape())
                    + ", not a convolutional one followed by global average pooling");
        }
        float[][] weights = linear(job, graph, globalAveragePool(job, graph, layout.channelsLast()), layout.channels());
        Tensor grid = layout.toGrid(raw);
        Tensor maps = Tensor.zeros(job.examples(), 1, layout.height(), layout.width());
        for (int n = 0; n < job.examples(); n++) {
            double[] w = new double[layout.channels()];
            for (int k : job.target().indices().get(n)) {
                if (k >= weights.length) {
                    throw new XaiException(ErrorCode.UNKNOWN_TARGET, "target index " + k + " is outside the "
                            + weights.length + " classes of the linear layer");
                }
                for (int c = 0; c < w.length; c++) {
                    w[c] += weights[k][c];
                }
            }
            Maps.weightedSum(grid.row(n), w, true, Maps.mapOf(maps, n));
        }
        return maps;
    }

    /**
     * The pooled tensor: the output of the global average pooling that reads the layer, directly or after a
     * Transpose to channels-last (tf2onnx exports pool {@code [N,H,W,C]} with a ReduceMean over H and W).
     */
    private static String globalAveragePool(CamJob job, GraphView graph, boolean channelsLast) {
        List<GraphNode> readers = consumers(graph, job.layer());
        for (GraphNode n : readers) {
            if (!channelsLast && n.opType().equals("GlobalAveragePool") || isSpatialMean(graph, n, channelsLast)) {
                return n.outputs().get(0);
            }
            if (!channelsLast && ChannelsLast.channelsFirstSource(graph, n.outputs().get(0)).isPresent()) {
                for (GraphNode m : consumers(graph, n.outputs().get(0))) {
                    if (isSpatialMean(graph, m, true)) {
                        return m.outputs().get(0);
                    }
                }
            }
        }
        throw unsupported(job, "layer '" + job.layer() + "' is read by " + describe(readers)
                + ", not by global average pooling (GlobalAveragePool, or ReduceMean over H and W)");
    }

    /** Whether {@code node} is a ReduceMean over the spatial axes: 2 and 3, or 1 and 2 when channels-last. */
    private static boolean isSpatialMean(GraphView graph, GraphNode node, boolean channelsLast) {
        if (!node.opType().equals("ReduceMean")) {
            return false;
        }
        List<Long> axes = node.intsAttribute("axes").orElseGet(() -> node.input(1).flatMap(graph::constant)
                .map(t -> {
                    float[] v = t.toArray();
                    Long[] a = new Long[v.length];
                    for (int i = 0; i < v.length; i++) {
                        a[i] = (long) v[i];
                    }
                    return List.of(a);
                }).orElse(List.of()));
        Set<Long> normalised = axes.stream().map(a -> a < 0 ? a + 4 : a).collect(Collectors.toSet());
        return normalised.equals(channelsLast ? Set.of(1L, 2L) : Set.of(2L, 3L));
    }

    /** The weights {@code [classes, C]} of the linear layer after {@code pooled}, checked to reach the target output. */
    private static float[][] linear(CamJob job, GraphView graph, String pooled, int channels) {
        String t = pooled;
        GraphNode next = single(job, graph, t);
        while (PASS_THROUGH.contains(next.opType())) {
            t = next.outputs().get(0);
            next = single(job, graph, t);
        }
        float[][] weights;
        String logits = next.outputs().get(0);
        if (next.opType().equals("Gemm") && next.intAttribute("transA").orElse(0L) == 0) {
            Tensor b = constantInput(job, graph, next, 1);
            boolean transB = next.intAttribute("transB").orElse(0L) == 1;
            weights = matrix(b, transB, next.floatAttribute("alpha").orElse(1.0));
        } else if (next.opType().equals("MatMul")) {
            weights = matrix(constantInput(job, graph, next, 1), false, 1.0);
            List<GraphNode> after = consumers(graph, logits);
            if (after.size() == 1 && after.get(0).opType().equals("Add")) {
                logits = after.get(0).outputs().get(0);
            }
        } else {
            throw unsupported(job, "the pooled activations reach " + describe(List.of(next))
                    + ", not a linear layer (Gemm, or MatMul with a constant weight)");
        }
        if (weights.length == 0 || weights[0].length != channels) {
            throw unsupported(job, "the linear layer's weights have " + (weights.length == 0 ? 0 : weights[0].length)
                    + " inputs, but layer '" + job.layer() + "' has " + channels + " channels");
        }
        checkReachesTarget(job, graph, logits);
        return weights;
    }

    private static void checkReachesTarget(CamJob job, GraphView graph, String logits) {
        String output = job.target().output();
        String t = logits;
        while (!t.equals(output)) {
            List<GraphNode> after = consumers(graph, t);
            if (after.size() != 1 || !AFTER_HEAD.contains(after.get(0).opType())) {
                throw unsupported(job, "the target output '" + output + "' is not the output of the linear layer"
                        + " after global average pooling ('" + logits + "' is read by " + describe(after) + ")");
            }
            t = after.get(0).outputs().get(0);
        }
    }

    private static Tensor constantInput(CamJob job, GraphView graph, GraphNode node, int index) {
        return node.input(index).flatMap(graph::constant).filter(t -> t.rank() == 2).orElseThrow(() -> unsupported(job,
                "the weight of " + describe(List.of(node)) + " is not a constant matrix"));
    }

    /** Rows are classes: {@code b} is {@code [classes, C]} when transposed, else {@code [C, classes]}. */
    private static float[][] matrix(Tensor b, boolean transposed, double alpha) {
        int classes = transposed ? b.dim(0) : b.dim(1);
        int channels = transposed ? b.dim(1) : b.dim(0);
        float[][] w = new float[classes][channels];
        for (int k = 0; k < classes; k++) {
            for (int c = 0; c < channels; c++) {
                w[k][c] = (float) (alpha * (transposed ? b.at(k, c) : b.at(c, k)));
            }
        }
        return w;
    }

    private static GraphNode single(CamJob job, GraphView graph, String tensor) {
        List<GraphNode> readers = consumers(graph, tensor);
        if (readers.size() != 1) {
            throw unsupported(job, "'" + tensor + "' is read by " + describe(readers) + ", expected one linear layer");
        }
        return readers.get(0);
    }

    private static List<GraphNode> consumers(GraphView graph, String tensor) {
        return graph.consumers(tensor).stream().filter(n -> !n.opType().equals("Shape")).toList();
    }

    private static String describe(List<GraphNode> nodes) {
        return nodes.isEmpty() ? "no node" : nodes.stream().map(n -> n.opType() + " '" + n.name() + "'")
                .collect(Collectors.joining(", "));
    }

    private static XaiException unsupported(CamJob job, String found) {
        return new XaiException(ErrorCode.UNSUPPORTED_OP, "cam needs a model whose layer feeds global average"
                + " pooling and then a linear layer (as ResNet); " + found + ". Use grad-cam, which works for any"
                + " differentiable model");
    }
}
