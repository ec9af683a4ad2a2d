package io.xai4j.onnx.grad;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.backward.BackwardRuleSet;
import io.xai4j.spi.backward.RuleSetReference;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
 * The backward rule sets a gradient graph can be built with, by name, and the resolution of their base chains. They
 * come from the built-in providers of this package's internal {@link RuleSet} (the {@code exact} set), from the
 * providers of sdk-core's public SPI {@link BackwardRuleSet} on the class path, and from rule sets given by the
 * caller, such as those of plugin jars ({@link io.xai4j.spi.ModelOptions#ruleSets()}). A given rule set whose class
 * is also found on the class path counts once. Names are unique: a provider that fails to load, or that reuses a
 * name, is left out and reported, and never stops the others (the first of two same-named sets wins).
 */
public final class RuleSets {
    private static final Logger LOG = LoggerFactory.getLogger(RuleSets.class);

    private final Map<String, RuleSet> sets = new TreeMap<>();
    private final Map<String, Class<?>> providers = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private RuleSets() {
    }

    /** The built-in rule sets and those on the class path. */
    public static RuleSets classPath() {
        return with(List.of());
    }

    /** The built-in rule sets, those on the class path, then {@code more}. */
    public static RuleSets with(Collection<? extends BackwardRuleSet> more) {
        return available(RuleSets.class.getClassLoader(), more);
    }

    /** The rule sets {@code loader} provides, then {@code more}. */
    static RuleSets available(ClassLoader loader, Collection<? extends BackwardRuleSet> more) {
        RuleSets found = new RuleSets();
        found.load(ServiceLoader.load(RuleSet.class, loader).iterator(), s -> s)
                .forEach(s -> found.add(s, s.getClass()));
        found.load(ServiceLoader.load(BackwardRuleSet.class, loader).iterator(), CoreRuleSet::new)
                .forEach(s -> found.add(s, s.providerClass()));
        Set<Class<?>> onClassPath = new HashSet<>(found.providers.values());
        found.load(more.stream().filter(s -> !onClassPath.contains(s.getClass())).iterator(), CoreRuleSet::new)
                .forEach(s -> found.add(s, s.providerClass()));
        found.problems.forEach(p -> LOG.warn("backward rule set problem: {}", p));
        return found;
    }

    /** Names of the rule sets, sorted. */
    public Set<String> names() {
        return sets.keySet();
    }

    /** The rule sets that were left out, and why. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Checks that {@code reference} names a rule set here: a name, or a name with parameters
     * ({@link RuleSetReference}).
     *
     * @throws XaiException {@link ErrorCode#INVALID_ARGUMENT} naming the available rule sets
     */
    public void require(String reference) {
        String name = RuleSetReference.parse(reference).name();
        if (!sets.containsKey(name)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "unknown backward rule set '" + name
                    + "'; available: " + String.join(", ", sets.keySet())
                    + (problems.isEmpty() ? "" : "; problems: " + problems));
        }
    }

    /**
     * The effective rules of the referenced set (a name, or a name with parameters): its own rules over those of its
     * base chain, each set given the reference's parameters.
     */
    Resolved resolve(String reference) {
        RuleSetReference ref = RuleSetReference.parse(reference);
        Map<String, BackwardRule> rules = new HashMap<>();
        List<RuleSet> chain = chain(ref.name());
        for (RuleSet set : chain) {
            rules.putAll(set.rules(Map.copyOf(rules), ref.parameters()));
        }
        return new Resolved(rules, chain.get(chain.size() - 1).startsFromScore());
    }

    /**
     * The effective rules of a rule set.
     *
     * @param rules           by op type
     * @param startsFromScore whether the backward pass starts from the seed times the seeded tensor
     */
    record Resolved(Map<String, BackwardRule> rules, boolean startsFromScore) {
    }

    /**
     * What the gradients of the referenced set depend on, for cache keys: per set of its base chain, the name, the
     * providing class, and the size and time of the jar or class file holding it; then the parameters.
     */
    String identity(String reference) {
        RuleSetReference ref = RuleSetReference.parse(reference);
        List<String> parts = new ArrayList<>();
        for (RuleSet set : chain(ref.name())) {
            Class<?> provider = providers.get(set.name());
            parts.add(set.name() + "=" + provider.getName() + codeVersion(provider));
        }
        if (!ref.parameters().isEmpty()) {
            parts.add("parameters " + ref);
        }
        return String.join(" ", parts);
    }

    /** The named set and its bases, the most basic first. */
    private List<RuleSet> chain(String name) {
        List<RuleSet> chain = new ArrayList<>();
        for (String n = name; n != null; n = sets.get(n).base()) {
            if (chain.size() > sets.size()) {
                throw new XaiException(ErrorCode.PLUGIN_FAILURE, "backward rule set '" + name
                        + "' has a cyclic base chain");
            }
            require(n);
            chain.add(0, sets.get(n));
        }
        return chain;
    }

    /** Instantiates every provider, recording those that fail instead of stopping. */
    private <S, R> List<R> load(Iterator<S> providers, Function<S, R> wrap) {
        List<R> loaded = new ArrayList<>();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    return loaded;
                }
                loaded.add(wrap.apply(providers.next()));
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                problems.add("cannot load a backward rule set: " + (e instanceof ServiceConfigurationError
                        || e instanceof XaiException ? e.getMessage() : e.toString()));
                LOG.debug("cannot load a backward rule set", e);
            }
        }
    }

    private void add(RuleSet set, Class<?> provider) {
        Class<?> previous = providers.putIfAbsent(set.name(), provider);
        if (previous != null) {
            problems.add("two backward rule sets are named '" + set.name() + "': " + previous.getName() + " and "
                    + provider.getName() + "; the first is used, rename the other");
            return;
        }
        sets.put(set.name(), set);
    }

    /** {@code @location(size,modified)} of the jar or class file of {@code type}, or nothing when unknown. */
    private static String codeVersion(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null) {
            return "";
        }
        try {
            Path path = Path.of(location.toURI());
            if (Files.isDirectory(path)) {
                path = path.resolve(type.getName().replace('.', '/') + ".class");
            }
            return "@" + location + "(" + Files.size(path) + "," + Files.getLastModifiedTime(path).toMillis() + ")";
        } catch (IOException | URISyntaxException | IllegalArgumentException | UnsupportedOperationException e) {
            LOG.debug("cannot stat the code of {} at {}", type.getName(), location, e);
            return "@" + location;
        }
    }
}
