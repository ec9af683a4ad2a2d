package io.xai4j.onnx;

import com.google.protobuf.ByteString;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/** Read and rewrite helpers for ONNX graphs. Methods never modify their arguments; protos are immutable. */
public final class Graphs {
    private static final int INT64 = TensorProto.DataType.INT64_VALUE;
    private static final int BOOL = TensorProto.DataType.BOOL_VALUE;
    private static final Set<String> BOOL_OPS = Set.of("Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual",
            "And", "Or", "Xor", "Not", "IsNaN", "IsInf");
    private static final Set<String> INT64_OPS = Set.of("Shape", "Size", "ArgMax", "ArgMin", "NonZero",
            "NonMaxSuppression");

    private Graphs() {
    }

    /** Graph inputs that are fed at run time (initializers listed as inputs excluded). */
    public static List<ValueInfoProto> runtimeInputs(GraphProto graph) {
        Set<String> init = initializerNames(graph);
        return graph.getInputList().stream().filter(v -> !init.contains(v.getName())).toList();
    }

    public static Set<String> initializerNames(GraphProto graph) {
        Set<String> names = new HashSet<>();
        graph.getInitializerList().forEach(t -> names.add(t.getName()));
        graph.getSparseInitializerList().forEach(t -> names.add(t.getValues().getName()));
        return names;
    }

