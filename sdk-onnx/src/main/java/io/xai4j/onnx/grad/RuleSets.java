package io.xai4j.onnx.grad;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds backward rule sets through {@link ServiceLoader} and resolves their base chains. Rule sets come from two
 * kinds of providers: the public SPI {@link BackwardRuleSet} of sdk-core, which plugins implement, and this
 * package's internal {@link RuleSet} (the built-in {@code exact} set). Names are unique across both.
 */
public final class RuleSets {
    private RuleSets() {
    }

    /** Names of all rule sets on the class path, sorted. */
    public static Set<String> names() {
        return available().keySet();
    }

    /** All rule sets on the class path, by name. */
    static Map<String, RuleSet> available() {
        return available(RuleSets.class.getClassLoader());
    }

    /** All rule sets {@code loader} provides, by name. */
    static Map<String, RuleSet> available(ClassLoader loader) {
        Map<String, RuleSet> sets = new TreeMap<>();
        Map<String, String> providers = new HashMap<>();
        try {
            for (RuleSet s : ServiceLoader.load(RuleSet.class, loader)) {
                add(sets, providers, s, s.getClass());
            }
            for (BackwardRuleSet s : ServiceLoader.load(BackwardRuleSet.class, loader)) {
                CoreRuleSet core = new CoreRuleSet(s);
                add(sets, providers, core, core.providerClass());
            }
        } catch (ServiceConfigurationError e) {
            throw new XaiException(ErrorCode.PLUGIN_FAILURE, "cannot load a backward rule set: " + e.getMessage(), e);
        }
        return sets;
    }

    private static void add(Map<String, RuleSet> sets, Map<String, String> providers, RuleSet set, Class<?> provider) {
        String previous = providers.putIfAbsent(set.name(), provider.getName());
        if (previous != null) {
            throw new XaiException(ErrorCode.PLUGIN_FAILURE, "two backward rule sets are named '" + set.name() + "': "
                    + previous + " and " + provider.getName() + "; rename one of them");
        }
        sets.put(set.name(), set);
    }

    /** The effective rules of the named set: its own rules over those of its base chain. */
    static Map<String, BackwardRule> resolve(String name) {
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
