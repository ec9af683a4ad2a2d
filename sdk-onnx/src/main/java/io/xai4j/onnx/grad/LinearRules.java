package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.Emit.op;

import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Backward rules of Conv, ConvTranspose, Gemm and MatMul. */
final class LinearRules {
    private LinearRules() {
    }

    static void register(Map<String, BackwardRule> m) {
        m.put("Conv", LinearRules::conv);
        m.put("ConvTranspose", LinearRules::convTranspose);
        m.put("Gemm", LinearRules::gemm);
        m.put("MatMul", LinearRules::matMul);
    }

    private static List<String> conv(BackwardContext c) {
        if (c.needsGradient(1)) {
            throw c.unsupported("gradients with respect to the weights are not supported");
        }
        List<String> g = Emit.none(c);
        TensorInfo x = c.info(c.input(0));
        TensorInfo w = c.info(c.input(1));
        TensorInfo y = c.info(c.output(0));
        String dy = c.outputGradient(0);
        long[] kernel = kernelShape(c, w);
        ConvGeometry geo = new ConvGeometry(c.node(), x, kernel);
        long group = OnnxAttributes.getInt(c.node(), "group", 1);
        if (c.needsGradient(2)) {
            g.set(2, biasGradient(c, dy));
        }
        if (!c.needsGradient(0)) {
            return g;
        }
        boolean unitStride = true;
        long[] flippedPads = new long[2 * geo.spatial];
        for (int d = 0; d < geo.spatial; d++) {
            unitStride &= geo.strides[d] == 1;
            flippedPads[d] = (kernel[d] - 1) * geo.dilations[d] - geo.padsBegin[d];
            flippedPads[geo.spatial + d] = (kernel[d] - 1) * geo.dilations[d] - geo.padsEnd[d];
            unitStride &= flippedPads[d] >= 0 && flippedPads[geo.spatial + d] >= 0;
        }
        if (unitStride) {
            String flipped = flipTransposed(c, c.input(1), w, group);
            g.set(0, c.emit("Conv", List.of(dy, flipped), OnnxAttributes.of("dilations", geo.dilations),
                    OnnxAttributes.of("group", group), OnnxAttributes.of("kernel_shape", kernel),
                    OnnxAttributes.of("pads", flippedPads), OnnxAttributes.of("strides", geo.strides)));
            return g;
        }
        long[][] t = geo.transposeGeometry(x, y);
        g.set(0, c.emit("ConvTranspose", List.of(dy, c.input(1)), OnnxAttributes.of("dilations", geo.dilations),
                OnnxAttributes.of("group", group), OnnxAttributes.of("kernel_shape", kernel),
                OnnxAttributes.of("pads", t[0]), OnnxAttributes.of("output_padding", t[1]),
                OnnxAttributes.of("strides", geo.strides)));
        return g;
    }

    /**
     * W[M, C/g, k...] to W'[C, M/g, k...] with every spatial axis reversed, per group, as graph nodes on the
     * weights: ONNX Runtime folds them into one constant when the weights are constant, and the gradient model
     * stores the weights once.
     */
    static String flipTransposed(BackwardContext c, String weights, TensorInfo w, long group) {
        int rank = w.rank();
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        String transposed;
        if (group == 1) {
            perm[0] = 1;
            perm[1] = 0;
            transposed = op(c, "Transpose", weights, OnnxAttributes.of("perm", perm));
        } else {
            long[] grouped = new long[rank + 1];
            long[] groupedPerm = new long[rank + 1];
            grouped[0] = group;
            grouped[1] = w.dim(0) / group;
            grouped[2] = w.dim(1);
            groupedPerm[0] = 0;
            groupedPerm[1] = 2;
            groupedPerm[2] = 1;
            for (int i = 2; i < rank; i++) {
                grouped[i + 1] = w.dim(i);
                groupedPerm[i + 1] = i + 1;
            }
            long[] shape = Arrays.stream(w.shape()).asLongStream().toArray();
            shape[0] = w.dim(1) * group;
            shape[1] = w.dim(0) / group;
            String swapped = op(c, "Transpose", op(c, "Reshape", weights, c.int64s(grouped)),
                    OnnxAttributes.of("perm", groupedPerm));
            transposed = op(c, "Reshape", swapped, c.int64s(shape));
        }
        int spatial = rank - 2;
        long[] starts = new long[spatial];
        long[] ends = new long[spatial];
        long[] axes = new long[spatial];
        long[] steps = new long[spatial];
        for (int i = 0; i < spatial; i++) {
            starts[i] = -1;
            ends[i] = Long.MIN_VALUE;
            axes[i] = 2 + i;
            steps[i] = -1;
        }
        return c.emit("Slice", List.of(transposed, c.int64s(starts), c.int64s(ends), c.int64s(axes), c.int64s(steps)));
    }

