package io.xai4j.onnx;

import io.xai4j.layer.GraphNode;
import io.xai4j.layer.GraphView;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import io.xai4j.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link GraphView} of an ONNX graph: nodes in topological order with their simple attributes, and constants
 * (initializers and Constant nodes) converted to float32. Constants stored as external data, and types other
 * than float, double and integers, have no value here. Immutable.
 */
final class OnnxGraphView implements GraphView {
    private final GraphProto graph;
    private final List<GraphNode> nodes = new ArrayList<>();
    private final Map<String, GraphNode> producers = new HashMap<>();
    private final Map<String, List<GraphNode>> consumers = new HashMap<>();
    private final List<String> inputs;
    private final List<String> outputs;

    OnnxGraphView(GraphProto graph) {
        this.graph = graph;
        for (NodeProto n : Graphs.topologicalOrder(graph)) {
            GraphNode node = new GraphNode(n.getName(), n.getOpType(), n.getInputList(), n.getOutputList(),
                    Graphs.simpleAttributes(n));
            nodes.add(node);
            n.getOutputList().forEach(o -> producers.put(o, node));
            n.getInputList().stream().distinct().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(node));
        }
        inputs = Graphs.runtimeInputs(graph).stream().map(ValueInfoProto::getName).toList();
        outputs = graph.getOutputList().stream().map(ValueInfoProto::getName).toList();
    }

    @Override
    public List<GraphNode> nodes() {
        return nodes;
    }

    @Override
    public List<String> inputs() {
        return inputs;
    }

    @Override
    public List<String> outputs() {
        return outputs;
    }

    @Override
    public Optional<GraphNode> producer(String tensor) {
        return Optional.ofNullable(producers.get(tensor));
    }

    @Override
    public List<GraphNode> consumers(String tensor) {
        return consumers.getOrDefault(tensor, List.of());
    }

    @Override
    public Optional<Tensor> constant(String tensor) {
        return Graphs.constant(graph, tensor).flatMap(OnnxGraphView::toTensor);
    }

    static Optional<Tensor> toTensor(TensorProto t) {
        int[] shape = t.getDimsList().stream().mapToInt(Long::intValue).toArray();
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            return Optional.empty();
        }
        float[] values;
        if (t.getDataType() == TensorProto.DataType.FLOAT_VALUE) {
            if (t.getFloatDataCount() > 0) {
                values = new float[t.getFloatDataCount()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = t.getFloatData(i);
                }
            } else {
                ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                values = new float[raw.remaining() / 4];
                raw.asFloatBuffer().get(values);
            }
        } else if (t.getDataType() == TensorProto.DataType.DOUBLE_VALUE) {
            double[] d = t.getDoubleDataCount() > 0 ? t.getDoubleDataList().stream().mapToDouble(x -> x).toArray()
                    : rawDoubles(t);
            values = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                values[i] = (float) d[i];
            }
        } else {
            Optional<long[]> ints = Graphs.integerValues(t);
            if (ints.isEmpty()) {
                return Optional.empty();
            }
            long[] l = ints.get();
            values = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                values[i] = l[i];
            }
        }
        return values.length == Tensor.sizeOf(shape) ? Optional.of(Tensor.of(values, shape)) : Optional.empty();
    }

    private static double[] rawDoubles(TensorProto t) {
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        double[] d = new double[raw.remaining() / 8];
        raw.asDoubleBuffer().get(d);
        return d;
    }
}
