package io.xai4j.onnx;

import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites a copy of a model exported with a fixed batch (of 1, or of any size B) so that the batch becomes the
 * symbol {@value #BATCH}. The result must still be verified by running it: fixed-batch exports bake the batch into
 * constants in ways that cannot all be detected statically, and a constant starting with B need not be a batch.
 */
public final class BatchRewriter {
    /** The symbol given to the batch dimension. */
    public static final String BATCH = "batch";
    private static final String PREFIX = "xai4j_batch";

    private BatchRewriter() {
    }

    /** The fixed leading dimension of the model's first runtime input, or 0 when it has none (or a symbol). */
    public static int fixedBatch(ModelProto model) {
        List<ValueInfoProto> inputs = Graphs.runtimeInputs(model.getGraph());
        if (inputs.isEmpty() || !inputs.get(0).getType().getTensorType().hasShape()) {
            return 0;
        }
        TensorShapeProto shape = inputs.get(0).getType().getTensorType().getShape();
        return shape.getDimCount() > 0 && shape.getDim(0).hasDimValue() ? (int) shape.getDim(0).getDimValue() : 0;
    }

    /**
     * The rewritten copy: symbolic batch on inputs and outputs whose leading dimension is the fixed batch B,
     * value_info cleared, Reshape shape constants with a leading B turned into 0 (copy the input's dim).
     *
     * @param fixBroadcasts also make constant shapes of Expand, ConstantOfShape and Tile that start with B follow
     *                      the runtime batch, where their data does not depend on the inputs
     */
    public static ModelProto rewrite(ModelProto model, boolean fixBroadcasts) {
        GraphProto graph = model.getGraph();
        long batch = fixedBatch(model);
        Set<String> runtime = new HashSet<>();
        Graphs.runtimeInputs(graph).forEach(v -> runtime.add(v.getName()));
        GraphProto.Builder g = graph.toBuilder().clearValueInfo();
        for (int i = 0; i < g.getInputCount(); i++) {
            if (runtime.contains(g.getInput(i).getName()) && leadingIs(g.getInput(i), batch)) {
                g.setInput(i, withSymbolicBatch(g.getInput(i)));
            }
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            if (leadingIs(g.getOutput(i), batch)) {
                g.setOutput(i, withSymbolicBatch(g.getOutput(i)));
            }
        }
        Set<String> taken = new HashSet<>();
        Set<String> dependent = inputDependent(graph, runtime);
        String batchValue = null;
        String firstInput = Graphs.runtimeInputs(graph).get(0).getName();
        List<NodeProto> added = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto node = g.getNode(i);
            String op = node.getOpType();
            boolean defaultDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
            if (!defaultDomain) {
                continue;
            }
            if (op.equals("Reshape") && node.getInputCount() > 1 && allowZero(node) == 0) {
                Optional<long[]> shape = leading(graph, node.getInput(1), batch);
                if (shape.isPresent()) {
                    long[] fixed = shape.get().clone();
                    fixed[0] = 0;
                    String name = Graphs.freshName(graph, taken, node.getInput(1) + "_" + PREFIX);
                    g.addInitializer(Graphs.int64Tensor(name, fixed, fixed.length));
                    g.setNode(i, node.toBuilder().setInput(1, name).build());
                }
            } else if (fixBroadcasts && broadcastShapeInput(node, dependent) >= 0) {
                int at = broadcastShapeInput(node, dependent);
                Optional<long[]> shape = leading(graph, node.getInput(at), batch);
                if (shape.isPresent()) {
                    if (batchValue == null) {
                        batchValue = batchNodes(graph, taken, firstInput, g, added);
                    }
                    long[] tail = Arrays.copyOfRange(shape.get(), 1, shape.get().length);
                    String tailName = Graphs.freshName(graph, taken, node.getInput(at) + "_" + PREFIX + "_tail");
                    g.addInitializer(Graphs.int64Tensor(tailName, tail, tail.length));
                    String joined = Graphs.freshName(graph, taken, node.getInput(at) + "_" + PREFIX);
                    added.add(NodeProto.newBuilder().setOpType("Concat").setName(joined)
                            .addInput(batchValue).addInput(tailName).addOutput(joined)
                            .addAttribute(AttributeProto.newBuilder().setName("axis").setI(0)
                                    .setType(AttributeProto.AttributeType.INT)).build());
                    g.setNode(i, node.toBuilder().setInput(at, joined).build());
                }
            }
        }
        if (!added.isEmpty()) {
            List<NodeProto> nodes = new ArrayList<>(added);
            nodes.addAll(g.getNodeList());
            g.clearNode().addAllNode(nodes);
        }
        dropUnusedInitializers(g, graph);
        return model.toBuilder().setGraph(g).build();
    }

    /**
     * Removes initializers and Constant nodes that the rewrite left without consumers (unused ones of the original
     * are kept).
     */
    private static void dropUnusedInitializers(GraphProto.Builder g, GraphProto original) {
        Set<String> usedBefore = consumed(original.getNodeList(), original.getOutputList());
        Set<String> usedByRewrite = consumed(g.getNodeList(), g.getOutputList());
        List<NodeProto> nodes = g.getNodeList().stream().filter(n -> !n.getOpType().equals("Constant")
                || n.getOutputList().stream().anyMatch(o -> usedByRewrite.contains(o) || !usedBefore.contains(o)))
                .toList();
        g.clearNode().addAllNode(nodes);
        Set<String> usedAfter = consumed(g.getNodeList(), g.getOutputList());
        List<TensorProto> kept = g.getInitializerList().stream()
                .filter(t -> usedAfter.contains(t.getName()) || !usedBefore.contains(t.getName())).toList();
        g.clearInitializer().addAllInitializer(kept);
    }

    private static Set<String> consumed(List<NodeProto> nodes, List<ValueInfoProto> outputs) {
        Set<String> used = new HashSet<>();
        nodes.forEach(n -> used.addAll(n.getInputList()));
        outputs.forEach(o -> used.add(o.getName()));
        return used;
    }

    /** Adds Shape(first input) then Gather of index 0; returns the name of the resulting [1] int64 tensor. */
    private static String batchNodes(GraphProto graph, Set<String> taken, String firstInput, GraphProto.Builder g,
                                     List<NodeProto> added) {
        String shape = Graphs.freshName(graph, taken, PREFIX + "_input_shape");
        String index = Graphs.freshName(graph, taken, PREFIX + "_index0");
        String batch = Graphs.freshName(graph, taken, PREFIX + "_size");
        g.addInitializer(Graphs.int64Tensor(index, new long[] {0}, 1));
        added.add(NodeProto.newBuilder().setOpType("Shape").setName(shape).addInput(firstInput).addOutput(shape).build());
        added.add(NodeProto.newBuilder().setOpType("Gather").setName(batch).addInput(shape).addInput(index)
                .addOutput(batch).addAttribute(AttributeProto.newBuilder().setName("axis").setI(0)
                        .setType(AttributeProto.AttributeType.INT)).build());
        return batch;
    }

    /**
     * The index of the shape-like input of an Expand, ConstantOfShape or Tile node whose result would carry a
     * batch of 1 baked in by the export; -1 when the node is not such a case.
     */
    private static int broadcastShapeInput(NodeProto node, Set<String> dependent) {
        return switch (node.getOpType()) {
            case "ConstantOfShape" -> 0;
            case "Expand", "Tile" -> node.getInputCount() > 1 && !dependent.contains(node.getInput(0)) ? 1 : -1;
            default -> -1;
        };
    }

    /** The values of a constant int tensor of rank 1 whose first entry is {@code batch}. */
    private static Optional<long[]> leading(GraphProto graph, String name, long batch) {
        return Graphs.constant(graph, name).filter(t -> t.getDimsCount() == 1)
                .flatMap(Graphs::integerValues).filter(v -> v.length > 0 && v[0] == batch);
    }

    /** Values that depend on the runtime inputs. */
    private static Set<String> inputDependent(GraphProto graph, Set<String> runtime) {
        Set<String> dependent = new HashSet<>(runtime);
        for (NodeProto node : Graphs.topologicalOrder(graph)) {
            if (node.getInputList().stream().anyMatch(dependent::contains) || !node.getAttributeList().stream()
                    .filter(a -> a.hasG() || a.getGraphsCount() > 0).toList().isEmpty()) {
                dependent.addAll(node.getOutputList());
            }
        }
        return dependent;
    }

    private static long allowZero(NodeProto node) {
        return Graphs.attribute(node, "allowzero").map(AttributeProto::getI).orElse(0L);
    }

    private static boolean leadingIs(ValueInfoProto v, long batch) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return false;
        }
        TensorShapeProto shape = v.getType().getTensorType().getShape();
        return shape.getDimCount() > 0 && shape.getDim(0).hasDimValue() && shape.getDim(0).getDimValue() == batch;
    }

    private static ValueInfoProto withSymbolicBatch(ValueInfoProto v) {
        ValueInfoProto.Builder b = v.toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0).setDimParam(BATCH);
        return b.build();
    }
}
