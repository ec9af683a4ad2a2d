package io.xai4j.family.cam;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.layer.ChannelsLast;
import io.xai4j.layer.GraphNode;
import io.xai4j.layer.GraphView;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The classifier weights of the original CAM, read from a graph whose layer feeds global average pooling
 * (GlobalAveragePool, or ReduceMean over H and W) and then a linear layer (Gemm, or MatMul with an optional Add),
 * possibly through Flatten, Reshape, Squeeze or Identity. Between the linear layer and the target output only
 * Softmax, LogSoftmax, Sigmoid and shape ops may follow. Other graphs fail with a message naming what was found.
 */
public final class ClassifierHead {
    private static final Set<String> PASS_THROUGH = Set.of("Flatten", "Reshape", "Squeeze", "Identity");
    private static final Set<String> AFTER_HEAD = Set.of("Softmax", "LogSoftmax", "Sigmoid", "Identity", "Flatten",
            "Reshape", "Squeeze");

    private final GraphView graph;
    private final String layer;

    private ClassifierHead(GraphView graph, String layer) {
        this.graph = graph;
        this.layer = layer;
    }

    /**
     * The weights {@code [classes][channels]} of the linear layer after the global average pooling of {@code layer}
     * (Gemm's {@code alpha} included), checked to reach {@code output}.
     *
     * @param channelsLast whether the layer is {@code [N,H,W,C]}
     * @throws XaiException {@link ErrorCode#UNSUPPORTED_OP} when the graph has no such head
     */
    public static float[][] weights(GraphView graph, String layer, boolean channelsLast, int channels, String output) {
        ClassifierHead head = new ClassifierHead(graph, layer);
        return head.linear(head.globalAveragePool(channelsLast), channels, output);
    }

    /** The error for a layer or model without the head, naming what was {@code found}. */
    public static XaiException unsupported(String found) {
        return new XaiException(ErrorCode.UNSUPPORTED_OP, "cam needs a model whose layer feeds global average"
                + " pooling and then a linear layer (as ResNet); " + found + ". Use grad-cam, which works for any"
                + " differentiable model");
    }

    /**
     * The pooled tensor: the output of the global average pooling that reads the layer, directly or after a
     * Transpose to channels-last (tf2onnx exports pool {@code [N,H,W,C]} with a ReduceMean over H and W).
     */
    private String globalAveragePool(boolean channelsLast) {
        List<GraphNode> readers = consumers(layer);
        for (GraphNode n : readers) {
            if (!channelsLast && n.opType().equals("GlobalAveragePool") || isSpatialMean(n, channelsLast)) {
                return n.outputs().get(0);
            }
            if (!channelsLast && ChannelsLast.channelsFirstSource(graph, n.outputs().get(0)).isPresent()) {
                for (GraphNode m : consumers(n.outputs().get(0))) {
                    if (isSpatialMean(m, true)) {
                        return m.outputs().get(0);
                    }
                }
            }
        }
        throw unsupported("layer '" + layer + "' is read by " + describe(readers)
                + ", not by global average pooling (GlobalAveragePool, or ReduceMean over H and W)");
    }

    /** Whether {@code node} is a ReduceMean over the spatial axes: 2 and 3, or 1 and 2 when channels-last. */
    private boolean isSpatialMean(GraphNode node, boolean channelsLast) {
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

    private float[][] linear(String pooled, int channels, String output) {
        String t = pooled;
        GraphNode next = single(t);
        while (PASS_THROUGH.contains(next.opType())) {
            t = next.outputs().get(0);
            next = single(t);
        }
        float[][] weights;
        String logits = next.outputs().get(0);
        if (next.opType().equals("Gemm") && next.intAttribute("transA").orElse(0L) == 0) {
            Tensor b = constantInput(next, 1);
            boolean transB = next.intAttribute("transB").orElse(0L) == 1;
            weights = matrix(b, transB, next.floatAttribute("alpha").orElse(1.0));
        } else if (next.opType().equals("MatMul")) {
            weights = matrix(constantInput(next, 1), false, 1.0);
            List<GraphNode> after = consumers(logits);
            if (after.size() == 1 && after.get(0).opType().equals("Add")) {
                logits = after.get(0).outputs().get(0);
            }
        } else {
            throw unsupported("the pooled activations reach " + describe(List.of(next))
                    + ", not a linear layer (Gemm, or MatMul with a constant weight)");
        }
        if (weights.length == 0 || weights[0].length != channels) {
            throw unsupported("the linear layer's weights have " + (weights.length == 0 ? 0 : weights[0].length)
                    + " inputs, but layer '" + layer + "' has " + channels + " channels");
        }
        checkReaches(logits, output);
        return weights;
    }

    private void checkReaches(String logits, String output) {
        String t = logits;
        while (!t.equals(output)) {
            List<GraphNode> after = consumers(t);
            if (after.size() != 1 || !AFTER_HEAD.contains(after.get(0).opType())) {
                throw unsupported("the target output '" + output + "' is not the output of the linear layer"
                        + " after global average pooling ('" + logits + "' is read by " + describe(after) + ")");
            }
            t = after.get(0).outputs().get(0);
        }
    }

    private Tensor constantInput(GraphNode node, int index) {
        return node.input(index).flatMap(graph::constant).filter(t -> t.rank() == 2).orElseThrow(() -> unsupported(
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

    private GraphNode single(String tensor) {
        List<GraphNode> readers = consumers(tensor);
        if (readers.size() != 1) {
            throw unsupported("'" + tensor + "' is read by " + describe(readers) + ", expected one linear layer");
        }
        return readers.get(0);
    }

    private List<GraphNode> consumers(String tensor) {
        return graph.consumers(tensor).stream().filter(n -> !n.opType().equals("Shape")).toList();
    }

    private static String describe(List<GraphNode> nodes) {
        return nodes.isEmpty() ? "no node" : nodes.stream().map(n -> n.opType() + " '" + n.name() + "'")
                .collect(Collectors.joining(", "));
    }
}
