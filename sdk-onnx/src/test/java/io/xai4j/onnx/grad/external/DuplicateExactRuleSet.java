package io.xai4j.onnx.grad.external;

import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.Map;

/** A rule set that claims the name of the built-in exact set; registered only by the duplicate-name test. */
public final class DuplicateExactRuleSet implements BackwardRuleSet {
    @Override
    public String name() {
        return "exact";
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return Map.of();
    }
}
