package io.xai4j.onnx.grad.external;

import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.List;
import java.util.Map;

/** A faulty rule set: its Relu rule passes a Boolean attribute value, which the SPI does not accept. */
public final class UnsupportedAttributeRuleSet implements BackwardRuleSet {
    public static final String NAME = "test-unsupported-attribute";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return Map.of("Relu", c -> List.of(c.emit("LeakyRelu", List.of(c.outputGradient(0)), Map.of("alpha", true))));
    }
}
