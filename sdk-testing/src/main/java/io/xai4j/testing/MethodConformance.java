package io.xai4j.testing;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.Model;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.models.AnalyticModel;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/**
 * Checks one {@link AttributionMethod} against the contract every method keeps, from a JUnit 5 test:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> conforms() {                 // one test per check, named "my-cam: <check>"
 *     return MethodConformance.of(new MyCam()).parameters(Map.of("samples", "4")).tests();
 * }
 *
 * @Test
 * void conformsOnMyModel() {                       // all checks in one test, every failure listed
 *     MethodConformance.of(new MyCam()).model(myModel).inputs(Map.of("image", images), "image")
 *             .target("logits", 1, 4, 0).layer("features").check();
 * }
 * }</pre>
 *
 * <p>The {@link Check}s call the method as the SDK does ({@link MethodRuns}: parameters parsed against its
 * descriptor, a {@link io.xai4j.batch.Batcher}, a seed) on a batch of examples, each with its own target class.
 * Results are compared element by element within a relative tolerance (default {@value #DEFAULT_TOLERANCE} of
 * the tensor's largest magnitude: float32 arithmetic, and batching may reorder sums).
 *
 * <p>"The same results" always means each example explained alone: a stochastic method starts every example's random
 * stream from the seed (a fresh {@code context.random()} per example), so that an example's result does not depend
 * on the batch it came in.
 *
 * <p>By default the method runs on a {@link io.xai4j.testing.models.QuadraticModel#gapLinear} image classifier
 * that lets every kind of method run: input {@code x [N,3,4,5]} with 3 seeded examples, layer
 * {@code act = x + x^2/2 [N,3,4,5]} (passed to methods that require a layer), global average pooling and a linear
 * layer with a graph view, output {@code y [N,3]}, exact gradients, target classes 1, 2, 0. With {@link #model}
 * the inputs default to 3 seeded examples per input (fixed shapes, floating point), the explained input and the
 * target output to the first, the classes to 1, 2, 0 (modulo the output's row size), and no layer is passed
 * unless given. Not thread-safe.
 */
public final class MethodConformance {
    /** The default relative tolerance. */
    public static final double DEFAULT_TOLERANCE = 1e-5;

    /** What a method must do. */
    public enum Check {
        /**
         * The descriptor: a kebab-case name, a family, a non-blank version, a non-blank one-line description;
         * parameters with unique kebab-case names, types and descriptions, non-empty distinct choices, ordered
         * ranges, and defaults that parse and are in range.
         */
        DESCRIPTOR("descriptor is well formed", ParameterChecks::descriptor),
        /**
         * An undeclared parameter, and for each parameter a value of the wrong type and values just outside its
         * range or choices, are refused with {@code INVALID_PARAMETER} or {@code UNKNOWN_PARAMETER}; the lower
         * bound of each numeric range gives finite results or such a refusal.
         */
        BAD_PARAMETERS("bad parameter values are usage errors", ParameterChecks::badParameters),
        /** Two runs with the same seed give the same results. */
        DETERMINISM("deterministic for a fixed seed", RunChecks::determinism),
        /**
         * Requests of 1, 2 and 3 examples, with the default batcher and with batches of at most 1, 2 and 3 rows,
         * give each example's result alone (as Captum's {@code perturbations_per_eval} tests do). A method that
         * requires a {@link Requirement#BATCH} refuses one example with a usage error, and its requests of 2 and
         * 3 examples give the result of the same request with the default batcher.
         */
        BATCHING("batching does not change results", RunChecks::batching),
        /**
         * A request whose examples have different target classes gives each example's result with its class (for
         * a method that requires a {@link Requirement#BATCH}: its row of the request with every example at its class).
         */
        PER_EXAMPLE_TARGETS("per-example targets", RunChecks::perExampleTargets),
        /** An all-zero explained input gives finite results. */
        ZERO_INPUT("finite on a zero input", RunChecks::zeroInput),
        /** Two threads running the method at once on one model get the results each gets alone. */
        CONCURRENCY("thread-safe", RunChecks::concurrency),
        /**
         * With batches of one row, a run that calls the model, its gradient engine or a tail model more than once
         * reports progress through the batcher's listener between its first and last call; every task's reports
         * stay within 0 and the total, never go back except to restart at 0, and end complete.
         */
        PROGRESS("reports progress", RunChecks::progress);

        private final String description;
        private final Consumer<Setup> body;

        Check(String description, Consumer<Setup> body) {
            this.description = description;
            this.body = body;
        }

        /** A few words, used in test names and messages. */
        public String description() {
            return description;
        }
    }

    private static final int EXAMPLES = 3;
    private final AttributionMethod method;
    private Model model;
    private Map<String, Tensor> inputs;
    private String explained;
    private String output;
    private int[] classes;
    private String layer;
    private Map<String, String> parameters = Map.of();
    private long seed = 7;
    private double tolerance = DEFAULT_TOLERANCE;
    private final Map<Check, String> knownFailures = new EnumMap<>(Check.class);

