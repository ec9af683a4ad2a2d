package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.Emit.add;
import static io.xai4j.onnx.grad.Emit.mul;
import static io.xai4j.onnx.grad.Emit.op;
import static io.xai4j.onnx.grad.Emit.sub;

import java.util.List;
import java.util.Map;

/**
 * Backward rules of BatchNormalization (inference), LayerNormalization, InstanceNormalization, LpNormalization
 * and LRN.
 */
final class NormalizationRules {
    private NormalizationRules() {
    }

    static void register(Map<String, BackwardRule> m) {
        m.put("BatchNormalization", NormalizationRules::batchNorm);
        m.put("LayerNormalization", NormalizationRules::layerNorm);
        m.put("InstanceNormalization", NormalizationRules::instanceNorm);
        m.put("LpNormalization", NormalizationRules::lpNorm);
        m.put("LRN", NormalizationRules::lrn);
    }

    private static List<String> batchNorm(BackwardContext c) {
        if (OnnxAttributes.getInt(c.node(), "training_mode", 0) != 0 || c.node().getOutputList().stream().skip(1)
                .anyMatch(o -> !o.isEmpty())) {
            throw c.unsupported("training-mode batch normalization is not supported; export the model in eval mode");
        }
        for (int i = 1; i < 5; i++) {
            if (c.needsGradient(i)) {
                throw c.unsupported("gradients with respect to the normalization parameters are not supported");
            }
        }
        String x = c.input(0);
        TensorInfo xi = c.info(x);
        float eps = OnnxAttributes.getFloat(c.node(), "epsilon", 1e-5f);
        String factor = Emit.div(c, c.input(1), op(c, "Sqrt", add(c, c.input(4), c.scalar(eps, x))));
        return Emit.first(c, mul(c, c.outputGradient(0), channelShaped(c, factor, xi, false)));
    }

