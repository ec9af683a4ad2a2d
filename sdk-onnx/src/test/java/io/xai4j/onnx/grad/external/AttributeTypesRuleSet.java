package io.xai4j.onnx.grad.external;

import io.xai4j.spi.backward.BackwardContext;
import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A rule set whose Transpose rule emits every attribute value type of the core SPI. For a forward
 * {@code Transpose(perm = [0, 2, 1])} it returns {@code 3 * LeakyRelu(dY^T, 0.25)}.
 */
public final class AttributeTypesRuleSet implements BackwardRuleSet {
    public static final String NAME = "test-attribute-types";
    /** The scale the rule applies on top of {@code LeakyRelu(dY^T, ALPHA)}. */
    public static final double SCALE = 2 * 3 * 0.5;
    public static final double ALPHA = 0.25;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return Map.of("Transpose", AttributeTypesRuleSet::transpose);
    }

    private static List<String> transpose(BackwardContext c) {
        String g = c.outputGradient(0);
        g = c.emit("Transpose", List.of(g), Map.of("perm", new long[] {0, 2, 1}));
        g = c.emit("Transpose", List.of(g), Map.of("perm", c.node().attributes().get("perm")));
        g = c.emit("Transpose", List.of(g), Map.of("perm", new int[] {0, 2, 1}));
        g = c.emit("LeakyRelu", List.of(g), Map.of("alpha", ALPHA));
        String twice = c.emit("Concat", List.of(g, g), Map.of("axis", 1));
        List<String> halves = c.emit("Split", List.of(twice), 2, Map.of("axis", 1L, "num_outputs", 2L));
        g = c.emit("Pad", List.of(halves.get(0), c.int64s(0, 0, 0, 0, 0, 0)), Map.of("mode", "constant"));
        g = mul(c, g, c.emit("Constant", List.of(), Map.of("value_floats", new float[] {2f})));
        g = mul(c, g, c.emit("Constant", List.of(), Map.of("value_float", 3f)));
        g = mul(c, g, c.emit("Constant", List.of(), Map.of("value_floats", new double[] {0.5})));
        g = mul(c, g, c.emit("Constant", List.of(), Map.of("value_floats", List.of(1.0))));
        g = mul(c, g, c.emit("ConstantOfShape", List.of(c.shapeOf(c.input(0))),
                Map.of("value", Tensor.of(new float[] {1f}, 1))));
        g = mul(c, g, c.constant(Tensor.full(1f, c.shape(c.input(0))[1], 1)));
        c.emit("Constant", List.of(), Map.of("value_strings", List.of("unused", "labels")));
        return List.of(g);
    }

    private static String mul(BackwardContext c, String a, String b) {
        return c.emit("Mul", List.of(a, b), Map.of());
    }
}
