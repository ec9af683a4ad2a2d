package io.xai4j.onnx.grad;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds rule sets through {@link ServiceLoader} and resolves their base chains. */
public final class RuleSets {
    private RuleSets() {
    }

    /** All rule sets on the class path, by name. */
    public static Map<String, RuleSet> available() {
        Map<String, RuleSet> sets = new TreeMap<>();
        for (RuleSet s : ServiceLoader.load(RuleSet.class, RuleSets.class.getClassLoader())) {
            RuleSet previous = sets.put(s.name(), s);
            if (previous != null) {
                throw new XaiException(ErrorCode.PLUGIN_FAILURE, "two backward rule sets are named '" + s.name()
                        + "': " + previous.getClass().getName() + " and " + s.getClass().getName());
            }
        }
        return sets;
    }

    /** The effective rules of the named set: its own rules over those of its base chain. */
    public static Map<String, BackwardRule> resolve(String name) {
        Map<String, RuleSet> sets = available();
        Map<String, BackwardRule> rules = new HashMap<>();
        resolveInto(name, sets, rules, 0);
        return rules;
    }

    private static void resolveInto(String name, Map<String, RuleSet> sets, Map<String, BackwardRule> into, int depth) {
        RuleSet set = sets.get(name);
        if (set == null) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "unknown backward rule set '" + name
                    + "'; available: " + sets.keySet());
        }
        if (depth > sets.size()) {
            throw new XaiException(ErrorCode.PLUGIN_FAILURE, "backward rule set '" + name + "' has a cyclic base chain");
        }
        if (set.base() != null) {
            resolveInto(set.base(), sets, into, depth + 1);
        }
        into.putAll(set.rules());
    }
}