    private MethodConformance(AttributionMethod method) {
        this.method = method;
    }

    public static MethodConformance of(AttributionMethod method) {
        return new MethodConformance(method);
    }

    /** One conformance per method registered on the class path ({@link ServiceLoader}), by name. */
    public static Stream<MethodConformance> registered() {
        return ServiceLoader.load(AttributionMethod.class).stream().map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparing(m -> m.descriptor().name())).map(MethodConformance::of);
    }

    public AttributionMethod method() {
        return method;
    }

    /** The model to run on; the caller closes it. Models are thread-safe ({@link Check#CONCURRENCY} shares one). */
    public MethodConformance model(Model m) {
        this.model = m;
        return this;
    }

    /** Every model input, batch first, at least 3 examples; {@code explainedInput} is attributed. */
    public MethodConformance inputs(Map<String, Tensor> modelInputs, String explainedInput) {
        this.inputs = Map.copyOf(modelInputs);
        this.explained = explainedInput;
        return this;
    }

    /** The output and one target class per example, at least two different. */
    public MethodConformance target(String modelOutput, int... exampleClasses) {
        this.output = modelOutput;
        this.classes = exampleClasses.clone();
        return this;
    }

    /** The layer to attribute to or explain, passed to every run. */
    public MethodConformance layer(String tensor) {
        this.layer = tensor;
        return this;
    }

    /**
     * Parameter values for every run (over the descriptor's defaults), e.g. few samples to keep the checks fast.
     *
     * @throws IllegalArgumentException for a name the method does not declare
     */
    public MethodConformance parameters(Map<String, String> values) {
        List<String> declared = method.descriptor().parameters().stream().map(ParameterSpec::name).toList();
        for (String name : values.keySet()) {
            if (!declared.contains(name)) {
                throw new IllegalArgumentException("method '" + method.descriptor().name() + "' has no parameter '"
                        + name + "'; it has " + declared);
            }
        }
        this.parameters = Map.copyOf(values);
        return this;
    }

    /** The seed of the runs (default 7). */
    public MethodConformance seed(long value) {
        this.seed = value;
        return this;
    }

    /** The relative tolerance of comparisons. */
    public MethodConformance tolerance(double relative) {
        this.tolerance = relative;
        return this;
    }

    /**
     * Declares that {@code check} fails for a known reason: its test is then reported as aborted with the reason,
     * and fails once the check passes.
     */
    public MethodConformance knownFailure(Check check, String reason) {
        knownFailures.put(check, reason);
        return this;
    }

    /** Runs every check and fails listing each that fails. */
    public void check() {
        check(Check.values());
    }

    /** Runs the given checks and fails listing each that fails. */
    public void check(Check... checks) {
        Setup setup = setup();
        Assertions.assertAll(method.descriptor().name() + " conformance",
                Arrays.stream(checks).map(c -> (Executable) () -> run(c, setup, false)));
    }

    /** One dynamic test per check, named after the method and the check. */
    public Stream<DynamicTest> tests() {
        Setup setup = setup();
        return Arrays.stream(Check.values()).map(c -> dynamicTest(setup.name() + ": " + c.description(),
                () -> run(c, setup, true)));
    }

    private void run(Check check, Setup setup, boolean abortKnown) {
        String prefix = setup.name() + ": " + check.description() + ": ";
        AssertionError failure = null;
        try {
            check.body.accept(setup);
        } catch (AssertionError e) {
            failure = new AssertionError(prefix + e.getMessage(), e.getCause());
        } catch (RuntimeException e) {
            failure = new AssertionError(prefix + "the method failed: " + e, e);
        }
        String known = knownFailures.get(check);
        if (known == null && failure != null) {
            throw failure;
        }
        if (known != null && failure == null) {
            throw new AssertionError(prefix + "passes, but is declared a known failure (" + known + ")");
        }
        if (known != null && abortKnown) {
            Assumptions.abort("known failure (" + known + "): " + failure.getMessage());
        }
    }

    private Setup setup() {
        boolean defaultModel = model == null;
        Model m = defaultModel ? Defaults.model() : model;
        Map<String, Tensor> in = inputs != null ? inputs : Defaults.inputs(m, EXAMPLES);
        String x = explained != null ? explained : m.signature().firstInput().name();
        String y = output != null ? output : m.signature().firstOutput().name();
        int n = in.get(x).dim(0);
        int[] c = classes != null ? classes : Defaults.classes(m.signature().output(y), n);
        String l = layer != null || !defaultModel || !method.descriptor().requires(Requirement.LAYER) ? layer
                : AnalyticModel.LAYER;
        if (n < EXAMPLES || c.length != n || Arrays.stream(c).distinct().count() < 2
                || in.values().stream().anyMatch(t -> t.dim(0) != n)) {
            throw new IllegalStateException("the checks need at least " + EXAMPLES + " examples in every input and"
                    + " one target class per example, at least two different; got " + n + " examples of '" + x
                    + "' and classes " + Arrays.toString(c));
        }
        return new Setup(method, m, in, x, y, c, l, parameters, seed, tolerance);
    }
}
