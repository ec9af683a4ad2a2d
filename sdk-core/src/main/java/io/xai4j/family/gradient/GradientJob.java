package io.xai4j.family.gradient;

import io.xai4j.batch.ExampleOutputs;
import io.xai4j.gradient.GradientBatch;
import io.xai4j.gradient.GradientQuery;
import io.xai4j.gradient.GradientRunner;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.Parameters;
import io.xai4j.tensor.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One call of a {@link GradientMethod}: the request, the attributed tensor, the method's parameters, the shared
 * runner, per-example random generators and baselines and the details to report. A method wrapped by another
 * (e.g. by a {@link NoiseTunnel}) gets a {@link #forWrapped} job that shares the runner, the generators and the
 * details. Not thread-safe: one job per call.
 */
public final class GradientJob {
    /** The parameter that differentiates the output itself even when it ends in Softmax. */
    public static final String THROUGH_SOFTMAX = GradientQuery.THROUGH_SOFTMAX;
    /** The baseline parameter of path methods. */
    public static final String BASELINE = "baseline";

    private final AttributionContext context;
    private final AttributionRequest request;
    private final AttributedTensor attributed;
    private final Parameters parameters;
    private final GradientRunner runner;
    private final Map<Integer, SplittableRandom> randoms;
    private final Map<String, Object> details;
    private final boolean wrapped;
    private final ExampleOutputs outputs;
    private final String ruleSet;
    private final Map<String, Object> cache = new HashMap<>();

    private GradientJob(AttributionContext context, AttributionRequest request, AttributedTensor attributed,
            Parameters parameters, GradientRunner runner, Map<Integer, SplittableRandom> randoms,
            Map<String, Object> details, boolean wrapped, String ruleSet) {
        this.context = context;
        this.request = request;
        this.attributed = attributed;
        this.parameters = parameters;
        this.runner = runner;
        this.randoms = randoms;
        this.details = details;
        this.wrapped = wrapped;
        this.outputs = new ExampleOutputs(request.target().output(), request.examples());
        this.ruleSet = ruleSet;
    }

    static GradientJob create(AttributionContext context, AttributionRequest request, AttributedTensor attributed,
            GradientRunner runner, String ruleSet) {
        return new GradientJob(context, request, attributed, request.parameters(), runner, new HashMap<>(),
                new LinkedHashMap<>(), false, ruleSet);
    }

    /**
     * A job for a wrapped method with its own parameters and rule set ({@link GradientMethod#ruleSet()}), sharing
     * this job's runner, generator and details.
     */
    GradientJob forWrapped(Parameters methodParameters, String methodRuleSet) {
        return new GradientJob(context, request, attributed, methodParameters, runner, randoms, details, true,
                methodRuleSet);
    }

    public AttributionContext context() {
        return context;
    }

    public AttributionRequest request() {
        return request;
    }

    /** The attributed tensor: the input, or a layer. */
    public AttributedTensor attributed() {
        return attributed;
    }

    /** This method's validated parameters (inside a wrapper: those the wrapper gave it). */
    public Parameters parameters() {
        return parameters;
    }

    /**
     * The seeded generator of one example of the request, shared with wrapped methods. Every example's stream
     * starts from the context's seed, so an example gets the same result alone as in any batch.
     */
    public SplittableRandom random(int example) {
        return randoms.computeIfAbsent(example, e -> context.random());
    }

    /** The details to report; shared with wrapped methods. */
    public Map<String, Object> details() {
        return details;
    }

    /** True when the method runs inside another one (e.g. SmoothGrad), which reports the details. */
    public boolean isWrapped() {
        return wrapped;
    }

    /** The attributed tensor's name. */
    public String inputName() {
        return attributed.name();
    }

    /**
     * Gradients with respect to the attributed tensor under the method's rule set (by default the context's),
     * through a trailing Softmax when the method has a {@value #THROUGH_SOFTMAX} parameter set to true.
     */
    public GradientQuery query() {
        return GradientQuery.wrt(inputName()).throughSoftmax(GradientQuery.throughSoftmax(parameters))
                .withRuleSet(ruleSet);
    }

    /**
     * The {@value #BASELINE} parameter's baseline for one example of the request (computed once), in the
     * attributed tensor's space: the baseline of the input, mapped through the model at a layer.
     */
    public Tensor baseline(int example) {
        return cached("baseline:" + example, () -> attributed.fromInputRows(example,
                parameters.getBaseline(BASELINE).of(request.input().row(example)).unsqueeze0()).row(0));
    }

    /** A value computed once per job. */
    @SuppressWarnings("unchecked")
    public <T> T cached(String key, Supplier<T> compute) {
        Object v = cache.get(key);
        if (v == null) {
            v = compute.get();
            cache.put(key, v);
        }
        return (T) v;
    }

    /**
     * Differentiates generated rows of the attributed tensor in batches (one engine call per batch, with
     * progress); row {@code i} belongs to example {@code exampleOf[i]}, whose target seeds it. What was
     * differentiated goes to the details ({@code differentiated}).
     */
    public void stream(String task, int[] exampleOf, GradientRunner.RowWriter writer, GradientRunner.BatchSink sink) {
        stream(task, exampleOf, 1, writer, sink);
    }

    /**
     * As {@link #stream(String, int[], GradientRunner.RowWriter, GradientRunner.BatchSink)}, in groups of
     * {@code group} consecutive rows that always share an engine call (DeepLift's input and baseline pairs).
     */
    public void stream(String task, int[] exampleOf, int group, GradientRunner.RowWriter writer,
            GradientRunner.BatchSink sink) {
        GradientQuery query = query();
        details.put("differentiated", runner.differentiated(query));
        runner.stream(task, attributed.engineInputs(), inputName(), exampleOf, group, query, writer, sink);
    }

    /**
     * Keeps the model output of every row of {@code batch} as its example's output at the example's inputs (for
     * {@link io.xai4j.spi.Attribution#outputs()}): for batches whose rows are the method's points themselves. Does
     * nothing inside a wrapper, whose points are not the examples.
     */
    public void keepOutputs(GradientBatch batch) {
        for (int i = 0; i < batch.size(); i++) {
            keepOutput(batch, i);
        }
    }

    /** As {@link #keepOutputs(GradientBatch)} for row {@code row} of {@code batch} alone. */
    public void keepOutput(GradientBatch batch, int row) {
        if (!wrapped) {
            outputs.keep(batch.exampleOf()[row], batch.output().row(row));
        }
    }

    /** The kept outputs of all examples, or an empty map when some example has none. */
    Map<String, Tensor> outputs() {
        return outputs.complete();
    }

    /** A writer that copies rows of {@code points}. */
    public static GradientRunner.RowWriter copyOf(Tensor points) {
        return (start, end, rows) -> rows.copyFrom(points.rows(start, end));
    }

    int engineCalls() {
        return runner.engineCalls();
    }

    long rowsEvaluated() {
        return runner.rowsEvaluated();
    }
}
