package io.xai4j.cli;

import io.xai4j.api.ModelOpener;
import io.xai4j.inject.Xai4j;
import io.xai4j.onnx.Graphs;
import io.xai4j.onnx.grad.OnnxTensors;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.OperatorSetIdProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Test models: a small ResNet (input [1,3,64,64], output logits [1,10]) and one-op models. */
final class Fixtures {
    static final String RESNET_INNER = "/layer4/layer4.0/relu_1/Relu_output_0";

    private Fixtures() {
    }

    /**
     * A test model copied into {@code dir}: {@code demo} (the embedded demo), {@code resnet} ({@link #resnet}) or a
     * model of the test resources' {@code /models} folder by name.
     */
    static Path named(String name, Path dir) throws Exception {
        if (name.equals("demo")) {
            return Demo.extract().model();
        }
        if (name.equals("resnet")) {
            return resnet(dir);
        }
        Path model = dir.resolve(name + ".onnx");
        try (InputStream in = Fixtures.class.getResourceAsStream("/models/" + name + ".onnx")) {
            Files.copy(in, model);
        }
        return model;
    }

    static Path resnet(Path dir) throws IOException {
        Path file = dir.resolve("resnet.onnx");
        try (InputStream in = Fixtures.class.getResourceAsStream("/models/resnet.onnx")) {
            Files.copy(in, file);
        }
        return file;
    }

    /** y = op(x) for x of shape [N, 3]. */
    static Path unaryModel(Path dir, String op) throws IOException {
        TypeProto.Tensor.Builder x = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3)));
        GraphProto graph = GraphProto.newBuilder().setName("unary")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(x)))
                .addNode(NodeProto.newBuilder().setOpType(op).setName("the_" + op.toLowerCase()).addInput("x").addOutput("y"))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))))
                .build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(18)).build();
        Path file = dir.resolve(op.toLowerCase() + ".onnx");
        Files.write(file, model.toByteArray());
        return file;
    }

    /** y = Clip(x, min, max) for x of shape [N, 3], min and max initializers, each left out when null. */
    static Path clipModel(Path dir, Float min, Float max) throws IOException {
        TypeProto.Tensor.Builder x = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3)));
        NodeProto.Builder clip = NodeProto.newBuilder().setOpType("Clip").setName("clip").addInput("x")
                .addInput(min == null ? "" : "min").addInput(max == null ? "" : "max").addOutput("y");
        GraphProto.Builder graph = GraphProto.newBuilder().setName("clip")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(x)))
                .addNode(clip)
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        if (min != null) {
            graph.addInitializer(scalar("min", min));
        }
        if (max != null) {
            graph.addInitializer(scalar("max", max));
        }
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(18)).build();
        Path file = dir.resolve("clip_" + min + "_" + max + ".onnx");
        Files.write(file, model.toByteArray());
        return file;
    }

    /** The gradient of x in {@code file}'s graph y = f(x) under {@code ruleSet}, seeded with {@code dy}. */
    static Tensor vjp(Path file, String ruleSet, Tensor x, Tensor dy) throws Exception {
        try (Model model = Xai4j.injector().getInstance(ModelOpener.class).open(file, ModelOptions.defaults())) {
            return model.gradients().orElseThrow().vjp(new GradientRequest(Map.of("x", x), "y", dy, Set.of("x"),
                    Set.of(), ruleSet, false)).gradients().get("x");
        }
    }

    /** y = x * scale + 1 for x of shape [N, 3]: a bias plus a signal that vanishes for a tiny scale. */
    static Path scaledModel(Path dir, float scale) throws IOException {
        TypeProto.Tensor.Builder x = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3)));
        GraphProto graph = GraphProto.newBuilder().setName("scaled")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(x)))
                .addInitializer(scalar("scale", scale))
                .addInitializer(scalar("one", 1f))
                .addNode(NodeProto.newBuilder().setOpType("Mul").setName("mul").addInput("x").addInput("scale").addOutput("m"))
                .addNode(NodeProto.newBuilder().setOpType("Add").setName("add").addInput("m").addInput("one").addOutput("y"))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))))
                .build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(18)).build();
        Path file = dir.resolve("scaled.onnx");
        Files.write(file, model.toByteArray());
        return file;
    }

    /**
     * A CNN with one wide layer: input [N,3,size,size], a 1x1 Conv to {@code channels} channels ({@code conv}),
     * GlobalAveragePool, Flatten and a Gemm to 2 classes ({@code logits}); all weights 0.01.
     */
    static Path wideConvModel(Path dir, int channels, int size) throws IOException {
        TypeProto.Tensor.Builder x = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE)
                .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(3))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(size))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(size)));
        GraphProto graph = GraphProto.newBuilder().setName("wide")
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(x)))
                .addInitializer(filled("conv_w", 0.01f, channels, 3, 1, 1))
                .addInitializer(filled("fc_w", 0.01f, 2, channels))
                .addNode(NodeProto.newBuilder().setOpType("Conv").setName("conv").addInput("x").addInput("conv_w")
                        .addOutput("conv"))
                .addNode(NodeProto.newBuilder().setOpType("GlobalAveragePool").setName("pool").addInput("conv")
                        .addOutput("pooled"))
                .addNode(NodeProto.newBuilder().setOpType("Flatten").setName("flatten").addInput("pooled")
                        .addOutput("flat"))
                .addNode(NodeProto.newBuilder().setOpType("Gemm").setName("fc").addInput("flat").addInput("fc_w")
                        .addOutput("logits").addAttribute(AttributeProto.newBuilder().setName("transB").setI(1)
                                .setType(AttributeProto.AttributeType.INT)))
                .addOutput(ValueInfoProto.newBuilder().setName("logits").setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))))
                .build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(18)).build();
        Path file = dir.resolve("wide.onnx");
        Files.write(file, model.toByteArray());
        return file;
    }

    private static TensorProto filled(String name, float value, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
        long count = 1;
        for (long d : dims) {
            t.addDims(d);
            count *= d;
        }
        for (long i = 0; i < count; i++) {
            t.addFloatData(value);
        }
        return t.build();
    }

    /**
     * A copy of {@code source} in {@code dir} whose weights (float initializers of rank 2 or more) are seeded Gaussian
     * values of each tensor's own mean and standard deviation: the same network, knowing nothing.
     */
    static Path reweighted(Path source, long seed, Path dir) throws IOException {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(source));
        GraphProto.Builder graph = model.getGraph().toBuilder();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE || t.getDimsCount() < 2) {
                continue;
            }
            double[] v = OnnxTensors.toDoubles(t);
            double mean = java.util.Arrays.stream(v).average().orElse(0);
            double std = Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).average().orElse(0));
            float[] values = new float[v.length];
            for (int e = 0; e < v.length; e++) {
                values[e] = (float) (mean + std * random.nextGaussian());
            }
            graph.setInitializer(i, Graphs.floatTensor(t.getName(), values, OnnxTensors.dims(t)));
        }
        Path file = dir.resolve("reweighted-" + seed + ".onnx");
        Files.write(file, model.toBuilder().setGraph(graph).build().toByteArray());
        return file;
    }

    private static TensorProto scalar(String name, float value) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData(value)
                .build();
    }
}
