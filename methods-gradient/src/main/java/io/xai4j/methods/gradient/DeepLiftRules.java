package io.xai4j.methods.gradient;

import io.xai4j.spi.backward.BackwardContext;
import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * DeepLift's rescale rule (Shrikumar et al. 2017) with Captum's multipliers, on batches of (input, baseline) row
 * pairs: rows {@code 2i} and {@code 2i+1} are an input and its reference, and every row's batch must hold whole
 * pairs. At {@code Relu}, {@code LeakyRelu}, {@code Sigmoid} and {@code Tanh} the gradient of both rows of a pair is
 * {@code dY (y - y0) / (x - x0)}, from the pair's forward values, or the exact {@code dY f'(x)} where
 * {@code |x - x0| < 1e-10} (as Captum's {@code nonlinear}). Every other op keeps its exact gradient: linear ops
 * (convolutions, linear layers, batch normalisation, average pooling, additions) need no other rule, and max pooling,
 * Softmax inside the network and attention are not rescaled.
 */
public final class DeepLiftRules implements BackwardRuleSet {
    public static final String NAME = "deeplift";
    private static final double EPS = 1e-10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return Map.of(
                "Relu", c -> rescale(c, (x, y) -> where(c, emit(c, "Greater", y, zero(c)), one(c), zero(c))),
                "LeakyRelu", c -> rescale(c, (x, y) -> where(c, emit(c, "Greater", x, zero(c)), one(c),
                        c.scalar(c.node().floatAttribute("alpha").orElse(0.01), x))),
                "Sigmoid", c -> rescale(c, (x, y) -> emit(c, "Mul", y, emit(c, "Sub", one(c), y))),
                "Tanh", c -> rescale(c, (x, y) -> emit(c, "Sub", one(c), emit(c, "Mul", y, y))));
    }

    /** The rescale rule of an element-wise op whose derivative {@code slope(x, y)} serves where {@code x ~ x0}. */
    private static List<String> rescale(BackwardContext c, BiFunction<String, String, String> slope) {
        String x = c.input(0);
        String y = c.output(0);
        String dy = c.outputGradient(0);
        String deltaIn = pairDifference(c, x);
        String close = emit(c, "Less", c.emit("Abs", List.of(deltaIn), Map.of()), c.scalar(EPS, x));
        String ratio = emit(c, "Div", pairDifference(c, y), where(c, close, one(c), deltaIn));
        return List.of(where(c, close, emit(c, "Mul", dy, slope.apply(x, y)), emit(c, "Mul", dy, ratio)));
    }

    /** Per row, its pair's difference (input row minus baseline row), on both rows of the pair. */
    static String pairDifference(BackwardContext c, String t) {
        String inputs = c.emit("Slice", List.of(t, c.int64s(0), c.int64s(Long.MAX_VALUE), c.int64s(0),
                c.int64s(2)), Map.of());
        String baselines = c.emit("Slice", List.of(t, c.int64s(1), c.int64s(Long.MAX_VALUE), c.int64s(0),
                c.int64s(2)), Map.of());
        String delta = c.emit("Unsqueeze", List.of(emit(c, "Sub", inputs, baselines), c.int64s(1)), Map.of());
        String twice = c.emit("Concat", List.of(delta, delta), Map.of("axis", 1L));
        return c.emit("Reshape", List.of(twice, c.shapeOf(t)), Map.of());
    }

    private static String emit(BackwardContext c, String op, String a, String b) {
        return c.emit(op, List.of(a, b), Map.of());
    }

    private static String where(BackwardContext c, String condition, String a, String b) {
        return c.emit("Where", List.of(condition, a, b), Map.of());
    }

    private static String zero(BackwardContext c) {
        return c.scalar(0, c.input(0));
    }

    private static String one(BackwardContext c) {
        return c.scalar(1, c.input(0));
    }
}
