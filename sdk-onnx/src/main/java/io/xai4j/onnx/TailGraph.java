package io.xai4j.onnx;

import io.xai4j.error.ClosestNames;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The part of an ONNX model downstream of one tensor: the tensor becomes a graph input (its declared shape with a
 * symbolic batch) and only the nodes and initializers the requested outputs still need are kept. Model inputs those
 * nodes read (a skip connection around the tensor) stay inputs, so a run of the tail varies the tensor while
 * everything else stays fixed.
 */
final class TailGraph {
    static final String BATCH = "N";

    private TailGraph() {
    }

    /**
     * The tail of {@code model} from {@code tensor} to {@code outputs}.
     *
     * @param tensor  a model input or a tensor some node produces
     * @param outputs tensors to compute; the model's outputs when empty
     * @throws XaiException {@link ErrorCode#UNKNOWN_LAYER} for an unknown tensor or one that is not a tensor
     */
    static ModelProto of(ModelProto model, String tensor, List<String> outputs) {
        GraphProto graph = model.getGraph();
        Map<String, Integer> types = Graphs.elementTypes(graph);
        Set<String> known = new LinkedHashSet<>();
        Graphs.runtimeInputs(graph).forEach(v -> known.add(v.getName()));
        graph.getNodeList().forEach(n -> n.getOutputList().stream().filter(o -> !o.isEmpty()).forEach(known::add));
        List<String> wanted = outputs.isEmpty()
                ? graph.getOutputList().stream().map(ValueInfoProto::getName).toList() : outputs;
        for (String name : concat(tensor, wanted)) {
            if (!known.contains(name)) {
                throw new XaiException(ErrorCode.UNKNOWN_LAYER, "unknown tensor '" + name + "'; close names: "
                        + ClosestNames.closest(name, known, 5));
            }
        }
        Set<String> needed = new HashSet<>(wanted);
        List<NodeProto> kept = new ArrayList<>();
        for (NodeProto n : needs(Graphs.topologicalOrder(graph), tensor, needed)) {
            kept.add(renameOutput(n, tensor, graph));
        }
        GraphProto.Builder g = graph.toBuilder().clearNode().addAllNode(kept).clearInput().clearOutput()
                .clearInitializer().clearValueInfo();
        graph.getInitializerList().stream().filter(t -> needed.contains(t.getName())).forEach(g::addInitializer);
        boolean tensorIsInput = false;
        for (ValueInfoProto in : graph.getInputList()) {
            if (needed.contains(in.getName()) || in.getName().equals(tensor)) {
                g.addInput(in);
                tensorIsInput |= in.getName().equals(tensor);
            }
        }
        if (!tensorIsInput) {
            if (types.getOrDefault(tensor, 0) == 0) {
                throw new XaiException(ErrorCode.UNKNOWN_LAYER, "cannot make '" + tensor + "' a graph input: its"
                        + " element type is unknown or it is not a tensor");
            }
            g.addInput(batchedInput(graph, tensor, types.get(tensor)));
        }
        graph.getValueInfoList().stream().filter(v -> needed.contains(v.getName()) && !v.getName().equals(tensor))
                .forEach(g::addValueInfo);
        for (String o : wanted) {
            g.addOutput(graph.getOutputList().stream().filter(v -> v.getName().equals(o)).findFirst()
                    .orElseGet(() -> Graphs.tensorValueInfo(o, types.getOrDefault(o, 0))));
        }
        return model.toBuilder().setGraph(g).build();
    }

    /**
     * The strict cut at a layer: the tail's only input is the layer and its outputs are the model outputs that depend
     * on the layer.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_LAYER} when no node produces {@code layer} or no output depends
     *                      on it, {@link ErrorCode#UNSUPPORTED_OP} when those outputs still need another model input
     */
    static ModelProto cut(ModelProto model, String layer) {
        GraphProto graph = model.getGraph();
        if (graph.getNodeList().stream().noneMatch(n -> n.getOutputList().contains(layer))) {
            throw new XaiException(ErrorCode.UNKNOWN_LAYER, "no node of the model produces '" + layer
                    + "', so the model cannot be cut there; see 'xai4j inspect' for its tensors");
        }
        List<NodeProto> order = Graphs.topologicalOrder(graph);
        List<String> dependent = new ArrayList<>();
        for (ValueInfoProto out : graph.getOutputList()) {
            Set<String> needed = new HashSet<>(List.of(out.getName()));
            needs(order, layer, needed);
            if (needed.contains(layer)) {
                dependent.add(out.getName());
            }
        }
        if (dependent.isEmpty()) {
            throw new XaiException(ErrorCode.UNKNOWN_LAYER, "no output of the model depends on layer '" + layer + "'");
        }
        ModelProto tail = of(model, layer, dependent);
        Set<String> missing = new TreeSet<>();
        Graphs.runtimeInputs(tail.getGraph()).forEach(v -> missing.add(v.getName()));
        missing.remove(layer);
        if (!missing.isEmpty()) {
            throw new XaiException(ErrorCode.UNSUPPORTED_OP, "the part of the model after layer '" + layer
                    + "' still needs model input" + (missing.size() > 1 ? "s " : " ") + missing + " for output"
                    + (dependent.size() > 1 ? "s " + dependent : " '" + dependent.get(0) + "'")
                    + ", so it cannot run from the layer alone; choose a later layer");
        }
        return tail;
    }

    /**
     * The nodes (in {@code order}) that compute {@code needed} without computing {@code tensor}; adds every value
     * they read, subgraph references included, to {@code needed}.
     */
    private static List<NodeProto> needs(List<NodeProto> order, String tensor, Set<String> needed) {
        List<NodeProto> kept = new ArrayList<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            NodeProto n = order.get(i);
            if (n.getOutputList().stream().anyMatch(o -> !o.equals(tensor) && needed.contains(o))) {
                needed.addAll(n.getInputList());
                n.getAttributeList().forEach(a -> outerReferences(a, needed));
                kept.add(n);
            }
        }
        Collections.reverse(kept);
        return kept;
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    /** A kept node that also produces the tensor writes it to an unused name instead. */
    private static NodeProto renameOutput(NodeProto n, String tensor, GraphProto graph) {
        if (!n.getOutputList().contains(tensor)) {
            return n;
        }
        NodeProto.Builder b = n.toBuilder();
        b.setOutput(n.getOutputList().indexOf(tensor), Graphs.freshName(graph, new HashSet<>(), tensor + "/unused"));
        return b.build();
    }

    private static void outerReferences(AttributeProto a, Set<String> into) {
        List<GraphProto> graphs = new ArrayList<>(a.getGraphsList());
        if (a.hasG()) {
            graphs.add(a.getG());
        }
        for (GraphProto sub : graphs) {
            for (NodeProto n : sub.getNodeList()) {
                into.addAll(n.getInputList());
                n.getAttributeList().forEach(x -> outerReferences(x, into));
            }
        }
    }

    /** The tensor as a graph input: its declared type, with the first dimension made the symbolic batch. */
    private static ValueInfoProto batchedInput(GraphProto graph, String tensor, int elemType) {
        ValueInfoProto declared = graph.getValueInfoList().stream().filter(v -> v.getName().equals(tensor))
                .findFirst().orElse(null);
        if (declared == null || !declared.getType().getTensorType().hasShape()
                || declared.getType().getTensorType().getShape().getDimCount() == 0) {
            return Graphs.tensorValueInfo(tensor, elemType);
        }
        TensorShapeProto.Builder shape = declared.getType().getTensorType().getShape().toBuilder();
        shape.setDim(0, TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        return ValueInfoProto.newBuilder().setName(tensor).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }
}
