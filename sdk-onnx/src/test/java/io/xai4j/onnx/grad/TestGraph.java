package io.xai4j.onnx.grad;

import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.OperatorSetIdProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.Random;

/** Builds small ONNX models for tests. Shape -1 in an input means the symbolic batch axis N. */
final class TestGraph {
    final int type;
    private int opset = 18;
    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private final Random random = new Random(7);
    private int nodes;

    private TestGraph(int type) {
        this.type = type;
    }

    static TestGraph of(int elemType) {
        return new TestGraph(elemType);
    }

    TestGraph opset(int version) {
        this.opset = version;
        return this;
    }

    TestGraph input(String name, int... shape) {
        return typedInput(name, type, shape);
    }

    TestGraph typedInput(String name, int elemType, int... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int d : shape) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        graph.addInput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s))));
        return this;
    }

    TestGraph output(String name) {
        graph.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type))));
        return this;
    }

    /** Adds a node; inputs and outputs are comma-separated names (empty entries for absent optional inputs). */
    TestGraph node(String op, String inputs, String outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op.toLowerCase() + "_" + (nodes++));
        if (!inputs.isEmpty()) {
            for (String i : inputs.split(",", -1)) {
                n.addInput(i.trim());
            }
        }
        for (String o : outputs.split(",")) {
            n.addOutput(o.trim());
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return this;
    }

    /** A random initializer with values in [-1, 1]. */
    TestGraph weights(String name, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble() * 2 - 1;
        }
        return values(name, v, dims);
    }

    /** A random initializer with values in [lo, hi]. */
    TestGraph weights(String name, double lo, double hi, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + random.nextDouble() * (hi - lo);
        }
        return values(name, v, dims);
    }

    TestGraph values(String name, double[] values, int... dims) {
        graph.addInitializer(OnnxTensors.ofDoubles(name, type, values, toLong(dims)));
        return this;
    }

    TestGraph ints(String name, long... values) {
        graph.addInitializer(OnnxTensors.ofLongs(name, values, values.length));
        return this;
    }

    TestGraph intTensor(String name, long[] values, int... dims) {
        graph.addInitializer(OnnxTensors.ofLongs(name, values, toLong(dims)));
        return this;
    }

    TestGraph tensor(TensorProto t) {
        graph.addInitializer(t);
        return this;
    }

    ModelProto build() {
        return ModelProto.newBuilder().setIrVersion(opset >= 18 ? 8 : 7).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
    }

    static long[] toLong(int[] dims) {
        long[] l = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            l[i] = dims[i];
        }
        return l;
    }
}
