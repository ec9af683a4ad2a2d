package com.example.xai;

import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.List;
import java.util.Map;

/**
 * Exact gradients, except that a Relu passes its output gradient back as if it were a softplus of sharpness 10:
 * {@code dX = dY * sigmoid(10 X)}, a smooth stand-in for the step {@code [X > 0]}.
 */
public final class SmoothReluGradients implements BackwardRuleSet {
    @Override
    public String name() {
        return "example-smooth-relu";
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return Map.of("Relu", c -> {
            String sharp = c.emit("Mul", List.of(c.input(0), c.scalar(10, c.input(0))), Map.of());
            String slope = c.emit("Sigmoid", List.of(sharp), Map.of());
            return List.of(c.emit("Mul", List.of(c.outputGradient(0), slope), Map.of()));
        });
    }
}
