package io.xai4j.onnx.grad;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.HashMap;
import java.util.Map;

/** A rule set of the core SPI ({@link BackwardRuleSet}) as a {@link RuleSet} of the graph builder. */
final class CoreRuleSet implements RuleSet {
    private final BackwardRuleSet set;
    private final String name;

    CoreRuleSet(BackwardRuleSet set) {
        this.set = set;
        this.name = set.name();
        if (name == null || name.isBlank()) {
            throw new XaiException(ErrorCode.PLUGIN_FAILURE, "backward rule set " + set.getClass().getName()
                    + " has no name; expected a non-blank name such as 'guided-backprop'");
        }
    }

    /** The class that implements the rule set. */
    Class<?> providerClass() {
        return set.getClass();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String base() {
        return set.base();
    }

    @Override
    public boolean startsFromScore() {
        return set.startsFromScore();
    }

    @Override
    public Map<String, BackwardRule> rules() {
        return rules(Map.of(), Map.of());
    }

    @Override
    public Map<String, BackwardRule> rules(Map<String, BackwardRule> base, Map<String, String> parameters) {
        Map<String, io.xai4j.spi.backward.BackwardRule> own;
        try {
            own = set.rules();
        } catch (RuntimeException | LinkageError e) {
            throw new XaiException(ErrorCode.PLUGIN_FAILURE, "backward rule set '" + name + "' ("
                    + set.getClass().getName() + ") failed to give its rules: " + e, e);
        }
        if (own == null) {
            throw new XaiException(ErrorCode.PLUGIN_FAILURE, "backward rule set '" + name + "' ("
                    + set.getClass().getName() + ") returned no rules map; expected rules by op type");
        }
        Map<String, BackwardRule> rules = new HashMap<>();
        own.forEach((opType, rule) -> {
            if (rule == null) {
                throw new XaiException(ErrorCode.PLUGIN_FAILURE, "backward rule set '" + name + "' ("
                        + set.getClass().getName() + ") has a null rule for op type " + opType);
            }
            rules.put(opType, ctx -> rule.backward(new CoreBackwardContext(ctx, name, base, parameters)));
        });
        return rules;
    }
}
