package io.xai4j.onnx.grad;

import java.util.HashMap;
import java.util.Map;

/** The true gradient: the default, complete rule set that other rule sets extend. */
public final class ExactRuleSet implements RuleSet {
    public static final String NAME = "exact";
    private static final Map<String, BackwardRule> RULES = build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String base() {
        return null;
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return RULES;
    }

    private static Map<String, BackwardRule> build() {
        Map<String, BackwardRule> m = new HashMap<>();
        ActivationRules.register(m);
        ArithmeticRules.register(m);
        LinearRules.register(m);
        PoolingRules.register(m);
        ReductionRules.register(m);
        NormalizationRules.register(m);
        ShapeRules.register(m);
        IndexingRules.register(m);
        m.put("Resize", new ResizeRule());
        m.put("Einsum", new EinsumRule());
        return Map.copyOf(m);
    }
}
