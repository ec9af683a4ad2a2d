package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.Emit.op;

import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.OperatorSetIdProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TypeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resize is separable and linear along each resized axis: its gradient applies the transposed interpolation
 * matrix per axis. Each matrix is tabulated at export time by running the same Resize on an identity basis.
 * Sizes computed at run time are read from the output's probe shape.
 */
final class ResizeRule implements BackwardRule {
    @Override
    public List<String> backward(BackwardContext c) {
        String x = c.input(0);
        TensorInfo xi = c.info(x);
        TensorInfo yi = c.info(c.output(0));
        int rank = xi.rank();
        String ctm = OnnxAttributes.getString(c.node(), "coordinate_transformation_mode", "half_pixel");
        if (ctm.equals("tf_crop_and_resize")) {
            throw c.unsupported("coordinate_transformation_mode tf_crop_and_resize is not supported");
        }
        double[] scales = Emit.present(c, 2) && c.info(c.input(2)).dim(0) > 0
                ? expand(c, Emit.constantDoubles(c, 2, "Resize scales"), rank, 1.0) : null;
        long[] sizes = scales == null && Emit.present(c, 3) ? sizes(c, rank) : null;
        if (sizes != null && !OnnxAttributes.getString(c.node(), "keep_aspect_ratio_policy", "stretch").equals("stretch")) {
            throw c.unsupported("keep_aspect_ratio_policy other than stretch is not supported");
        }
        String g = c.outputGradient(0);
        for (int a = 0; a < rank; a++) {
            boolean resized = xi.dim(a) != yi.dim(a) || (scales != null && scales[a] != 1.0);
            if (!resized) {
                continue;
            }
            if (xi.isDynamic(a)) {
                throw c.unsupported("resizing the batch axis is not supported");
            }
            int n = xi.dim(a);
            int m = yi.dim(a);
            double[] matrix = interpolationMatrix(c, xi, a, n, m, scales, sizes);
            g = applyTransposed(c, g, rank, a, matrix, n, m);
        }
        return Emit.first(c, g);
    }

    /**
     * The constant sizes or, when they are computed at run time (from the input's shape, as in
     * {@code F.interpolate(size=x.shape[-2:])}), the output's shape in the probe run: the gradient graph is
     * built for the probe's shapes on every axis but the batch, which Resize may not resize.
     */
    private static long[] sizes(BackwardContext c, int rank) {
        if (c.constantValue(c.input(3)).isPresent()) {
            return toLong(expand(c, toDouble(Emit.constantLongs(c, 3, "Resize sizes")), rank, -1));
        }
        return java.util.Arrays.stream(c.info(c.output(0)).shape()).asLongStream().toArray();
    }

    private static double[] expand(BackwardContext c, double[] values, int rank, double fill) {
        long[] axes = OnnxAttributes.getInts(c.node(), "axes", null);
        if (axes == null) {
            return values;
        }
        double[] full = new double[rank];
        java.util.Arrays.fill(full, fill);
        for (int i = 0; i < axes.length; i++) {
            full[(int) (axes[i] < 0 ? axes[i] + rank : axes[i])] = values[i];
        }
        return full;
    }

    private static double[] toDouble(long[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static long[] toLong(double[] v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = (long) v[i];
        }
        return l;
    }

    /** A[j', i] = weight of input i in output j' along axis {@code a}, as an [m, n] row-major matrix. */
    private static double[] interpolationMatrix(BackwardContext c, TensorInfo xi, int a, int n, int m, double[] scales,
            long[] sizes) {
        int rank = xi.rank();
        int b = a == 0 ? 1 : 0;
        long[] inDims = new long[rank];
        java.util.Arrays.fill(inDims, 1);
        inDims[a] = n;
        inDims[b] = n;
        double[] identity = new double[n * n];
        for (int i = 0; i < n; i++) {
            identity[i * n + i] = 1;
        }
        NodeProto.Builder node = OnnxAttributes.without(c.node(), "axes").toBuilder().clearInput().clearOutput()
                .setName("resize").addInput("x").addOutput("y");
        Map<String, TensorProto> inputs = new HashMap<>();
        int type = xi.elemType();
        inputs.put("x", OnnxTensors.ofDoubles("x", type, identity, inDims));
        List<TensorProto> initializers = new ArrayList<>();
        if (Emit.present(c, 1) && c.constantValue(c.input(1)).isPresent()) {
            node.addInput("roi");
            initializers.add(c.constantValue(c.input(1)).get().toBuilder().setName("roi").build());
        } else {
            node.addInput("");
        }
        if (scales != null) {
            double[] s = new double[rank];
            java.util.Arrays.fill(s, 1);
            s[a] = scales[a];
            node.addInput("scales");
            initializers.add(OnnxTensors.ofDoubles("scales", TensorProto.DataType.FLOAT_VALUE, s, rank));
        } else {
            long[] s = inDims.clone();
            s[a] = m;
            node.addInput("").addInput("sizes");
            initializers.add(OnnxTensors.ofLongs("sizes", s, rank));
        }
        TypeProto t = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type)).build();
        GraphProto graph = GraphProto.newBuilder().setName("interpolation").addNode(node).addAllInitializer(initializers)
                .addInput(ValueInfoProto.newBuilder().setName("x").setType(t))
                .addOutput(ValueInfoProto.newBuilder().setName("y").setType(t)).build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setGraph(graph)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(19)).build();
        double[] y = c.evaluate(model, inputs).get("y");
        if (y.length != n * m) {
            throw c.unsupported("the interpolation along axis " + a + " does not map " + n + " to " + m + " elements");
        }
        double[] matrix = new double[m * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                matrix[j * n + i] = b < a ? y[i * m + j] : y[j * n + i];
            }
        }
        return matrix;
    }

    private static String applyTransposed(BackwardContext c, String g, int rank, int a, double[] matrix, int n, int m) {
        int type = c.info(c.input(0)).elemType();
        if (a == rank - 2) {
            double[] transposed = new double[n * m];
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < n; i++) {
                    transposed[i * m + j] = matrix[j * n + i];
                }
            }
            String at = c.initializer(OnnxTensors.ofDoubles("", type, transposed, n, m));
            return c.emit("MatMul", List.of(at, g));
        }
        String am = c.initializer(OnnxTensors.ofDoubles("", type, matrix, m, n));
        if (a == rank - 1) {
            return c.emit("MatMul", List.of(g, am));
        }
        long[] perm = Emit.range(0, rank);
        perm[a] = rank - 1;
        perm[rank - 1] = a;
        String moved = op(c, "Transpose", g, OnnxAttributes.of("perm", perm));
        return op(c, "Transpose", c.emit("MatMul", List.of(moved, am)), OnnxAttributes.of("perm", perm));
    }
}
