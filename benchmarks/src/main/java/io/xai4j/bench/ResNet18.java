package io.xai4j.bench;

import com.google.protobuf.ByteString;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.OperatorSetIdProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A ResNet-18 (He et al. 2016, torchvision's topology) as an opset-17 ONNX model with random weights: Conv 7x7/2,
 * ReLU, MaxPool 3x3/2, four stages of two BasicBlocks with 64, 128, 256 and 512 channels (a 1x1/2 projection on
 * the first block of stages 2 to 4), GlobalAveragePool, Flatten and a Gemm to 1000 logits. BatchNorm is folded
 * into the convolutions, as PyTorch's export with constant folding does, so every Conv has a bias.
 * Input {@code input [batch,3,224,224]}, output {@code logits [batch,1000]}.
 */
public final class ResNet18 {
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";
    /** The last stage's output {@code [batch,512,7,7]}, the usual layer for CAM methods. */
    public static final String FEATURES = "features";
    public static final int CLASSES = 1000;
    public static final int[] IMAGE_SHAPE = {3, 224, 224};
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final float BN_EPSILON = 1e-5f;

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("resnet18");
    private final Random random;
    private int nodes;

    private ResNet18(long seed) {
        this.random = new Random(seed);
    }

    /** The model with weights drawn from a generator seeded with {@code seed}; equal seeds give equal models. */
    public static ModelProto build(long seed) {
        return new ResNet18(seed).model();
    }

    /** Builds the model and writes it to a new temporary file, deleted when the JVM exits. */
    public static Path writeTemp(long seed) {
        try {
            Path file = Files.createTempFile("xai4j-resnet18-", ".onnx");
            file.toFile().deleteOnExit();
            Files.write(file, build(seed).toByteArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark model: " + e.getMessage(), e);
        }
    }

    private ModelProto model() {
        graph.addInput(value(INPUT, "batch", IMAGE_SHAPE[0], IMAGE_SHAPE[1], IMAGE_SHAPE[2]));
        graph.addOutput(value(OUTPUT, "batch", CLASSES));
        String x = conv(INPUT, 3, 64, 7, 2, 3);
        x = node("Relu", new String[] {x});
        x = node("MaxPool", new String[] {x}, ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1));
        int channels = 64;
        for (int stage = 0; stage < 4; stage++) {
            int width = 64 << stage;
            for (int block = 0; block < 2; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = basicBlock(x, channels, width, stride, stage == 3 && block == 1 ? FEATURES : null);
                channels = width;
            }
        }
        x = node("GlobalAveragePool", new String[] {x});
        x = node("Flatten", new String[] {x}, integer("axis", 1));
        String w = initializer("fc.weight", uniform(CLASSES * 512, 1 / Math.sqrt(512)), CLASSES, 512);
        String b = initializer("fc.bias", uniform(CLASSES, 1 / Math.sqrt(512)), CLASSES);
        graph.addNode(NodeProto.newBuilder().setOpType("Gemm").setName("fc").addInput(x).addInput(w).addInput(b)
                .addOutput(OUTPUT).addAttribute(integer("transB", 1)));
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("xai4j-benchmarks")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .setGraph(graph).build();
    }

    private String basicBlock(String x, int in, int out, int stride, String outputName) {
        String y = conv(x, in, out, 3, stride, 1);
        y = node("Relu", new String[] {y});
        y = conv(y, out, out, 3, 1, 1);
        String shortcut = stride == 1 && in == out ? x : conv(x, in, out, 1, stride, 0);
        String sum = node("Add", new String[] {y, shortcut});
        return outputName == null ? node("Relu", new String[] {sum}) : named("Relu", outputName, sum);
    }

    /** A bias-free convolution followed by a BatchNorm with random statistics, folded into one Conv. */
    private String conv(String x, int in, int out, int kernel, int stride, int pad) {
        int fanIn = in * kernel * kernel;
        float[] weight = normal(out * fanIn, Math.sqrt(2.0 / fanIn));
        float[] bias = new float[out];
        for (int o = 0; o < out; o++) {
            float gamma = 0.5f + random.nextFloat();
            float beta = 0.1f * (float) random.nextGaussian();
            float mean = 0.1f * (float) random.nextGaussian();
            float variance = 0.5f + random.nextFloat();
            float scale = gamma / (float) Math.sqrt(variance + BN_EPSILON);
            for (int i = o * fanIn; i < (o + 1) * fanIn; i++) {
                weight[i] *= scale;
            }
            bias[o] = beta - mean * scale;
        }
        String name = "conv" + nodes;
        String w = initializer(name + ".weight", weight, out, in, kernel, kernel);
        String b = initializer(name + ".bias", bias, out);
        return node("Conv", new String[] {x, w, b}, ints("kernel_shape", kernel, kernel),
                ints("strides", stride, stride), ints("pads", pad, pad, pad, pad));
    }

    private String node(String op, String[] inputs, AttributeProto... attributes) {
        String name = op.toLowerCase() + "_" + nodes++;
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(name + "_out");
        for (String i : inputs) {
            n.addInput(i);
        }
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return name + "_out";
    }

    private String named(String op, String output, String input) {
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(op.toLowerCase() + "_" + nodes++).addInput(input)
                .addOutput(output));
        return output;
    }

    private String initializer(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    private float[] normal(int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return v;
    }

    private float[] uniform(int n, double bound) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return v;
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static ValueInfoProto value(String name, String batch, int... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (int d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape))).build();
    }
}