    /**
     * The nodes in an order where every node follows the producers of its inputs, keeping the file's order
     * wherever it already is one.
     */
    public static List<NodeProto> topologicalOrder(GraphProto graph) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            for (String out : graph.getNode(i).getOutputList()) {
                if (!out.isEmpty()) {
                    producer.put(out, i);
                }
            }
        }
        int n = graph.getNodeCount();
        int[] pending = new int[n];
        List<List<Integer>> consumers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            consumers.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (String in : new LinkedHashSet<>(graph.getNode(i).getInputList())) {
                Integer p = producer.get(in);
                if (p != null && p != i) {
                    pending[i]++;
                    consumers.get(p).add(i);
                }
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> order = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(graph.getNode(i));
            for (int c : consumers.get(i)) {
                if (--pending[c] == 0) {
                    ready.add(c);
                }
            }
        }
        if (order.size() != n) {
            throw new XaiException(ErrorCode.INVALID_MODEL, "the graph has a cycle: " + (n - order.size())
                    + " of " + n + " nodes cannot be ordered");
        }
        return order;
    }

    /** Every tensor a node produces, in topological order, with its inferred element type. */
    public static List<GraphTensor> producedTensors(GraphProto graph) {
        Map<String, Integer> types = elementTypes(graph);
        List<GraphTensor> tensors = new ArrayList<>();
        for (NodeProto node : topologicalOrder(graph)) {
            for (String out : node.getOutputList()) {
                if (!out.isEmpty()) {
                    tensors.add(new GraphTensor(out, node.getOpType(), node.getName(), types.getOrDefault(out, 0)));
                }
            }
        }
        return tensors;
    }

    /**
     * Element types of all values: declared ones (inputs, initializers, value_info, outputs) and, for the
     * rest, propagated through the nodes. Values that are not tensors are absent.
     */
    public static Map<String, Integer> elementTypes(GraphProto graph) {
        Map<String, Integer> types = new HashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            types.put(t.getName(), t.getDataType());
        }
        List<ValueInfoProto> declared = new ArrayList<>(graph.getInputList());
        declared.addAll(graph.getValueInfoList());
        declared.addAll(graph.getOutputList());
        for (ValueInfoProto v : declared) {
            if (v.getType().hasTensorType() && v.getType().getTensorType().getElemType() != 0) {
                types.put(v.getName(), v.getType().getTensorType().getElemType());
            }
        }
        for (NodeProto node : topologicalOrder(graph)) {
            for (int k = 0; k < node.getOutputCount(); k++) {
                String out = node.getOutput(k);
                if (!out.isEmpty() && !types.containsKey(out)) {
                    int t = outputType(node, k, types);
                    if (t != 0) {
                        types.put(out, t);
                    }
                }
            }
        }
        return types;
    }

    private static int outputType(NodeProto node, int k, Map<String, Integer> types) {
        String op = node.getOpType();
        if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
            return inputType(node, 0, types);
        }
        if (op.startsWith("Sequence") || op.startsWith("Optional") || op.equals("SplitToSequence")) {
            return 0;
        }
        if (BOOL_OPS.contains(op) || k == 1 && op.equals("Dropout")) {
            return BOOL;
        }
        if (INT64_OPS.contains(op) || k == 1 && (op.equals("TopK") || op.equals("MaxPool"))
                || k >= 1 && op.equals("Unique")) {
            return INT64;
        }
        return switch (op) {
            case "Cast" -> (int) attribute(node, "to").map(AttributeProto::getI).orElse(0L).longValue();
            case "CastLike", "Where" -> inputType(node, 1, types);
            case "OneHot" -> inputType(node, 2, types);
            case "Constant" -> attribute(node, "value").map(a -> a.getT().getDataType())
                    .orElse(attribute(node, "value_ints").isPresent() || attribute(node, "value_int").isPresent()
                            ? INT64 : TensorProto.DataType.FLOAT_VALUE);
            case "ConstantOfShape" -> attribute(node, "value").map(a -> a.getT().getDataType())
                    .orElse(TensorProto.DataType.FLOAT_VALUE);
            case "DequantizeLinear" -> TensorProto.DataType.FLOAT_VALUE;
            case "QuantizeLinear" -> node.getInputCount() > 2 ? inputType(node, 2, types) : TensorProto.DataType.UINT8_VALUE;
            case "If" -> subgraphOutputType(node, "then_branch", k);
            case "Loop" -> subgraphOutputType(node, "body", k + 1);
            case "Scan" -> subgraphOutputType(node, "body", k);
            default -> inputType(node, 0, types);
        };
    }

    private static int subgraphOutputType(NodeProto node, String attr, int index) {
        return attribute(node, attr).map(AttributeProto::getG)
                .filter(g -> g.getOutputCount() > index)
                .map(g -> g.getOutput(index).getType().getTensorType().getElemType())
                .orElse(0);
    }

    private static int inputType(NodeProto node, int i, Map<String, Integer> types) {
        return node.getInputCount() > i ? types.getOrDefault(node.getInput(i), 0) : 0;
    }

    /** The simple attributes of a node: INT, FLOAT, STRING, INTS and FLOATS, as Long, Double, String and Lists. */
    public static Map<String, Object> simpleAttributes(NodeProto node) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (AttributeProto a : node.getAttributeList()) {
            switch (a.getType()) {
                case INT -> out.put(a.getName(), a.getI());
                case FLOAT -> out.put(a.getName(), (double) a.getF());
                case STRING -> out.put(a.getName(), a.getS().toString(StandardCharsets.UTF_8));
                case INTS -> out.put(a.getName(), List.copyOf(a.getIntsList()));
                case FLOATS -> out.put(a.getName(), a.getFloatsList().stream().map(Float::doubleValue).toList());
                default -> {
                }
            }
        }
        return out;
    }

    public static Optional<AttributeProto> attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
    }

    /**
     * A copy of the model whose graph also outputs the given tensors (existing outputs kept first), each
     * declared with only its element type, which is all ONNX Runtime needs.
     *
     * @param tensors tensor names and their ONNX element types
     */
    public static ModelProto exposeOutputs(ModelProto model, Map<String, Integer> tensors) {
        GraphProto graph = model.getGraph();
        Set<String> existing = new HashSet<>();
        graph.getOutputList().forEach(o -> existing.add(o.getName()));
        GraphProto.Builder g = graph.toBuilder();
        for (Map.Entry<String, Integer> e : tensors.entrySet()) {
            if (existing.add(e.getKey())) {
                if (e.getValue() == null || e.getValue() == 0) {
                    throw new XaiException(ErrorCode.UNKNOWN_LAYER, "cannot expose '" + e.getKey()
                            + "': its element type is unknown or it is not a tensor");
                }
                g.addOutput(tensorValueInfo(e.getKey(), e.getValue()));
            }
        }
        return model.toBuilder().setGraph(g).build();
    }

    /** A value info with only an element type (no shape). */
    public static ValueInfoProto tensorValueInfo(String name, int elemType) {
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType)))
                .build();
    }

    /** The constant value of a tensor: an initializer or the output of a Constant node with a tensor value. */
    public static Optional<TensorProto> constant(GraphProto graph, String name) {
        for (TensorProto t : graph.getInitializerList()) {
            if (t.getName().equals(name)) {
                return Optional.of(t);
            }
        }
        for (NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Constant") && n.getOutputCount() == 1 && n.getOutput(0).equals(name)) {
                return attribute(n, "value").filter(AttributeProto::hasT).map(AttributeProto::getT);
            }
        }
        return Optional.empty();
    }

    /** The values of an inline int64 or int32 tensor; empty for external, float or other tensors. */
    public static Optional<long[]> integerValues(TensorProto t) {
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return Optional.empty();
        }
        if (t.getDataType() == INT64) {
            if (t.getInt64DataCount() > 0) {
                return Optional.of(t.getInt64DataList().stream().mapToLong(Long::longValue).toArray());
            }
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] v = new long[raw.remaining() / 8];
            raw.asLongBuffer().get(v);
            return Optional.of(v);
        }
        if (t.getDataType() == TensorProto.DataType.INT32_VALUE) {
            if (t.getInt32DataCount() > 0) {
                return Optional.of(t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray());
            }
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] v = new long[raw.remaining() / 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = raw.getInt();
            }
            return Optional.of(v);
        }
        return Optional.empty();
    }

    /** An int64 tensor with raw little-endian data. */
    public static TensorProto int64Tensor(String name, long[] values, long... dims) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(INT64)
                .setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    /** A float32 tensor with raw little-endian data. */
    public static TensorProto floatTensor(String name, float[] values, long... dims) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    /** The default-domain opset the model imports (0 when none is declared). */
    public static long opset(ModelProto model) {
        return model.getOpsetImportList().stream()
                .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(o -> o.getVersion()).max().orElse(0);
    }

    /** A name not used by any value in the graph, built from {@code base}. */
    public static String freshName(GraphProto graph, Set<String> taken, String base) {
        if (taken.isEmpty()) {
            graph.getInputList().forEach(v -> taken.add(v.getName()));
            graph.getInitializerList().forEach(t -> taken.add(t.getName()));
            graph.getNodeList().forEach(n -> taken.addAll(n.getOutputList()));
        }
        String name = base;
        for (int i = 1; taken.contains(name); i++) {
            name = base + "_" + i;
        }
        taken.add(name);
        return name;
    }
}
