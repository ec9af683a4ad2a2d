package io.xai4j.cli;

import io.xai4j.onnx.grad.OnnxAttributes;
import io.xai4j.onnx.grad.OnnxTensors;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.OperatorSetIdProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small ReLU network for LRP tests, x {@code [N,C,S,S]} -> Conv 3x3 (padding 1) -> [BatchNormalization] -> Relu
 * -> Flatten -> Gemm -> y, written as an ONNX model and kept as dense matrices (the convolution unrolled by loops)
 * for the literal reference {@link LiteralLrp}.
 */
final class LrpNet {
    /** A linear layer as a dense matrix: {@code w[j][i]} from input i to output j, and which pairs are connected. */
    record Dense(double[][] w, double[] b, boolean[][] connected) {
    }

    final List<Dense> layers = new ArrayList<>();
    final ModelProto model;
    final int inputSize;

    /**
     * @param withBias  random biases, or zeros
     * @param batchNorm a BatchNormalization after the convolution (folded into the dense layer)
     */
    LrpNet(long seed, int channels, int size, int filters, int classes, boolean withBias, boolean batchNorm) {
        Random random = new Random(seed);
        int pixels = size * size;
        inputSize = channels * pixels;
        double[] conv = uniform(random, filters * channels * 9, 0.5);
        double[] convBias = withBias ? uniform(random, filters, 0.3) : new double[filters];
        double[][] w = new double[filters * pixels][inputSize];
        boolean[][] connected = new boolean[filters * pixels][inputSize];
        for (int f = 0; f < filters; f++) {
            for (int oy = 0; oy < size; oy++) {
                for (int ox = 0; ox < size; ox++) {
                    for (int c = 0; c < channels; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int iy = oy + ky - 1;
                                int ix = ox + kx - 1;
                                if (iy >= 0 && iy < size && ix >= 0 && ix < size) {
                                    int j = f * pixels + oy * size + ox;
                                    int i = c * pixels + iy * size + ix;
                                    w[j][i] = conv[((f * channels + c) * 3 + ky) * 3 + kx];
                                    connected[j][i] = true;
                                }
                            }
                        }
                    }
                }
            }
        }
        double[] b = new double[filters * pixels];
        double[] scale = uniform(random, filters, 1);
        double[] shift = withBias ? uniform(random, filters, 0.3) : new double[filters];
        double[] mean = withBias ? uniform(random, filters, 0.3) : new double[filters];
        double[] variance = new double[filters];
        for (int f = 0; f < filters; f++) {
            scale[f] += 1.5;
            variance[f] = 0.5 + random.nextDouble();
            double s = batchNorm ? scale[f] / Math.sqrt(variance[f] + 1e-5) : 1;
            for (int p = 0; p < pixels; p++) {
                int j = f * pixels + p;
                for (int i = 0; i < inputSize; i++) {
                    w[j][i] *= s;
                }
                b[j] = batchNorm ? (convBias[f] - mean[f]) * s + shift[f] : convBias[f];
            }
        }
        layers.add(new Dense(w, b, connected));
        int hidden = filters * pixels;
        double[] head = uniform(random, classes * hidden, 0.3);
        double[] headBias = withBias ? uniform(random, classes, 0.3) : new double[classes];
        double[][] hw = new double[classes][hidden];
        boolean[][] hc = new boolean[classes][hidden];
        for (int j = 0; j < classes; j++) {
            for (int i = 0; i < hidden; i++) {
                hw[j][i] = head[j * hidden + i];
                hc[j][i] = true;
            }
        }
        layers.add(new Dense(hw, headBias, hc));

        GraphProto.Builder g = GraphProto.newBuilder().setName("lrp-net")
                .addInput(input("x", -1, channels, size, size)).addOutput(output("y"))
                .addInitializer(floats("w1", conv, filters, channels, 3, 3))
                .addInitializer(floats("b1", convBias, filters))
                .addInitializer(floats("w2", head, classes, hidden))
                .addInitializer(floats("b2", headBias, classes))
                .addNode(node("Conv", List.of("x", "w1", "b1"), "c1").addAttribute(OnnxAttributes.of("pads", 1L, 1L, 1L, 1L)));
        String activation = "c1";
        if (batchNorm) {
            g.addInitializer(floats("scale", scale, filters)).addInitializer(floats("shift", shift, filters))
                    .addInitializer(floats("mean", mean, filters)).addInitializer(floats("var", variance, filters))
                    .addNode(node("BatchNormalization", List.of("c1", "scale", "shift", "mean", "var"), "n1"));
            activation = "n1";
        }
        g.addNode(node("Relu", List.of(activation), "r1"))
                .addNode(node("Flatten", List.of("r1"), "f1"))
                .addNode(node("Gemm", List.of("f1", "w2", "b2"), "y").addAttribute(OnnxAttributes.of("transB", 1L)));
        model = model(g);
    }

    Path write(Path dir, String name) throws IOException {
        Path file = dir.resolve(name + ".onnx");
        Files.write(file, model.toByteArray());
        return file;
    }

    static ModelProto model(GraphProto.Builder graph) {
        return ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(18)).build();
    }

    static double[] uniform(Random random, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextDouble() * 2 - 1) * scale;
        }
        return v;
    }

    static TensorProto floats(String name, double[] values, long... dims) {
        return OnnxTensors.ofDoubles(name, TensorProto.DataType.FLOAT_VALUE, values, dims);
    }

    static NodeProto.Builder node(String op, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(op).setName(op.toLowerCase() + "_" + output).addAllInput(inputs)
                .addOutput(output);
    }

    /** A float input; -1 marks the symbolic batch axis. */
    static ValueInfoProto input(String name, int... shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int d : shape) {
            s.addDim(d < 0 ? TensorShapeProto.Dimension.newBuilder().setDimParam("N")
                    : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    static ValueInfoProto output(String name) {
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))).build();
    }
}