    private static List<String> convTranspose(BackwardContext c) {
        if (c.needsGradient(1)) {
            throw c.unsupported("gradients with respect to the weights are not supported");
        }
        if (!OnnxAttributes.getString(c.node(), "auto_pad", "NOTSET").equals("NOTSET")
                || OnnxAttributes.has(c.node(), "output_shape")) {
            throw c.unsupported("auto_pad and output_shape are not supported; give explicit pads");
        }
        TensorInfo x = c.info(c.input(0));
        TensorInfo w = c.info(c.input(1));
        long[] kernel = kernelShape(c, w);
        ConvGeometry geo = new ConvGeometry(c.node(), x, kernel);
        List<String> g = Emit.none(c);
        String dy = c.outputGradient(0);
        if (c.needsGradient(2)) {
            g.set(2, biasGradient(c, dy));
        }
        if (c.needsGradient(0)) {
            g.set(0, c.emit("Conv", List.of(dy, c.input(1)), OnnxAttributes.of("dilations", geo.dilations),
                    OnnxAttributes.of("group", OnnxAttributes.getInt(c.node(), "group", 1)),
                    OnnxAttributes.of("kernel_shape", kernel), OnnxAttributes.of("pads", geo.pads()),
                    OnnxAttributes.of("strides", geo.strides)));
        }
        return g;
    }

    /** The kernel_shape attribute, or the spatial dimensions of the weight {@code w}. */
    private static long[] kernelShape(BackwardContext c, TensorInfo w) {
        long[] kernel = OnnxAttributes.getInts(c.node(), "kernel_shape", null);
        if (kernel == null) {
            kernel = new long[w.rank() - 2];
            for (int d = 0; d < kernel.length; d++) {
                kernel[d] = w.dim(2 + d);
            }
        }
        return kernel;
    }

    /** The gradient of a per-channel bias: {@code dY} summed over the batch and spatial axes. */
    private static String biasGradient(BackwardContext c, String dy) {
        int rank = c.info(c.output(0)).rank();
        long[] axes = new long[rank - 1];
        for (int i = 2; i < rank; i++) {
            axes[i - 1] = i;
        }
        return Emit.reduceSum(c, dy, axes, false);
    }

    private static List<String> gemm(BackwardContext c) {
        boolean ta = OnnxAttributes.getInt(c.node(), "transA", 0) != 0;
        boolean tb = OnnxAttributes.getInt(c.node(), "transB", 0) != 0;
        float alpha = OnnxAttributes.getFloat(c.node(), "alpha", 1f);
        float beta = OnnxAttributes.getFloat(c.node(), "beta", 1f);
        String a = c.input(0);
        String b = c.input(1);
        String dy = c.outputGradient(0);
        List<String> g = Emit.none(c);
        if (c.needsGradient(0)) {
            g.set(0, ta ? gemm(c, b, dy, tb, true, alpha) : gemm(c, dy, b, false, !tb, alpha));
        }
        if (c.needsGradient(1)) {
            g.set(1, tb ? gemm(c, dy, a, true, ta, alpha) : gemm(c, a, dy, !ta, false, alpha));
        }
        if (c.needsGradient(2)) {
            String scaled = beta == 1f ? dy : Emit.mul(c, dy, c.scalar(beta, c.output(0)));
            g.set(2, c.reduceToShape(scaled, c.info(c.output(0)), c.input(2)));
        }
        return g;
    }

