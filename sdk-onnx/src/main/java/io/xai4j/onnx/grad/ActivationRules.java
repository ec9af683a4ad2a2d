package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.Emit.add;
import static io.xai4j.onnx.grad.Emit.div;
import static io.xai4j.onnx.grad.Emit.first;
import static io.xai4j.onnx.grad.Emit.mul;
import static io.xai4j.onnx.grad.Emit.op;
import static io.xai4j.onnx.grad.Emit.sub;
import static io.xai4j.onnx.grad.Emit.where;

import java.util.List;
import java.util.Map;

/** Backward rules of elementwise unary ops and activations. */
final class ActivationRules {
    private ActivationRules() {
    }

    static void register(Map<String, BackwardRule> m) {
        m.put("Identity", c -> first(c, c.outputGradient(0)));
        m.put("Dropout", c -> first(c, c.outputGradient(0)));
        m.put("Cast", c -> first(c, op(c, "Cast", c.outputGradient(0),
                OnnxAttributes.of("to", (long) c.info(c.input(0)).elemType()))));
        for (String zero : List.of("Sign", "Floor", "Ceil", "Round", "Hardmax")) {
            m.put(zero, Emit::none);
        }
        // Relu(x) > 0 exactly where x > 0; reading the output leaves the input free for Conv+Relu fusion.
        m.put("Relu", c -> first(c, where(c, op(c, "Greater", c.output(0), zero(c)), c.outputGradient(0), zero(c))));
        m.put("LeakyRelu", c -> {
            String dy = c.outputGradient(0);
            String alpha = c.scalar(OnnxAttributes.getFloat(c.node(), "alpha", 0.01f), c.input(0));
            return first(c, where(c, op(c, "Greater", c.input(0), zero(c)), dy, mul(c, dy, alpha)));
        });
        m.put("PRelu", ActivationRules::prelu);
        m.put("Clip", ActivationRules::clip);
        m.put("Sigmoid", c -> {
            String y = c.output(0);
            return first(c, mul(c, c.outputGradient(0), mul(c, y, sub(c, one(c), y))));
        });
        m.put("Tanh", c -> {
            String y = c.output(0);
            return first(c, mul(c, c.outputGradient(0), sub(c, one(c), mul(c, y, y))));
        });
        m.put("HardSigmoid", c -> {
            float alpha = OnnxAttributes.getFloat(c.node(), "alpha", 0.2f);
            float beta = OnnxAttributes.getFloat(c.node(), "beta", 0.5f);
            String x = c.input(0);
            String z = add(c, mul(c, x, c.scalar(alpha, x)), c.scalar(beta, x));
            String inside = op(c, "And", op(c, "Greater", z, zero(c)), op(c, "Less", z, one(c)));
            return first(c, where(c, inside, mul(c, c.outputGradient(0), c.scalar(alpha, x)), zero(c)));
        });
        m.put("HardSwish", c -> {
            String x = c.input(0);
            String slope = add(c, div(c, x, c.scalar(3, x)), c.scalar(0.5, x));
            String d = where(c, op(c, "Less", x, c.scalar(-3, x)), zero(c),
                    where(c, op(c, "Greater", x, c.scalar(3, x)), one(c), slope));
            return first(c, mul(c, c.outputGradient(0), d));
        });
        m.put("Softmax", c -> {
            String y = c.output(0);
            String dy = c.outputGradient(0);
            long axis = OnnxAttributes.getInt(c.node(), "axis", -1);
            String s = op(c, "ReduceSum", mul(c, dy, y), c.int64s(axis), OnnxAttributes.of("keepdims", 1L));
            return first(c, mul(c, y, sub(c, dy, s)));
        });
        m.put("LogSoftmax", c -> {
            String dy = c.outputGradient(0);
            long axis = OnnxAttributes.getInt(c.node(), "axis", -1);
            String s = op(c, "ReduceSum", dy, c.int64s(axis), OnnxAttributes.of("keepdims", 1L));
            return first(c, sub(c, dy, mul(c, op(c, "Exp", c.output(0)), s)));
        });
        m.put("Erf", c -> {
            String x = c.input(0);
            String e = op(c, "Exp", op(c, "Neg", mul(c, x, x)));
            return first(c, mul(c, c.outputGradient(0), mul(c, e, c.scalar(2 / Math.sqrt(Math.PI), x))));
        });
        m.put("Gelu", ActivationRules::gelu);
        m.put("Exp", c -> first(c, mul(c, c.outputGradient(0), c.output(0))));
        m.put("Log", c -> first(c, div(c, c.outputGradient(0), c.input(0))));
        m.put("Sqrt", c -> first(c, div(c, c.outputGradient(0), mul(c, c.output(0), c.scalar(2, c.input(0))))));
        m.put("Neg", c -> first(c, op(c, "Neg", c.outputGradient(0))));
        m.put("Abs", c -> first(c, mul(c, c.outputGradient(0), op(c, "Sign", c.input(0)))));
        m.put("Reciprocal", c -> {
            String y = c.output(0);
            return first(c, op(c, "Neg", mul(c, c.outputGradient(0), mul(c, y, y))));
        });
        m.put("Softplus", c -> first(c, mul(c, c.outputGradient(0), op(c, "Sigmoid", c.input(0)))));
        m.put("Sin", c -> first(c, mul(c, c.outputGradient(0), op(c, "Cos", c.input(0)))));
        m.put("Cos", c -> first(c, op(c, "Neg", mul(c, c.outputGradient(0), op(c, "Sin", c.input(0))))));
        m.put("Mish", ActivationRules::mish);
        m.put("Selu", c -> {
            double alpha = OnnxAttributes.getFloat(c.node(), "alpha", 1.67326319217681884765625f);
            double gamma = OnnxAttributes.getFloat(c.node(), "gamma", 1.05070102214813232421875f);
            String x = c.input(0);
            String negative = mul(c, c.scalar(alpha * gamma, x), op(c, "Exp", x));
            return first(c, mul(c, c.outputGradient(0), where(c, op(c, "Greater", x, zero(c)),
                    c.scalar(gamma, x), negative)));
        });
        m.put("Celu", c -> {
            double alpha = OnnxAttributes.getFloat(c.node(), "alpha", 1f);
            String x = c.input(0);
            String negative = op(c, "Exp", mul(c, x, c.scalar(1 / alpha, x)));
            return first(c, mul(c, c.outputGradient(0), where(c, op(c, "Greater", x, zero(c)), one(c), negative)));
        });
        m.put("ThresholdedRelu", c -> {
            double alpha = OnnxAttributes.getFloat(c.node(), "alpha", 1f);
            String x = c.input(0);
            return first(c, where(c, op(c, "Greater", x, c.scalar(alpha, x)), c.outputGradient(0), zero(c)));
        });
        m.put("Softsign", c -> {
            String d = add(c, one(c), op(c, "Abs", c.input(0)));
            return first(c, div(c, c.outputGradient(0), mul(c, d, d)));
        });
        m.put("Tan", c -> first(c, mul(c, c.outputGradient(0), add(c, one(c), mul(c, c.output(0), c.output(0))))));
        m.put("Atan", c -> first(c, div(c, c.outputGradient(0), add(c, one(c), mul(c, c.input(0), c.input(0))))));
        m.put("Elu", c -> {
            String x = c.input(0);
            float alpha = OnnxAttributes.getFloat(c.node(), "alpha", 1f);
            String neg = add(c, c.output(0), c.scalar(alpha, x));
            return first(c, mul(c, c.outputGradient(0), where(c, op(c, "Greater", x, zero(c)), one(c), neg)));
        });
    }

