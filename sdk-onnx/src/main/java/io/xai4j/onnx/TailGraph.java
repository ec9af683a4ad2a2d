package io.xai4j.onnx;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cuts an ONNX model at an intermediate tensor: the result's only input is that tensor (with a symbolic batch),
 * its outputs are the original outputs that depend on it, and it keeps only the nodes and initializers those
 * outputs need.
 */
final class TailGraph {
    static final String BATCH = "N";

    private TailGraph() {
    }

    /**
     * @throws XaiException {@link ErrorCode#UNKNOWN_LAYER} when no node produces {@code layer} or no output depends
     *                      on it, {@link ErrorCode#UNSUPPORTED_OP} when the outputs still need another model input
     */
    static ModelProto cut(ModelProto model, String layer) {
        GraphProto graph = model.getGraph();
        Map<String, NodeProto> producer = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            n.getOutputList().forEach(o -> producer.put(o, n));
        }
        if (!producer.containsKey(layer)) {
            throw new XaiException(ErrorCode.UNKNOWN_LAYER, "no node of the model produces '" + layer
                    + "', so the model cannot be cut there; see 'xai4j inspect' for its tensors");
        }
        Set<String> initializers = Graphs.initializerNames(graph);
        Set<String> runtimeInputs = new HashSet<>();
        Graphs.runtimeInputs(graph).forEach(v -> runtimeInputs.add(v.getName()));
        Set<NodeProto> kept = new HashSet<>();
        Set<String> usedInitializers = new HashSet<>();
        GraphProto.Builder tail = GraphProto.newBuilder().setName(graph.getName() + "_after_" + layer);
        for (ValueInfoProto out : graph.getOutputList()) {
            Set<NodeProto> nodes = new HashSet<>();
            Set<String> constants = new HashSet<>();
            Set<String> missing = new TreeSet<>();
            boolean reaches = collect(out.getName(), layer, producer, initializers, runtimeInputs, nodes, constants,
                    missing);
            if (!reaches) {
                continue;
            }
            if (!missing.isEmpty()) {
                throw new XaiException(ErrorCode.UNSUPPORTED_OP, "the part of the model after layer '" + layer
                        + "' still needs model input" + (missing.size() > 1 ? "s " : " ") + missing + " for output '"
                        + out.getName() + "', so it cannot run from the layer alone; choose a later layer");
            }
            kept.addAll(nodes);
            usedInitializers.addAll(constants);
            tail.addOutput(out);
        }
        if (tail.getOutputCount() == 0) {
            throw new XaiException(ErrorCode.UNKNOWN_LAYER, "no output of the model depends on layer '" + layer + "'");
        }
        tail.addInput(layerInput(graph, layer));
        for (NodeProto n : graph.getNodeList()) {
            if (kept.contains(n)) {
                tail.addNode(n);
            }
        }
        for (TensorProto t : graph.getInitializerList()) {
            if (usedInitializers.contains(t.getName())) {
                tail.addInitializer(t);
            }
        }
        Set<String> values = new HashSet<>();
        kept.forEach(n -> values.addAll(n.getOutputList()));
        graph.getValueInfoList().stream().filter(v -> values.contains(v.getName()) && !v.getName().equals(layer))
                .forEach(tail::addValueInfo);
        return model.toBuilder().setGraph(tail).build();
    }

    /**
     * Walks back from {@code output} to the layer. Returns whether the output depends on the layer; fills the nodes,
     * initializers and runtime inputs (other than the layer) it needs.
     */
    private static boolean collect(String output, String layer, Map<String, NodeProto> producer,
            Set<String> initializers, Set<String> runtimeInputs, Set<NodeProto> nodes, Set<String> constants,
            Set<String> missing) {
        boolean reaches = false;
        Deque<String> work = new ArrayDeque<>(List.of(output));
        Set<String> seen = new LinkedHashSet<>();
        while (!work.isEmpty()) {
            String t = work.pop();
            if (t.isEmpty() || !seen.add(t)) {
                continue;
            }
            if (t.equals(layer)) {
                reaches = true;
            } else if (initializers.contains(t)) {
                constants.add(t);
            } else if (producer.containsKey(t)) {
                NodeProto n = producer.get(t);
                nodes.add(n);
                n.getInputList().forEach(work::push);
            } else if (runtimeInputs.contains(t)) {
                missing.add(t);
            }
        }
        return reaches;
    }

    /** The layer as a graph input: its declared type, with the first dimension made the symbolic batch. */
    private static ValueInfoProto layerInput(GraphProto graph, String layer) {
        int elemType = Graphs.elementTypes(graph).getOrDefault(layer, TensorProto.DataType.FLOAT_VALUE);
        ValueInfoProto declared = graph.getValueInfoList().stream().filter(v -> v.getName().equals(layer))
                .findFirst().orElse(null);
        if (declared == null || !declared.getType().getTensorType().hasShape()
                || declared.getType().getTensorType().getShape().getDimCount() == 0) {
            return Graphs.tensorValueInfo(layer, elemType);
        }
        TensorShapeProto.Builder shape = declared.getType().getTensorType().getShape().toBuilder();
        shape.setDim(0, TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
        return ValueInfoProto.newBuilder().setName(layer).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape))).build();
    }
}
