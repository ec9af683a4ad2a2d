package io.xai4j.methods.gradient;

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
 * One method call's state: the request, the attributed tensor, the method's parameters, the shared runner and
 * random generator, per-example baselines and the details to report. A wrapped method gets a {@link #nested}
 * job that shares the runner, the generator and the details.
 */
final class Job {
    static final String THROUGH_SOFTMAX = "through-softmax";
    static final String BASELINE = "baseline";

    final AttributionRequest request;
    final AttributedTensor attributed;
    final Parameters parameters;
    final GradientRunner runner;
    final SplittableRandom random;
    final Map<String, Object> details;
    /** True when the method runs inside another one (e.g. SmoothGrad), which reports the details. */
    final boolean nested;
    private final Map<String, Object> cache = new HashMap<>();

    private Job(AttributionRequest request, AttributedTensor attributed, Parameters parameters, GradientRunner runner,
            SplittableRandom random, Map<String, Object> details, boolean nested) {
        this.request = request;
        this.attributed = attributed;
        this.parameters = parameters;
        this.runner = runner;
        this.random = random;
        this.details = details;
        this.nested = nested;
    }

    static Job create(AttributionContext context, AttributionRequest request, AttributedTensor attributed,
            GradientRunner runner) {
        return new Job(request, attributed, request.parameters(), runner, context.random(), new LinkedHashMap<>(),
                false);
    }

    /** A job for a wrapped method with its own parameters. */
    Job nested(Parameters methodParameters) {
        return new Job(request, attributed, methodParameters, runner, random, details, true);
    }

    /** The attributed tensor: the input, or a layer. */
    String inputName() {
        return attributed.name;
    }

    /** Exact gradients with respect to the attributed input. */
    GradientQuery query() {
        boolean through = parameters.has(THROUGH_SOFTMAX) && parameters.getBoolean(THROUGH_SOFTMAX);
        return GradientQuery.wrt(inputName()).throughSoftmax(through);
    }

    /**
     * The {@code baseline} parameter's baseline for one example of the request (computed once), in the attributed
     * tensor's space: the baseline of the input, mapped through the model at a layer.
     */
    Tensor baseline(int example) {
        return cached("baseline:" + example, () -> attributed.fromInputRows(example,
                parameters.getBaseline(BASELINE).of(request.input().row(example)).unsqueeze0()).row(0));
    }

    /** A value computed once per job. */
    @SuppressWarnings("unchecked")
    <T> T cached(String key, Supplier<T> compute) {
        Object v = cache.get(key);
        if (v == null) {
            v = compute.get();
            cache.put(key, v);
        }
        return (T) v;
    }

    /**
     * Differentiates generated rows of the attributed input in batches; row {@code i} belongs to example
     * {@code exampleOf[i]}.
     */
    void stream(String task, int[] exampleOf, GradientRunner.RowWriter writer, GradientRunner.BatchSink sink) {
        runner.stream(task, attributed.engineInputs, inputName(), exampleOf, query(), writer, sink);
    }

    /** A writer that copies rows of {@code points}. */
    static GradientRunner.RowWriter copyOf(Tensor points) {
        return (start, end, rows) -> rows.copyFrom(points.rows(start, end));
    }
}
