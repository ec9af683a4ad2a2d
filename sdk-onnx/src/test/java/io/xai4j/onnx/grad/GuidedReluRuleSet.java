package io.xai4j.onnx.grad;

import java.util.List;
import java.util.Map;

/** A test rule set found through ServiceLoader: guided backpropagation through Relu, exact elsewhere. */
public final class GuidedReluRuleSet implements RuleSet {
    static final String NAME = "test-guided-relu";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return Map.of("Relu", c -> {
            String dy = c.outputGradient(0);
            String zero = c.scalar(0, c.input(0));
            String open = c.emit("And", List.of(c.emit("Greater", List.of(c.input(0), zero)),
                    c.emit("Greater", List.of(dy, zero))));
            return Emit.first(c, c.emit("Where", List.of(open, dy, zero)));
        });
    }
}
