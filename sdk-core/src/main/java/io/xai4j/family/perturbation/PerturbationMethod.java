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
 * plan's own details. When the plan scores every unmodified example ({@link PerturbationEvaluator#scoreOriginal}),
 * the result carries their outputs ({@link Attribution#outputs()}).
 */
public abstract class PerturbationMethod implements AttributionMethod {
    /** The name of the baseline parameter every perturbation method takes. */
    protected static final String BASELINE = "baseline";

    /** The {@code baseline} parameter, defaulting to zeros. */
    protected static ParameterSpec baselineParameter() {
        return ParameterSpec.baseline(BASELINE, "zeros",
                "what perturbed elements are replaced with: zeros, a number, mean, blur[:SIGMA] or an .npy file");
    }

    /** The work of one method call, built once from validated parameters and the example shape. */
    protected interface Plan {
        /**
         * Explains one example.
         *
         * @param evaluator   scores perturbations of this example
         * @param example     the example (a view; never modified)
         * @param baseline    the baseline for this example, shaped like it
         * @param attribution where to write the result, shaped like the example (initially zeros)
         */
        void explain(PerturbationEvaluator evaluator, Tensor example, Tensor baseline, Tensor attribution);

        /** Method-specific details for the provenance, e.g. the effective window. */
        Map<String, Object> details();
    }

    /**
     * Validates the parameters against the shape of one example and prepares the work.
     *
     * @throws XaiException {@link ErrorCode#INVALID_PARAMETER} for values that do not fit the example
     */
    protected abstract Plan plan(AttributionContext context, Parameters parameters, int[] exampleShape);

    @Override
    public final Attribution attribute(AttributionContext context, AttributionRequest request) {
        int[] shape = request.exampleShape(descriptor().name());
        Plan plan = plan(context, request.parameters(), shape);
        Baseline baseline = request.parameters().getBaseline(BASELINE);
        Tensor input = request.input();
        Tensor result = Tensor.zeros(input.shape());
        long evaluations = 0;
        long forwardCalls = 0;
        ExampleOutputs outputs = new ExampleOutputs(request.target().output(), request.examples());
        for (int i = 0; i < request.examples(); i++) {
            PerturbationEvaluator evaluator = PerturbationEvaluator.forExample(context, request, i);
            Tensor example = evaluator.example();
            plan.explain(evaluator, example, baseline.of(example), result.row(i));
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
