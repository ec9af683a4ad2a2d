package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.Emit.div;
import static io.xai4j.onnx.grad.Emit.mul;
import static io.xai4j.onnx.grad.Emit.op;
import static io.xai4j.onnx.grad.Emit.sub;
import static io.xai4j.onnx.grad.Emit.where;

import java.util.List;
import java.util.Map;

/** Backward rules of broadcasting arithmetic: each input gradient is summed over its broadcast axes. */
final class ArithmeticRules {
    private ArithmeticRules() {
    }

    static void register(Map<String, BackwardRule> m) {
        m.put("Add", c -> binary(c, c.outputGradient(0), c.outputGradient(0)));
        m.put("Sub", c -> binary(c, c.outputGradient(0), c.needsGradient(1) ? op(c, "Neg", c.outputGradient(0)) : null));
        m.put("Mul", c -> {
            String dy = c.outputGradient(0);
            return binary(c, c.needsGradient(0) ? mul(c, dy, c.input(1)) : null,
                    c.needsGradient(1) ? mul(c, dy, c.input(0)) : null);
        });
        m.put("Div", c -> {
            String dy = c.outputGradient(0);
            String da = c.needsGradient(0) ? div(c, dy, c.input(1)) : null;
            String db = c.needsGradient(1) ? op(c, "Neg", div(c, mul(c, dy, c.output(0)), c.input(1))) : null;
            return binary(c, da, db);
        });
        m.put("Pow", c -> {
            String a = c.input(0);
            String b = c.input(1);
            String dy = c.outputGradient(0);
            String da = null;
            if (c.needsGradient(0)) {
                String bMinusOne = sub(c, b, c.scalar(1, b));
                da = mul(c, dy, mul(c, b, op(c, "Pow", a, bMinusOne)));
            }
            String db = c.needsGradient(1) ? mul(c, dy, mul(c, c.output(0), op(c, "Log", a))) : null;
            return binary(c, da, db);
        });
        m.put("Where", c -> {
            String dy = c.outputGradient(0);
            String zero = c.scalar(0, c.output(0));
            List<String> g = Emit.none(c);
            if (c.needsGradient(1)) {
                g.set(1, c.reduceToShape(where(c, c.input(0), dy, zero), c.info(c.output(0)), c.input(1)));
            }
            if (c.needsGradient(2)) {
                g.set(2, c.reduceToShape(where(c, c.input(0), zero, dy), c.info(c.output(0)), c.input(2)));
            }
            return g;
        });
        m.put("Sum", c -> {
            List<String> g = Emit.none(c);
            for (int i = 0; i < c.inputCount(); i++) {
                if (c.needsGradient(i)) {
                    g.set(i, c.reduceToShape(c.outputGradient(0), c.info(c.output(0)), c.input(i)));
                }
            }
            return g;
        });
        m.put("Mean", c -> {
            String scaled = mul(c, c.outputGradient(0), c.scalar(1.0 / c.inputCount(), c.output(0)));
            List<String> g = Emit.none(c);
            for (int i = 0; i < c.inputCount(); i++) {
                if (c.needsGradient(i)) {
                    g.set(i, c.reduceToShape(scaled, c.info(c.output(0)), c.input(i)));
                }
            }
            return g;
        });
        m.put("Max", ArithmeticRules::selectExtreme);
        m.put("Min", ArithmeticRules::selectExtreme);
    }

    private static List<String> binary(BackwardContext c, String da, String db) {
        List<String> g = Emit.none(c);
        TensorInfo y = c.info(c.output(0));
        if (c.needsGradient(0) && da != null) {
            g.set(0, c.reduceToShape(da, y, c.input(0)));
        }
        if (c.needsGradient(1) && db != null) {
            g.set(1, c.reduceToShape(db, y, c.input(1)));
        }
        return g;
    }

    /** Max/Min: the gradient goes to the inputs equal to the result (split evenly between ties). */
    private static List<String> selectExtreme(BackwardContext c) {
        String y = c.output(0);
        String dy = c.outputGradient(0);
        String zero = c.scalar(0, y);
        int type = c.info(y).elemType();
        String[] masks = new String[c.inputCount()];
        String count = null;
        for (int i = 0; i < masks.length; i++) {
            masks[i] = op(c, "Cast", op(c, "Equal", c.input(i), y), OnnxAttributes.of("to", (long) type));
            count = count == null ? masks[i] : Emit.add(c, count, masks[i]);
        }
        String share = div(c, dy, count);
        List<String> g = Emit.none(c);
        for (int i = 0; i < masks.length; i++) {
            if (c.needsGradient(i)) {
                String full = where(c, op(c, "Cast", masks[i], OnnxAttributes.of("to", 9L)), share, zero);
                g.set(i, c.reduceToShape(full, c.info(y), c.input(i)));
            }
        }
        return g;
    }
}