    private static String gemm(BackwardContext c, String a, String b, boolean ta, boolean tb, float alpha) {
        List<AttributeProto> attrs = new ArrayList<>();
        attrs.add(OnnxAttributes.of("alpha", alpha));
        attrs.add(OnnxAttributes.of("beta", 0f));
        attrs.add(OnnxAttributes.of("transA", ta ? 1L : 0L));
        attrs.add(OnnxAttributes.of("transB", tb ? 1L : 0L));
        return c.emit("Gemm", List.of(a, b), attrs.toArray(new AttributeProto[0]));
    }

    private static List<String> matMul(BackwardContext c) {
        String a = c.input(0);
        String b = c.input(1);
        TensorInfo ai = c.info(a);
        TensorInfo bi = c.info(b);
        TensorInfo yi = c.info(c.output(0));
        String dy = c.outputGradient(0);
        int ra2 = Math.max(ai.rank(), 2);
        int rb2 = Math.max(bi.rank(), 2);
        int r2 = Math.max(ra2, rb2);
        // Y2: Y with the axes of 1-D operands restored.
        int[] y2 = new int[r2];
        boolean[] y2dyn = new boolean[r2];
        int[] ys = yi.shape();
        boolean[] yd = yi.batchDependent();
        int batch = r2 - 2;
        for (int i = 0; i < batch; i++) {
            y2[i] = ys[i];
            y2dyn[i] = yd[i];
        }
        y2[batch] = ai.rank() == 1 ? 1 : ys[batch];
        y2dyn[batch] = ai.rank() != 1 && yd[batch];
        int mAxis = ai.rank() == 1 ? batch : batch + 1;
        y2[batch + 1] = bi.rank() == 1 ? 1 : ys[mAxis];
        y2dyn[batch + 1] = bi.rank() != 1 && yd[mAxis];
        List<Long> restore = new ArrayList<>();
        if (ai.rank() == 1) {
            restore.add((long) r2 - 2);
        }
        if (bi.rank() == 1) {
            restore.add((long) r2 - 1);
        }
        String dy2 = restore.isEmpty() ? dy : op(c, "Unsqueeze", dy,
                c.int64s(restore.stream().mapToLong(Long::longValue).toArray()));
        String a2 = ai.rank() == 1 ? op(c, "Unsqueeze", a, c.int64s(0)) : a;
        String b2 = bi.rank() == 1 ? op(c, "Unsqueeze", b, c.int64s(1)) : b;
        List<String> g = Emit.none(c);
        if (c.needsGradient(0)) {
            String da = c.emit("MatMul", List.of(dy2, swapLast(c, b2, rb2)));
            g.set(0, reduceBatch(c, da, y2, y2dyn, ai, ra2, a));
        }
        if (c.needsGradient(1)) {
            String db = c.emit("MatMul", List.of(swapLast(c, a2, ra2), dy2));
            g.set(1, reduceBatch(c, db, y2, y2dyn, bi, rb2, b));
        }
        return g;
    }

    private static String swapLast(BackwardContext c, String t, int rank) {
        long[] perm = Emit.range(0, rank);
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        return op(c, "Transpose", t, OnnxAttributes.of("perm", perm));
    }

    /** Sums a gradient with the batch axes of Y2 over the batch axes the operand was broadcast along. */
    private static String reduceBatch(BackwardContext c, String grad, int[] y2, boolean[] y2dyn, TensorInfo operand,
            int operandRank2, String operandName) {
        int r2 = y2.length;
        int batch = r2 - 2;
        int operandBatch = operandRank2 - 2;
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            int j = i - (batch - operandBatch);
            if (j < 0) {
                axes.add((long) i);
            } else if (!operand.isDynamic(j) && operand.dim(j) == 1 && (y2dyn[i] || y2[i] != 1)) {
                axes.add((long) i);
            }
        }
        String g = Emit.reduceSum(c, grad, axes.stream().mapToLong(Long::longValue).toArray(), true);
        return Emit.reshapeLike(c, g, operandName);
    }
}
