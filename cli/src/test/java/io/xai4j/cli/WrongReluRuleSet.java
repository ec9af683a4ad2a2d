package io.xai4j.cli;

import io.xai4j.onnx.grad.RuleSet;
import io.xai4j.onnx.grad.BackwardRule;
import java.util.Arrays;
import java.util.Map;

/** A deliberately wrong rule set for tests: Relu passes every gradient through, as if it were the identity. */
public final class WrongReluRuleSet implements RuleSet {
    static final String NAME = "test-wrong-relu";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return Map.of("Relu", c -> Arrays.asList(c.outputGradient(0)));
    }
}
