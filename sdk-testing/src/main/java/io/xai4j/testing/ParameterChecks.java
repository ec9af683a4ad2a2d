package io.xai4j.testing;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.ParameterType;
import io.xai4j.spi.ParameterType;
import io.xai4j.spi.Parameters;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The checks of a method's descriptor and of how it takes parameter values. */
final class ParameterChecks {
    private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.INVALID_PARAMETER, ErrorCode.UNKNOWN_PARAMETER);
    static final String UNKNOWN_NAME = "no-such-parameter";

    private ParameterChecks() {
    }

    /** Names, texts and parameter declarations of the descriptor; fails listing every problem. */
    static void descriptor(Setup setup) {
        MethodDescriptor d = setup.method.descriptor();
        List<String> problems = new ArrayList<>();
        expect(problems, KEBAB.matcher(d.name()).matches(), "the name '" + d.name() + "' is not kebab-case");
        expect(problems, d.family() != null, "no family");
        expect(problems, d.version() != null && !d.version().isBlank(), "a blank version");
        expect(problems, d.description() != null && !d.description().isBlank() && !d.description().contains("\n"),
                "the description is blank or not one line");
        Set<String> names = new HashSet<>();
        for (ParameterSpec p : d.parameters()) {
            String what = "parameter '" + p.name() + "'";
            expect(problems, names.add(p.name()), what + " is declared twice");
            String bare = p.type() == ParameterType.NESTED && p.name().endsWith(".")
                    ? p.name().substring(0, p.name().length() - 1) : p.name();
            expect(problems, KEBAB.matcher(bare).matches(), what + " has a name that is not kebab-case"
                    + (p.type() == ParameterType.NESTED ? " followed by a dot" : ""));
            expect(problems, p.type() != null, what + " has no type");
            expect(problems, p.description() != null && !p.description().isBlank(), what + " has no description");
            expect(problems, p.type() != ParameterType.CHOICE || !p.choices().isEmpty()
                    && p.choices().stream().distinct().count() == p.choices().size()
                    && p.choices().stream().noneMatch(String::isBlank), what + " has no choices, or repeats one");
            expect(problems, p.min() == null || p.max() == null || p.min() <= p.max(), what + " has min > max");
            if (p.defaultValue() != null) {
                MethodDescriptor alone = new MethodDescriptor(d.name(), d.family(), d.version(), d.description(),
                        d.requirements(), List.of(p));
                try {
                    Parameters.parse(alone, Map.of());
                } catch (RuntimeException e) {
                    problems.add(what + " has a default that does not parse or is out of range: " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("; ", problems));
        }
    }

    private static void expect(List<String> problems, boolean condition, String problem) {
        if (!condition) {
            problems.add(problem);
        }
    }

    /**
     * An undeclared name and, for each parameter, the values {@link #badValues} derives are refused with
     * {@link ErrorCode#INVALID_PARAMETER} or {@link ErrorCode#UNKNOWN_PARAMETER}; the lower bound of each numeric
     * range gives finite results or such a refusal. Fails listing every problem.
     */
    static void badParameters(Setup setup) {
        List<AssertionError> problems = new ArrayList<>();
        probe(problems, () -> expectRefusal(setup, UNKNOWN_NAME, "1"));
        for (ParameterSpec p : setup.method.descriptor().parameters()) {
            if (p.type() == ParameterType.NESTED) {
                probe(problems, () -> expectRefusal(setup, p.name() + UNKNOWN_NAME, "1"));
                continue;
            }
            for (String value : badValues(p)) {
                probe(problems, () -> expectRefusal(setup, p.name(), value));
            }
            lowerBound(p).ifPresent(value -> probe(problems, () -> expectResultOrRefusal(setup, p.name(), value)));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")),
                    problems.get(0).getCause());
        }
    }

    private static void probe(List<AssertionError> problems, Runnable probe) {
        try {
            probe.run();
        } catch (AssertionError e) {
            problems.add(e);
        }
    }

    /** A value the declaration allows must give finite results, or be refused as a usage error. */
    private static void expectResultOrRefusal(Setup setup, String name, String value) {
        String what = name + "=" + value + ", the lowest value its range allows,";
        runOrRefuse(setup, name, value, what, result -> Attributions.nonFinite(result).ifPresent(problem -> {
            throw new AssertionError(what + " gave a non-finite result: " + problem);
        }));
    }

    private static void expectRefusal(Setup setup, String name, String value) {
        String what = name + "=" + value;
        runOrRefuse(setup, name, value, what, result -> {
            throw new AssertionError(what + " was accepted; it must be refused with INVALID_PARAMETER or"
                    + " UNKNOWN_PARAMETER");
        });
    }

    /** Runs with {@code name=value}: a usage refusal ends quietly, another error fails, a result goes on. */
    private static void runOrRefuse(Setup setup, String name, String value, String what,
            Consumer<Map<String, Tensor>> onResult) {
        Map<String, Tensor> result;
        try {
            result = setup.run(setup.all().with(name, value));
        } catch (XaiException e) {
            if (REFUSALS.contains(e.code())) {
                return;
            }
            throw new AssertionError(what + " failed with " + e.code() + " instead of INVALID_PARAMETER or"
                    + " UNKNOWN_PARAMETER: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " failed with " + e + " instead of a usage error (INVALID_PARAMETER or"
                    + " UNKNOWN_PARAMETER)", e);
        }
        onResult.accept(result);
    }

    /**
     * Values a parameter must refuse, from its declaration: values of the wrong type (for numbers and baselines
     * also NaN), and one just outside each bound of its range (for lists, as a one-element list), a missing file
     * for tensors; none for free text. A nested parameter ({@code base.}) must refuse a name its method lacks.
     */
    static List<String> badValues(ParameterSpec p) {
        List<String> bad = new ArrayList<>();
        switch (p.type()) {
            case INT, INT_LIST -> {
                bad.add("1.5");
                if (p.min() != null) {
                    bad.add(Long.toString((long) Math.ceil(p.min()) - 1));
                }
                if (p.max() != null) {
                    bad.add(Long.toString((long) Math.floor(p.max()) + 1));
                }
            }
            case FLOAT -> {
                bad.addAll(List.of("not-a-number", "NaN"));
                if (p.min() != null) {
                    bad.add(Double.toString(Math.nextDown(p.min())));
                }
                if (p.max() != null) {
                    bad.add(Double.toString(Math.nextUp(p.max())));
                }
            }
            case BOOLEAN -> bad.add("maybe");
            case CHOICE -> bad.add(String.join("-", p.choices()) + "-other");
            case BASELINE -> bad.addAll(List.of("not-a-baseline", "NaN"));
            case TENSOR -> bad.add("no-such-file.npy");
            case STRING, NESTED -> {
            }
        }
        return bad;
    }

    /** The lowest value a numeric parameter's range allows, as text. */
    private static Optional<String> lowerBound(ParameterSpec p) {
        if (p.min() == null) {
            return Optional.empty();
        }
        return switch (p.type()) {
            case INT, INT_LIST -> Optional.of(Long.toString((long) Math.ceil(p.min())));
            case FLOAT -> Optional.of(Double.toString(p.min()));
            default -> Optional.empty();
        };
    }
}
