package io.xai4j.onnx;

import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.OperatorSetIdProto;
import io.xai4j.onnx.proto.Onnx.StringStringEntryProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small ONNX models built in Java, with weights simple enough for closed-form checks. */
final class TestModels {
    static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    static final int INT64 = TensorProto.DataType.INT64_VALUE;

    private TestModels() {
    }

    /** W[3,6] with W[o][i] = (o + 1) * 0.1 * (i - 2); b = [1, 2, 3]. */
    static float[] linearWeights() {
        float[] w = new float[18];
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 6; i++) {
                w[o * 6 + i] = (o + 1) * 0.1f * (i - 2);
            }
        }
        return w;
    }

    static final float[] LINEAR_BIAS = {1, 2, 3};

    /** y = x W^T + b, x[N,6] -> y[N,3]. */
    static ModelProto linear() {
        GraphProto g = GraphProto.newBuilder().setName("linear")
                .addInput(value("x", FLOAT, "N", 6)).addOutput(value("y", FLOAT, "N", 3))
                .addInitializer(Graphs.floatTensor("W", linearWeights(), 3, 6))
                .addInitializer(Graphs.floatTensor("b", LINEAR_BIAS, 3))
                .addNode(node("Gemm", "fc", new String[] {"x", "W", "b"}, new String[] {"y"}, intAttr("transB", 1)))
                .build();
        return model(g);
    }

    /** {@link #linear()} with W stored in {@code weights.bin} next to the model file. */
    static ModelProto linearWithExternalWeights(Path dir) throws IOException {
        float[] w = linearWeights();
        ByteBuffer bytes = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(w);
        Files.write(dir.resolve("weights.bin"), bytes.array());
        TensorProto external = TensorProto.newBuilder().setName("W").setDataType(FLOAT).addDims(3).addDims(6)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", "weights.bin"))
                .addExternalData(entry("offset", "0"))
                .addExternalData(entry("length", Integer.toString(w.length * 4)))
                .build();
        ModelProto m = linear();
        GraphProto.Builder g = m.getGraph().toBuilder().setInitializer(0, external);
        return m.toBuilder().setGraph(g).build();
    }

    /**
     * x[1,1,4,4] -> Conv(2 filters, 3x3, pad 1) -> Relu -> Reshape([1,-1]) -> Gemm(3x32) -> Softmax -> probs[1,3].
     *
     * @param shapeFromConstantNode take the Reshape shape from a Constant node instead of an initializer
     */
    static ModelProto fixedBatchCnn(boolean shapeFromConstantNode) {
        float[] conv = new float[18];
        for (int i = 0; i < conv.length; i++) {
            conv[i] = (i % 5 - 2) * 0.25f;
        }
        float[] fc = new float[3 * 32];
        for (int i = 0; i < fc.length; i++) {
            fc[i] = ((i * 7) % 11 - 5) * 0.05f;
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("cnn")
                .addInput(value("x", FLOAT, null, 1, 1, 4, 4)).addOutput(value("probs", FLOAT, null, 1, 3))
                .addValueInfo(value("flat", FLOAT, null, 1, 32))
                .addInitializer(Graphs.floatTensor("conv.W", conv, 2, 1, 3, 3))
                .addInitializer(Graphs.floatTensor("conv.b", new float[] {0.1f, -0.2f}, 2))
                .addInitializer(Graphs.floatTensor("fc.W", fc, 3, 32))
                .addInitializer(Graphs.floatTensor("fc.b", new float[] {0.5f, 0f, -0.5f}, 3))
                .addNode(node("Conv", "conv", new String[] {"x", "conv.W", "conv.b"}, new String[] {"conv_out"},
                        intsAttr("pads", 1, 1, 1, 1), intsAttr("kernel_shape", 3, 3)))
                .addNode(node("Relu", "relu", new String[] {"conv_out"}, new String[] {"relu_out"}));
        TensorProto shape = Graphs.int64Tensor("flat_shape", new long[] {1, -1}, 2);
        if (shapeFromConstantNode) {
            g.addNode(node("Constant", "shape_const", new String[0], new String[] {"flat_shape"},
                    AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                            .setT(shape).build()));
        } else {
            g.addInitializer(shape);
        }
        g.addNode(node("Reshape", "flatten", new String[] {"relu_out", "flat_shape"}, new String[] {"flat"}))
                .addNode(node("Gemm", "fc", new String[] {"flat", "fc.W", "fc.b"}, new String[] {"logits"},
                        intAttr("transB", 1)))
                .addNode(node("Softmax", "softmax", new String[] {"logits"}, new String[] {"probs"},
                        intAttr("axis", 1)));
        return model(g.build());
    }

    /** x[1,3] -> Reshape([1,-1], allowzero=1) -> y[1,3]: the batch cannot be made dynamic. */
    static ModelProto fixedBatchAllowZeroReshape() {
        return fixedBatchAllowZeroReshape(1);
    }

    /** x[B,3] -> Reshape([B,-1], allowzero=1) -> Relu -> y[B,3]: independent rows, a batch that stays fixed. */
    static ModelProto fixedBatchAllowZeroReshape(int batch) {
        GraphProto g = GraphProto.newBuilder().setName("allowzero")
                .addInput(value("x", FLOAT, null, batch, 3)).addOutput(value("y", FLOAT, null, batch, 3))
                .addInitializer(Graphs.int64Tensor("shape", new long[] {batch, -1}, 2))
                .addNode(node("Reshape", "r", new String[] {"x", "shape"}, new String[] {"r_out"},
                        intAttr("allowzero", 1)))
                .addNode(node("Relu", "relu", new String[] {"r_out"}, new String[] {"y"}))
                .build();
        return model(g);
    }

    /** x[1,2,2] -> Concat(Expand(cls[1,1,2], [1,1,2]), x, axis=1) -> y[1,3,2]: a class token with a baked-in batch. */
    static ModelProto fixedBatchClassToken() {
        GraphProto g = GraphProto.newBuilder().setName("cls")
                .addInput(value("x", FLOAT, null, 1, 2, 2)).addOutput(value("y", FLOAT, null, 1, 3, 2))
                .addInitializer(Graphs.floatTensor("cls", new float[] {5, 6}, 1, 1, 2))
                .addInitializer(Graphs.int64Tensor("cls_shape", new long[] {1, 1, 2}, 3))
                .addNode(node("Expand", "expand", new String[] {"cls", "cls_shape"}, new String[] {"cls_b"}))
                .addNode(node("Concat", "concat", new String[] {"cls_b", "x"}, new String[] {"y"}, intAttr("axis", 1)))
                .build();
        return model(g);
    }

    /** x[3,2] -> Mul(2) -> Reshape([3,-1]) -> y[3,2]: a fixed batch of 3 that a rewrite makes dynamic. */
    static ModelProto fixedBatchOfThree() {
        GraphProto g = GraphProto.newBuilder().setName("three")
                .addInput(value("x", FLOAT, null, 3, 2)).addOutput(value("y", FLOAT, null, 3, 2))
                .addInitializer(Graphs.floatTensor("two", new float[] {2f}))
                .addInitializer(Graphs.int64Tensor("shape", new long[] {3, -1}, 2))
                .addNode(node("Mul", "mul", new String[] {"x", "two"}, new String[] {"m"}))
                .addNode(node("Reshape", "r", new String[] {"m", "shape"}, new String[] {"y"}))
                .build();
        return model(g);
    }

    /** x[2,2] -> Transpose -> y[2,2]: rows that depend on each other, a batch of exactly 2. */
    static ModelProto fixedBatchTranspose() {
        GraphProto g = GraphProto.newBuilder().setName("transpose")
                .addInput(value("x", FLOAT, null, 2, 2)).addOutput(value("y", FLOAT, null, 2, 2))
                .addNode(node("Transpose", "t", new String[] {"x"}, new String[] {"y"}, intsAttr("perm", 1, 0)))
                .build();
        return model(g);
    }

    /** ids int64[N,2] -> Cast(float) -> Mul(2) -> y[N,2]. */
    static ModelProto int64Input() {
        GraphProto g = GraphProto.newBuilder().setName("ids")
                .addInput(value("ids", INT64, "N", 2)).addOutput(value("y", FLOAT, "N", 2))
                .addInitializer(Graphs.floatTensor("two", new float[] {2f}))
                .addNode(node("Cast", "cast", new String[] {"ids"}, new String[] {"f"}, intAttr("to", FLOAT)))
                .addNode(node("Mul", "mul", new String[] {"f", "two"}, new String[] {"y"}))
                .build();
        return model(g);
    }

    static Path write(ModelProto model, Path dir, String name) {
        Path file = dir.resolve(name);
        OnnxModels.write(model, file);
        return file;
    }

    static ModelProto model(GraphProto graph) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("xai4j-tests").setProducerVersion("1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build();
    }

    /** A tensor value info; {@code batchSymbol} non-null makes the first dimension symbolic. */
    static ValueInfoProto value(String name, int type, String batchSymbol, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        if (batchSymbol != null) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batchSymbol));
        }
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
    }

    static NodeProto node(String op, String name, String[] inputs, String[] outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
        for (String i : inputs) {
            n.addInput(i);
        }
        for (String o : outputs) {
            n.addOutput(o);
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto intsAttr(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