    static String zero(BackwardContext c) {
        return c.scalar(0, c.input(0));
    }

    static String one(BackwardContext c) {
        return c.scalar(1, c.input(0));
    }

    private static List<String> prelu(BackwardContext c) {
        String x = c.input(0);
        String dy = c.outputGradient(0);
        String positive = op(c, "Greater", x, zero(c));
        List<String> g = Emit.none(c);
        if (c.needsGradient(0)) {
            g.set(0, where(c, positive, dy, mul(c, dy, c.input(1))));
        }
        if (c.needsGradient(1)) {
            String full = where(c, positive, zero(c), mul(c, dy, x));
            g.set(1, c.reduceToShape(full, c.info(c.output(0)), c.input(1)));
        }
        return g;
    }

    private static List<String> clip(BackwardContext c) {
        String x = c.input(0);
        String mask = null;
        if (Emit.present(c, 1)) {
            mask = op(c, "GreaterOrEqual", x, c.input(1));
        }
        if (Emit.present(c, 2)) {
            String upper = op(c, "LessOrEqual", x, c.input(2));
            mask = mask == null ? upper : op(c, "And", mask, upper);
        }
        String dy = c.outputGradient(0);
        return first(c, mask == null ? dy : where(c, mask, dy, zero(c)));
    }

    /** y = x tanh(softplus(x)): dy/dx = tanh(sp) + x (1 - tanh(sp)^2) sigmoid(x). */
    private static List<String> mish(BackwardContext c) {
        String x = c.input(0);
        String t = op(c, "Tanh", op(c, "Softplus", x));
        String slope = mul(c, mul(c, x, sub(c, one(c), mul(c, t, t))), op(c, "Sigmoid", x));
        return first(c, mul(c, c.outputGradient(0), add(c, t, slope)));
    }

    private static List<String> gelu(BackwardContext c) {
        String x = c.input(0);
        String dy = c.outputGradient(0);
        String approximate = OnnxAttributes.getString(c.node(), "approximate", "none");
        if (approximate.equals("tanh")) {
            double k = Math.sqrt(2 / Math.PI);
            String x2 = mul(c, x, x);
            String inner = mul(c, c.scalar(k, x), add(c, x, mul(c, c.scalar(0.044715, x), mul(c, x2, x))));
            String t = op(c, "Tanh", inner);
            String dInner = mul(c, c.scalar(k, x), add(c, one(c), mul(c, c.scalar(3 * 0.044715, x), x2)));
            String left = mul(c, c.scalar(0.5, x), add(c, one(c), t));
            String right = mul(c, mul(c, c.scalar(0.5, x), x), mul(c, sub(c, one(c), mul(c, t, t)), dInner));
            return first(c, mul(c, dy, add(c, left, right)));
        }
        String cdf = mul(c, c.scalar(0.5, x), add(c, one(c), op(c, "Erf", mul(c, x, c.scalar(1 / Math.sqrt(2), x)))));
        String pdf = mul(c, c.scalar(1 / Math.sqrt(2 * Math.PI), x),
                op(c, "Exp", mul(c, mul(c, x, x), c.scalar(-0.5, x))));
        return first(c, mul(c, dy, add(c, cdf, mul(c, x, pdf))));
    }
}
