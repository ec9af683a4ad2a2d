package io.xai4j.cli;

import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.List;
import java.util.Map;

/** A deliberately wrong rule set for tests: Relu passes every gradient through, as if it were the identity. */
public final class WrongReluRuleSet implements BackwardRuleSet {
    static final String NAME = "test-wrong-relu";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return Map.of("Relu", c -> List.of(c.outputGradient(0)));
    }
}
