package io.xai4j.onnx.grad.external;

import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.List;
import java.util.Map;

/** The deconvnet rule written against the core SPI only: through Relu, dX = max(dY, 0) whatever X is. */
public final class DeconvnetRuleSet implements BackwardRuleSet {
    public static final String NAME = "test-deconvnet";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return Map.of("Relu", c -> List.of(c.emit("Max", List.of(c.outputGradient(0), c.scalar(0, c.input(0))), Map.of())));
    }
}