    /** Reshapes a per-channel vector to broadcast over [N, C, ...]. */
    private static String channelShaped(BackwardContext c, String perChannel, TensorInfo xi, boolean withoutBatch) {
        long[] shape = new long[withoutBatch ? xi.rank() - 1 : xi.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[withoutBatch ? 0 : 1] = -1;
        return op(c, "Reshape", perChannel, c.int64s(shape));
    }

    private static List<String> layerNorm(BackwardContext c) {
        String x = c.input(0);
        TensorInfo xi = c.info(x);
        long axis = OnnxAttributes.getInt(c.node(), "axis", -1);
        axis = axis < 0 ? axis + xi.rank() : axis;
        float eps = OnnxAttributes.getFloat(c.node(), "epsilon", 1e-5f);
        long[] axes = Emit.range((int) axis, xi.rank());
        List<String> g = Emit.none(c);
        String[] normalized = normalize(c, x, axes, eps);
        String dy = c.outputGradient(0);
        if (c.needsGradient(0)) {
            g.set(0, inputGradient(c, mul(c, dy, c.input(1)), normalized, axes));
        }
        TensorInfo yi = c.info(c.output(0));
        if (c.needsGradient(1)) {
            g.set(1, c.reduceToShape(mul(c, dy, normalized[0]), yi, c.input(1)));
        }
        if (c.needsGradient(2)) {
            g.set(2, c.reduceToShape(dy, yi, c.input(2)));
        }
        return g;
    }

    private static List<String> instanceNorm(BackwardContext c) {
        if (c.needsGradient(1) || c.needsGradient(2)) {
            throw c.unsupported("gradients with respect to the normalization parameters are not supported");
        }
        String x = c.input(0);
        TensorInfo xi = c.info(x);
        float eps = OnnxAttributes.getFloat(c.node(), "epsilon", 1e-5f);
        long[] axes = Emit.range(2, xi.rank());
        String[] normalized = normalize(c, x, axes, eps);
        String scale = channelShaped(c, c.input(1), xi, true);
        return Emit.first(c, inputGradient(c, mul(c, c.outputGradient(0), scale), normalized, axes));
    }

    /** y = x / |x|_p along the axis: dX = (dY - g * sum(dY * y)) / |x|_p with g = y (p = 2) or sign(x) (p = 1). */
    private static List<String> lpNorm(BackwardContext c) {
        String x = c.input(0);
        long p = OnnxAttributes.getInt(c.node(), "p", 2);
        if (p != 1 && p != 2) {
            throw c.unsupported("LpNormalization with p=" + p + " is not supported; expected 1 or 2");
        }
        long axis = OnnxAttributes.getInt(c.node(), "axis", -1);
        String norm = op(c, p == 2 ? "ReduceL2" : "ReduceL1", x, c.int64s(axis), OnnxAttributes.of("keepdims", 1L));
        String y = c.output(0);
        String g = p == 2 ? y : op(c, "Sign", x);
        String dy = c.outputGradient(0);
        String projection = Emit.reduceSum(c, mul(c, dy, y), new long[] {axis}, true);
        return Emit.first(c, Emit.div(c, sub(c, dy, mul(c, g, projection)), norm));
    }

    /**
     * y = x d^-beta with d = bias + alpha / size * S(x^2), S the sum over a window of channels:
     * dX = dY d^-beta - 2 alpha beta / size * x * S^T(dY x d^(-beta-1)).
     */
    private static List<String> lrn(BackwardContext c) {
        String x = c.input(0);
        TensorInfo xi = c.info(x);
        if (xi.isDynamic(1)) {
            throw c.unsupported("LRN with a dynamic channel count is not supported");
        }
        double alpha = OnnxAttributes.getFloat(c.node(), "alpha", 1e-4f);
        double beta = OnnxAttributes.getFloat(c.node(), "beta", 0.75f);
        double bias = OnnxAttributes.getFloat(c.node(), "bias", 1f);
        long size = OnnxAttributes.getInt(c.node(), "size", 1);
        long below = (size - 1) / 2;
        long above = size - 1 - below;
        String d = add(c, c.scalar(bias, x), mul(c, c.scalar(alpha / size, x),
                channelWindowSum(c, mul(c, x, x), xi.dim(1), size, below, above)));
        String dy = c.outputGradient(0);
        String direct = mul(c, dy, op(c, "Pow", d, c.scalar(-beta, x)));
        String inner = mul(c, mul(c, dy, x), op(c, "Pow", d, c.scalar(-beta - 1, x)));
        String spread = channelWindowSum(c, inner, xi.dim(1), size, above, below);
        return Emit.first(c, sub(c, direct, mul(c, mul(c, c.scalar(2 * alpha * beta / size, x), x), spread)));
    }

    /** Sum over channels c - before .. c + after of a [N, C, ...] tensor, as a Conv over [N, 1, C, rest]. */
    private static String channelWindowSum(BackwardContext c, String v, long channels, long size, long before,
            long after) {
        String flat = op(c, "Reshape", v, c.int64s(0, 1, channels, -1));
        String ones = op(c, "Expand", c.scalar(1, c.input(0)), c.int64s(1, 1, size, 1));
        String summed = c.emit("Conv", List.of(flat, ones), OnnxAttributes.of("pads", before, 0, after, 0));
        return Emit.reshapeLike(c, summed, v);
    }

    /** Returns {x_hat, 1/sigma} over {@code axes}. */
    private static String[] normalize(BackwardContext c, String x, long[] axes, float eps) {
        String centered = sub(c, x, Emit.reduceMean(c, x, axes));
        String variance = Emit.reduceMean(c, mul(c, centered, centered), axes);
        String inverse = op(c, "Reciprocal", op(c, "Sqrt", add(c, variance, c.scalar(eps, x))));
        return new String[] {mul(c, centered, inverse), inverse};
    }

    /** dX = r * (g - mean(g) - x_hat * mean(g * x_hat)) with g = dY * scale. */
    private static String inputGradient(BackwardContext c, String g, String[] normalized, long[] axes) {
        String xHat = normalized[0];
        String meanG = Emit.reduceMean(c, g, axes);
        String meanGx = Emit.reduceMean(c, mul(c, g, xHat), axes);
        return mul(c, normalized[1], sub(c, sub(c, g, meanG), mul(c, xHat, meanGx)));
    }
}
