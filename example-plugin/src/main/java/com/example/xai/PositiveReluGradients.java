package com.example.xai;

import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.List;
import java.util.Map;

/**
 * Exact gradients, except that a Relu passes back only the positive part of its output gradient where its input
 * is positive (the guided backpropagation rule): {@code dX = dY * [X > 0] * [dY > 0]}.
 */
public final class PositiveReluGradients implements BackwardRuleSet {
    @Override
    public String name() {
        return "example-positive-relu";
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return Map.of("Relu", c -> {
            String dy = c.outputGradient(0);
            String zero = c.scalar(0, c.input(0));
            String open = c.emit("And", List.of(c.emit("Greater", List.of(c.input(0), zero), Map.of()),
                    c.emit("Greater", List.of(dy, zero), Map.of())), Map.of());
            return List.of(c.emit("Where", List.of(open, dy, zero), Map.of()));
        });
    }
}
