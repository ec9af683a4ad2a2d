package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.UnrollGraph.BATCH;
import static io.xai4j.onnx.grad.UnrollGraph.shape;

import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Replaces selected LSTM, GRU and RNN nodes (opset 14+ semantics) by the equivalent unrolled graph of standard ops
 * for the probed sequence length, so that the ordinary backward rules differentiate them exactly. A sequence_lens
 * input is read at run time and applied through per-step masks ({@link SequenceMasks}), so lengths and batch size
 * stay free. The outputs keep their names; every other node stays as it is. Runs on the copy of the model used
 * for gradients.
 */
final class RecurrentUnroller {
    static final Set<String> OPS = Set.of("LSTM", "GRU", "RNN");

    private RecurrentUnroller() {
    }

    static boolean isRecurrent(NodeProto n) {
        return (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")) && OPS.contains(n.getOpType());
    }

    /**
     * Returns {@code model} with every recurrent node whose index is {@code selected} unrolled; {@code infos}
     * receives the shapes of the new tensors; {@code uniformInt} gives the one value all elements of an integer
     * tensor provably have (null if none), so that sequence_lens of the full length need no masks.
     */
    static ModelProto unroll(ModelProto model, Map<String, TensorInfo> infos, Function<String, Long> uniformInt,
            boolean[] selected) {
        GraphProto graph = model.getGraph();
        boolean any = false;
        for (int i = 0; i < graph.getNodeCount(); i++) {
            any |= selected[i] && isRecurrent(graph.getNode(i));
        }
        if (!any) {
            return model;
        }
        Set<String> used = new HashSet<>(infos.keySet());
        graph.getNodeList().forEach(n -> {
            used.addAll(n.getOutputList());
            used.add(n.getName());
        });
        graph.getInitializerList().forEach(t -> used.add(t.getName()));
        graph.getInputList().forEach(v -> used.add(v.getName()));
        graph.getOutputList().forEach(v -> used.add(v.getName()));
        List<NodeProto> nodes = new ArrayList<>();
        List<TensorProto> initializers = new ArrayList<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            if (!selected[i] || !isRecurrent(n)) {
                nodes.add(n);
                continue;
            }
            RecurrentSpec s = RecurrentSpec.parse(n, infos, uniformInt);
            TensorInfo x = infos.get(n.getInput(0));
            UnrollGraph g = new UnrollGraph(used, infos, GradientGraphBuilder.nodeName(n) + "/", x.elemType(),
                    s.batch(), x.isDynamic(1 - s.layout()));
            unroll(g, s);
            nodes.addAll(g.nodes);
            initializers.addAll(g.initializers);
        }
        return model.toBuilder().setGraph(graph.toBuilder().clearNode().addAllNode(nodes)
                .addAllInitializer(initializers)).build();
    }

    private static void unroll(UnrollGraph g, RecurrentSpec s) {
        String x = s.input(0);
        if (s.layout() == 1) {
            x = g.op("Transpose", shape(s.steps(), BATCH, s.inputSize()), List.of(x), OnnxAttributes.of("perm", 1L, 0L, 2L));
        }
        SequenceMasks masks = s.sequenceLens() == null ? null
                : new SequenceMasks(g, s.sequenceLens(), s.steps(), s.hidden());
        List<RecurrentDirection> directions = new ArrayList<>();
        for (int d = 0; d < s.directions(); d++) {
            RecurrentDirection direction = new RecurrentDirection(g, s, d, masks);
            direction.run(x);
            directions.add(direction);
        }
        int h = s.hidden();
        int dirs = s.directions();
        if (s.output(0) != null) {
            // layout 0: Y[T, D, B, H]; layout 1: Y[B, T, D, H]
            int timeAxis = s.layout();
            int[] step = s.layout() == 0 ? shape(1, 1, BATCH, h) : shape(BATCH, 1, 1, h);
            int[] direction = s.layout() == 0 ? shape(s.steps(), 1, BATCH, h) : shape(BATCH, s.steps(), 1, h);
            int[] all = s.layout() == 0 ? shape(s.steps(), dirs, BATCH, h) : shape(BATCH, s.steps(), dirs, h);
            List<String> perDirection = new ArrayList<>();
            for (RecurrentDirection d : directions) {
                List<String> steps = new ArrayList<>();
                for (String hidden : d.hiddenByTime) {
                    steps.add(g.op("Unsqueeze", step, List.of(hidden, g.longs(timeAxis, timeAxis + 1))));
                }
                perDirection.add(g.op("Concat", direction, steps, OnnxAttributes.of("axis", (long) timeAxis)));
            }
            g.identity(concat(g, perDirection, all, timeAxis + 1), s.output(0));
        }
        if (s.output(1) != null) {
            g.identity(finalState(g, s, directions.stream().map(d -> d.lastHidden).toList()), s.output(1));
        }
        if (s.node().getOpType().equals("LSTM") && s.output(2) != null) {
            g.identity(finalState(g, s, directions.stream().map(d -> d.lastCell).toList()), s.output(2));
        }
    }

    /** Y_h or Y_c: [D, B, H] (layout 0) or [B, D, H] (layout 1). */
    private static String finalState(UnrollGraph g, RecurrentSpec s, List<String> states) {
        int axis = s.layout();
        int h = s.hidden();
        List<String> parts = new ArrayList<>();
        for (String state : states) {
            parts.add(g.op("Unsqueeze", axis == 0 ? shape(1, BATCH, h) : shape(BATCH, 1, h),
                    List.of(state, g.longs(axis))));
        }
        int d = s.directions();
        return concat(g, parts, axis == 0 ? shape(d, BATCH, h) : shape(BATCH, d, h), axis);
    }

    private static String concat(UnrollGraph g, List<String> parts, int[] shape, int axis) {
        return parts.size() == 1 ? parts.get(0)
                : g.op("Concat", shape, parts, OnnxAttributes.of("axis", (long) axis));
    }
}
