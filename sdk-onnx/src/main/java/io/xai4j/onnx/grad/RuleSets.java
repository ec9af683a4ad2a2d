package io.xai4j.onnx.grad;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backward rule sets through {@link ServiceLoader} and resolves their base chains. Rule sets come from two
 * kinds of providers: the public SPI {@link BackwardRuleSet} of sdk-core, which plugins implement, and this
 * package's internal {@link RuleSet} (the built-in {@code exact} set). Names are unique across both.
 */
public final class RuleSets {
    private RuleSets() {
    }

    private static final Logger LOG = LoggerFactory.getLogger(RuleSets.class);

    /**
     * Rule sets by name, and the problems met while loading them. A provider that fails to load, or that reuses a
     * name, is left out and reported; it never stops the others (the first of two same-named sets wins).
     */
    record Discovery(Map<String, RuleSet> sets, List<String> problems) {
    }

    /** Names of all rule sets on the class path, sorted. */
    public static Set<String> names() {
        return available().sets().keySet();
    }

    /** All rule sets on the class path. */
    static Discovery available() {
        return available(RuleSets.class.getClassLoader());
    }

    /** All rule sets {@code loader} provides. */
    static Discovery available(ClassLoader loader) {
        Map<String, RuleSet> sets = new TreeMap<>();
        Map<String, String> providers = new HashMap<>();
        List<String> problems = new ArrayList<>();
        load(ServiceLoader.load(RuleSet.class, loader).iterator(), s -> s, problems)
                .forEach(s -> add(sets, providers, problems, s, s.getClass()));
        load(ServiceLoader.load(BackwardRuleSet.class, loader).iterator(), CoreRuleSet::new, problems)
                .forEach(s -> add(sets, providers, problems, s, s.providerClass()));
        problems.forEach(p -> LOG.warn("backward rule set problem: {}", p));
        return new Discovery(sets, problems);
    }

    /** Instantiates every provider, recording those that fail instead of stopping. */
    private static <S, R> List<R> load(Iterator<S> providers, Function<S, R> wrap, List<String> problems) {
        List<R> loaded = new ArrayList<>();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    return loaded;
                }
                loaded.add(wrap.apply(providers.next()));
            } catch (ServiceConfigurationError | XaiException e) {
                problems.add("cannot load a backward rule set: " + e.getMessage());
            }
        }
    }

    private static void add(Map<String, RuleSet> sets, Map<String, String> providers, List<String> problems,
            RuleSet set, Class<?> provider) {
        String previous = providers.putIfAbsent(set.name(), provider.getName());
        if (previous != null) {
            problems.add("two backward rule sets are named '" + set.name() + "': " + previous + " and "
                    + provider.getName() + "; the first is used, rename the other");
            return;
        }
        sets.put(set.name(), set);
    }

    /** The effective rules of the named set: its own rules over those of its base chain. */
    static Map<String, BackwardRule> resolve(String name) {
        Discovery discovery = available();
        Map<String, BackwardRule> rules = new HashMap<>();
        resolveInto(name, discovery, rules, 0);
        return rules;
    }

    private static void resolveInto(String name, Discovery discovery, Map<String, BackwardRule> into, int depth) {
        RuleSet set = discovery.sets().get(name);
        if (set == null) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "unknown backward rule set '" + name
                    + "'; available: " + discovery.sets().keySet()
                    + (discovery.problems().isEmpty() ? "" : "; problems: " + discovery.problems()));
        }
        if (depth > discovery.sets().size()) {
            throw new XaiException(ErrorCode.PLUGIN_FAILURE, "backward rule set '" + name + "' has a cyclic base chain");
        }
        if (set.base() != null) {
            resolveInto(set.base(), discovery, into, depth + 1);
        }
        into.putAll(set.rules());
    }
}
