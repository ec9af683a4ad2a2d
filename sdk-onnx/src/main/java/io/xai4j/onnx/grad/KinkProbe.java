package io.xai4j.onnx.grad;

import io.xai4j.onnx.Graphs;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Exposes the decisions of a model's piecewise-linear nodes, so that two runs tell whether a kink lies between their
 * inputs: the sign of a Relu's output, of a LeakyRelu's or PRelu's input, the bound a Clip applies (the sign of
 * input minus output), and the element of its window each MaxPool output takes (its position within the input's
 * spatial plane). Each decision is an extra float output named {@link #PREFIX} followed by the node's output.
 */
final class KinkProbe {
    /** Starts the name of every decision output; the node's output name follows. */
    static final String PREFIX = "kink:";
    /** Sign needs opset 9 and Mod opset 10. */
    private static final long MIN_OPSET = 10;

    private KinkProbe() {
    }

    /** The model with one decision output per Relu, LeakyRelu, PRelu, Clip and MaxPool node; unchanged below opset 10. */
    static ModelProto instrument(ModelProto model) {
        if (Graphs.opset(model) < MIN_OPSET) {
            return model;
        }
        GraphProto graph = model.getGraph();
        Set<String> taken = new HashSet<>();
        Graphs.freshName(graph, taken, PREFIX); // fills taken with the graph's names
        GraphProto.Builder g = graph.toBuilder();
        List<NodeProto> added = new ArrayList<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            String y = n.getOutputCount() > 0 ? n.getOutput(0) : "";
            if (y.isEmpty()) {
                continue;
            }
            String decision = switch (n.getOpType()) {
                case "Relu" -> node(added, taken, "Sign", y);
                case "LeakyRelu", "PRelu" -> node(added, taken, "Sign", n.getInput(0));
                case "Clip" -> node(added, taken, "Sign", node(added, taken, "Sub", n.getInput(0), y));
                case "MaxPool" -> {
                    String indices = n.getOutputCount() > 1 && !n.getOutput(1).isEmpty() ? n.getOutput(1) : null;
                    if (indices == null) {
                        indices = Graphs.freshName(graph, taken, y + "/indices");
                        g.setNode(i, n.toBuilder().clearOutput().addOutput(y).addOutput(indices));
                    }
                    yield node(added, taken, "Mod", indices, plane(g, added, taken, n.getInput(0)));
                }
                default -> null;
            };
            if (decision != null) {
                String out = Graphs.freshName(graph, taken, PREFIX + y);
                added.add(NodeProto.newBuilder().setOpType("Cast").setName(out).addInput(decision).addOutput(out)
                        .addAttribute(OnnxAttributes.of("to", (long) DataType.FLOAT_VALUE)).build());
                g.addOutput(Graphs.tensorValueInfo(out, DataType.FLOAT_VALUE));
            }
        }
        return model.toBuilder().setGraph(g.addAllNode(added)).build();
    }

    /** The number of elements of one spatial plane of {@code x[N,C,...]}: Size(x) / (N C). */
    private static String plane(GraphProto.Builder g, List<NodeProto> added, Set<String> taken, String x) {
        String shape = node(added, taken, "Shape", x);
        String[] axes = new String[2];
        for (int a = 0; a < 2; a++) {
            axes[a] = fresh(taken, "axis");
            g.addInitializer(Graphs.int64Tensor(axes[a], new long[] {a}));
        }
        String batchTimesChannels = node(added, taken, "Mul", node(added, taken, "Gather", shape, axes[0]),
                node(added, taken, "Gather", shape, axes[1]));
        return node(added, taken, "Div", node(added, taken, "Size", x), batchTimesChannels);
    }

    /** Appends {@code op(inputs)} to {@code added} and returns its output. */
    private static String node(List<NodeProto> added, Set<String> taken, String op, String... inputs) {
        String out = fresh(taken, op);
        added.add(NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(List.of(inputs)).addOutput(out).build());
        return out;
    }

    private static String fresh(Set<String> taken, String base) {
        String name = PREFIX + base;
        for (int i = 1; !taken.add(name); i++) {
            name = PREFIX + base + "_" + i;
        }
        return name;
    }
}
