package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.Emit.first;
import static io.xai4j.onnx.grad.Emit.mul;
import static io.xai4j.onnx.grad.Emit.op;

import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.OperatorSetIdProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Backward rules of pooling ops. */
final class PoolingRules {
    private PoolingRules() {
    }

    static void register(Map<String, BackwardRule> m) {
        m.put("MaxPool", PoolingRules::maxPool);
        m.put("AveragePool", PoolingRules::averagePool);
        m.put("GlobalAveragePool", c -> {
            TensorInfo x = c.info(c.input(0));
            long count = 1;
            for (int i = 2; i < x.rank(); i++) {
                count *= x.dim(i);
            }
            String spread = op(c, "Expand", c.outputGradient(0), c.shapeOf(c.input(0)));
            return first(c, mul(c, spread, c.scalar(1.0 / count, c.input(0))));
        });
        m.put("GlobalMaxPool", c -> {
            TensorInfo x = c.info(c.input(0));
            return first(c, ReductionRules.extremeGradient(c, c.outputGradient(0), c.output(0),
                    Emit.range(2, x.rank())));
        });
    }

    private static List<String> maxPool(BackwardContext c) {
        if (OnnxAttributes.getInt(c.node(), "storage_order", 0) != 0) {
            throw c.unsupported("storage_order=1 is not supported");
        }
        String x = c.input(0);
        String indices = c.requireOutput(1);
        String flatShape = c.int64s(-1);
        String zeros = op(c, "Reshape", c.zerosLike(x), flatShape);
        String scattered = c.emit("ScatterElements", List.of(zeros, op(c, "Reshape", indices, flatShape),
                op(c, "Reshape", c.outputGradient(0), flatShape)), OnnxAttributes.of("axis", 0L),
                OnnxAttributes.of("reduction", "add"));
        return first(c, Emit.reshapeLike(c, scattered, x));
    }

    private static List<String> averagePool(BackwardContext c) {
        String x = c.input(0);
        TensorInfo xi = c.info(x);
        TensorInfo yi = c.info(c.output(0));
        long[] kernel = OnnxAttributes.getInts(c.node(), "kernel_shape", null);
        ConvGeometry geo = new ConvGeometry(c.node(), xi, kernel);
        int channels = xi.dim(1);
        if (xi.isDynamic(1)) {
            throw c.unsupported("a batch-dependent channel axis is not supported");
        }
        // 1 / divisor per output position = AveragePool(ones) / (number of real input elements in the window).
        int spatialIn = 1;
        int spatialOut = 1;
        int[] inShape = new int[xi.rank()];
        inShape[0] = 1;
        inShape[1] = 1;
        for (int d = 0; d < geo.spatial; d++) {
            inShape[2 + d] = xi.dim(2 + d);
            spatialIn *= xi.dim(2 + d);
            spatialOut *= yi.dim(2 + d);
        }
        double[] pooledOnes = evaluatePooledOnes(c, inShape, xi.elemType());
        double[] weights = new double[spatialOut];
        int[] outIndex = new int[geo.spatial];
        for (int o = 0; o < spatialOut; o++) {
            int rest = o;
            for (int d = geo.spatial - 1; d >= 0; d--) {
                outIndex[d] = rest % yi.dim(2 + d);
                rest /= yi.dim(2 + d);
            }
            long real = 1;
            for (int d = 0; d < geo.spatial; d++) {
                long start = outIndex[d] * geo.strides[d] - geo.padsBegin[d];
                long inside = 0;
                for (long k = 0; k < kernel[d]; k++) {
                    long p = start + k * geo.dilations[d];
                    if (p >= 0 && p < xi.dim(2 + d)) {
                        inside++;
                    }
                }
                real *= inside;
            }
            weights[o] = real == 0 ? 0 : pooledOnes[o] / real;
        }
        long[] weightDims = new long[yi.rank()];
        weightDims[0] = 1;
        weightDims[1] = 1;
        for (int d = 0; d < geo.spatial; d++) {
            weightDims[2 + d] = yi.dim(2 + d);
        }
        String w = c.initializer(OnnxTensors.ofDoubles("", xi.elemType(), weights, weightDims));
        long[] onesDims = new long[xi.rank()];
        onesDims[0] = channels;
        onesDims[1] = 1;
        int kernelSize = 1;
        for (int d = 0; d < geo.spatial; d++) {
            onesDims[2 + d] = kernel[d];
            kernelSize *= (int) kernel[d];
        }
        double[] ones = new double[channels * kernelSize];
        Arrays.fill(ones, 1);
        String onesKernel = c.initializer(OnnxTensors.ofDoubles("", xi.elemType(), ones, onesDims));
        long[][] t = geo.transposeGeometry(xi, yi);
        String scaled = mul(c, c.outputGradient(0), w);
        return first(c, c.emit("ConvTranspose", List.of(scaled, onesKernel),
                OnnxAttributes.of("dilations", geo.dilations), OnnxAttributes.of("group", (long) channels),
                OnnxAttributes.of("kernel_shape", kernel), OnnxAttributes.of("pads", t[0]),
                OnnxAttributes.of("output_padding", t[1]), OnnxAttributes.of("strides", geo.strides)));
    }

    /** Runs the same AveragePool on a one-channel image of ones. */
    private static double[] evaluatePooledOnes(BackwardContext c, int[] inShape, int elemType) {
        long[] dims = Arrays.stream(inShape).asLongStream().toArray();
        NodeProto pool = c.node().toBuilder().clearInput().addInput("x").clearOutput().addOutput("y").setName("pool").build();
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType)).build();
        GraphProto g = GraphProto.newBuilder().setName("pooled_ones").addNode(pool)
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(type)).build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(19)).build();
        double[] ones = new double[Arrays.stream(inShape).reduce(1, (a, b) -> a * b)];
        Arrays.fill(ones, 1);
        TensorProto input = OnnxTensors.ofDoubles("x", elemType, ones, dims);
        return c.evaluate(model, Map.of("x", input)).get("y");
    }
}
