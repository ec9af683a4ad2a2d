package io.xai4j.family.perturbation;

import io.xai4j.baseline.Baseline;
import io.xai4j.batch.ExampleOutputs;
import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shared skeleton of perturbation methods: validates parameters once into a {@link Plan}, then explains
 * the request's examples one at a time, each with its own target and baseline, scoring that example's
 * perturbations in batches through a {@link PerturbationEvaluator}. The attribution has the input's shape.
 * Details report {@code modelEvaluations} (inputs scored) and {@code forwardCalls} (model calls), plus the
 * plan's own details, asked for after every example is explained (so a plan may report per-example values).
 * A plan is made per call, so it may keep such values without locking. When the plan scores every unmodified
 * example ({@link PerturbationEvaluator#scoreOriginal}), the result carries their outputs
 * ({@link Attribution#outputs()}).
 */
public abstract class PerturbationMethod implements AttributionMethod {
    /** The name of the baseline parameter perturbation methods take (all but those that perturb otherwise). */
    protected static final String BASELINE = "baseline";

    /** The {@code baseline} parameter, defaulting to zeros. */
    protected static ParameterSpec baselineParameter() {
        return ParameterSpec.baseline(BASELINE, "zeros",
                "what perturbed elements are replaced with: zeros, a number, mean, blur[:SIGMA] or an .npy file");
    }

    /** The work of one method call, built once from validated parameters and the example shape. */
    protected interface Plan {
        /**
         * Explains one example. A plan implements this or {@link #explain(int, PerturbationEvaluator, Tensor,
         * Tensor, Tensor)}.
         *
         * @param evaluator   scores perturbations of this example
         * @param example     the example (a view; never modified)
         * @param baseline    the baseline for this example, shaped like it; null for a method without a
         *                    {@code baseline} parameter
         * @param attribution where to write the result, shaped like the example (initially zeros)
         */
        default void explain(PerturbationEvaluator evaluator, Tensor example, Tensor baseline, Tensor attribution) {
            throw new UnsupportedOperationException("a plan implements one of the explain methods");
        }

        /** Explains example {@code index} of the request (examples come in order from 0); by default as above. */
        default void explain(int index, PerturbationEvaluator evaluator, Tensor example, Tensor baseline,
                Tensor attribution) {
            explain(evaluator, example, baseline, attribution);
        }

        /** Method-specific details for the provenance, e.g. the effective window. */
        Map<String, Object> details();
    }

    /**
     * Validates the parameters against the shape of one example and prepares the work.
     *
     * @throws XaiException {@link ErrorCode#INVALID_PARAMETER} for values that do not fit the example
     */
    protected Plan plan(AttributionContext context, Parameters parameters, int[] exampleShape) {
        throw new UnsupportedOperationException("a perturbation method implements one of the plan methods");
    }

    /**
     * Prepares the work of a whole request; by default {@link #plan(AttributionContext, Parameters, int[])} on the
     * shape of one example. A method whose perturbations mix examples (e.g. permutes features across the batch)
     * overrides this one.
     */
    protected Plan plan(AttributionContext context, AttributionRequest request) {
        return plan(context, request.parameters(), request.exampleShape(descriptor().name()));
    }

    @Override
    public final Attribution attribute(AttributionContext context, AttributionRequest request) {
        request.exampleShape(descriptor().name());
        Plan plan = plan(context, request);
        Baseline baseline = request.parameters().has(BASELINE) ? request.parameters().getBaseline(BASELINE) : null;
        Tensor input = request.input();
        Tensor result = Tensor.zeros(input.shape());
        long evaluations = 0;
        long forwardCalls = 0;
        ExampleOutputs outputs = new ExampleOutputs(request.target().output(), request.examples());
        for (int i = 0; i < request.examples(); i++) {
            PerturbationEvaluator evaluator = PerturbationEvaluator.forExample(context, request, i);
            Tensor example = evaluator.example();
            plan.explain(i, evaluator, example, baseline == null ? null : baseline.of(example), result.row(i));
            evaluations += evaluator.evaluations();
            forwardCalls += evaluator.forwardCalls();
            int index = i;
            evaluator.originalOutput().ifPresent(o -> outputs.keep(index, o));
        }
        Map<String, Object> details = new LinkedHashMap<>(plan.details());
        details.put("modelEvaluations", evaluations);
        details.put("forwardCalls", forwardCalls);
        return new Attribution(Map.of(request.inputName(), result), details, outputs.complete());
    }

    /** Details in the given order, from alternating names and values. */
    protected static Map<String, Object> details(Object... namesAndValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            details.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return details;
    }

    /** An {@link ErrorCode#INVALID_PARAMETER} error that names this method. */
    protected XaiException invalidParameter(String message) {
        return new XaiException(ErrorCode.INVALID_PARAMETER, "method '" + descriptor().name() + "': " + message);
    }
}
