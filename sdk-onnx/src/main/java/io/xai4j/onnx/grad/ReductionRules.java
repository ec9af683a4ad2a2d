package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.Emit.div;
import static io.xai4j.onnx.grad.Emit.first;
import static io.xai4j.onnx.grad.Emit.mul;
import static io.xai4j.onnx.grad.Emit.op;

import java.util.List;
import java.util.Map;

/** Backward rules of the Reduce* ops (axes as an input, opset 18 form). */
final class ReductionRules {
    private ReductionRules() {
    }

    static void register(Map<String, BackwardRule> m) {
        m.put("ReduceSum", c -> reduce(c, "sum"));
        m.put("ReduceMean", c -> reduce(c, "mean"));
        m.put("ReduceMax", c -> reduce(c, "extreme"));
        m.put("ReduceMin", c -> reduce(c, "extreme"));
        m.put("ReduceL2", c -> reduce(c, "l2"));
        m.put("ReduceL1", c -> reduce(c, "l1"));
        m.put("ReduceLogSum", c -> reduce(c, "logsum"));
        m.put("ReduceSumSquare", c -> reduce(c, "sumsquare"));
        m.put("ReduceLogSumExp", c -> reduce(c, "logsumexp"));
    }

    private static List<String> reduce(BackwardContext c, String kind) {
        String x = c.input(0);
        TensorInfo xi = c.info(x);
        long[] axes;
        if (Emit.present(c, 1)) {
            axes = Emit.normalizeAxes(Emit.constantLongs(c, 1, "the axes"), xi.rank());
        } else {
            axes = new long[0];
        }
        if (axes.length == 0) {
            if (OnnxAttributes.getInt(c.node(), "noop_with_empty_axes", 0) != 0) {
                return first(c, c.outputGradient(0));
            }
            axes = Emit.range(0, xi.rank());
        }
        boolean keep = OnnxAttributes.getInt(c.node(), "keepdims", 1) != 0;
        String dy = keep ? c.outputGradient(0) : op(c, "Unsqueeze", c.outputGradient(0), c.int64s(axes));
        String y = keep ? c.output(0) : op(c, "Unsqueeze", c.output(0), c.int64s(axes));
        switch (kind) {
            case "sum":
                return first(c, op(c, "Expand", dy, c.shapeOf(x)));
            case "mean":
                return first(c, mul(c, op(c, "Expand", dy, c.shapeOf(x)), inverseCount(c, xi, axes)));
            case "extreme":
                return first(c, extremeGradient(c, dy, y, axes));
            case "l2":
                // x / |x| is 0 where the norm is 0 (PyTorch's subgradient), not 0/0
                return first(c, Emit.where(c, op(c, "Equal", y, c.scalar(0, x)), c.scalar(0, x),
                        div(c, mul(c, dy, x), y)));
            case "l1":
                return first(c, mul(c, dy, op(c, "Sign", x)));
            case "logsum":
                return first(c, op(c, "Expand", mul(c, dy, op(c, "Exp", op(c, "Neg", y))), c.shapeOf(x)));
            case "sumsquare":
                return first(c, mul(c, mul(c, dy, x), c.scalar(2, x)));
            default:
                return first(c, mul(c, dy, op(c, "Exp", Emit.sub(c, x, y))));
        }
    }

    /** 1 / number of reduced elements, computed at run time when a reduced axis follows the batch. */
    private static String inverseCount(BackwardContext c, TensorInfo xi, long[] axes) {
        long count = 1;
        boolean dynamic = false;
        for (long a : axes) {
            count *= xi.dim((int) a);
            dynamic |= xi.isDynamic((int) a);
        }
        if (!dynamic) {
            return c.scalar(1.0 / count, c.input(0));
        }
        String to = String.valueOf(xi.elemType());
        String sizeX = op(c, "Cast", op(c, "Size", c.input(0)), OnnxAttributes.of("to", Long.parseLong(to)));
        String sizeY = op(c, "Cast", op(c, "Size", c.output(0)), OnnxAttributes.of("to", Long.parseLong(to)));
        return div(c, sizeY, sizeX);
    }

    /**
     * Gradient of a max or min over {@code axes}: {@code dy} (kept dims) goes to the elements equal to the result
     * {@code y} (kept dims), split evenly between ties.
     */
    static String extremeGradient(BackwardContext c, String dy, String y, long[] axes) {
        String x = c.input(0);
        String mask = op(c, "Equal", x, y);
        String maskValues = op(c, "Cast", mask, OnnxAttributes.of("to", (long) c.info(x).elemType()));
        String ties = op(c, "ReduceSum", maskValues, c.int64s(axes), OnnxAttributes.of("keepdims", 1L));
        return Emit.where(c, mask, div(c, dy, ties), c.scalar(0, x));
    }
}
