package io.xai4j.methods.gradient;

import io.xai4j.spi.backward.BackwardContext;
import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rule set over the exact gradients that changes the backward pass of rectifiers only, as Captum's modified-ReLU
 * methods do: every {@code Relu} node (whatever module or function it came from) and every {@code Clip} whose
 * lower bound is the constant 0 (a ReLU or ReLU6 written as Clip; its upper bound, if any, still stops the
 * gradient above it as in the exact rule). Other Clips get the exact gradient, and so do {@code LeakyRelu},
 * {@code PRelu} and the smooth activations: they are not rectifiers, and Captum leaves them alone too.
 */
public abstract class RectifierRules implements BackwardRuleSet {

    /**
     * The gradient of a rectifier's input.
     *
     * @param dy     the gradient of its output
     * @param active where the forward input is positive (a boolean tensor)
     */
    protected abstract String rectify(BackwardContext c, String dy, String active);

    @Override
    public final Map<String, BackwardRule> rules() {
        return Map.of("Relu", c -> List.of(rectify(c, c.outputGradient(0), positive(c, c.output(0)))),
                "Clip", this::clip);
    }

    private List<String> clip(BackwardContext c) {
        String x = c.input(0);
        String dy = c.outputGradient(0);
        List<String> grads = new ArrayList<>();
        String upper = present(c, 2) ? c.emit("LessOrEqual", List.of(x, c.input(2)), Map.of()) : null;
        if (lowerBoundIsZero(c)) {
            String below = rectify(c, dy, positive(c, x));
            grads.add(upper == null ? below : c.emit("Where", List.of(upper, below, c.zerosLike(x)), Map.of()));
            return grads;
        }
        String mask = present(c, 1) ? c.emit("GreaterOrEqual", List.of(x, c.input(1)), Map.of()) : null;
        if (upper != null) {
            mask = mask == null ? upper : c.emit("And", List.of(mask, upper), Map.of());
        }
        grads.add(mask == null ? dy : c.emit("Where", List.of(mask, dy, c.zerosLike(x)), Map.of()));
        return grads;
    }

    private static boolean lowerBoundIsZero(BackwardContext c) {
        if (!present(c, 1)) {
            return false;
        }
        Optional<Tensor> min = c.constantValue(c.input(1));
        return min.isPresent() && min.get().size() == 1 && min.get().get(0) == 0f;
    }

    private static boolean present(BackwardContext c, int input) {
        return input < c.inputCount() && !c.input(input).isEmpty();
    }

    private static String positive(BackwardContext c, String tensor) {
        return c.emit("Greater", List.of(tensor, c.scalar(0, tensor)), Map.of());
    }

    /** {@code max(dy, 0)}. */
    protected static String positivePart(BackwardContext c, String dy) {
        return c.emit("Relu", List.of(dy), Map.of());
    }
}
