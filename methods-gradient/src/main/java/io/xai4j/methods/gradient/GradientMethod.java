package io.xai4j.methods.gradient;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.gradient.GradientRunner;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * The skeleton of gradient methods: checks the input and parameters, creates the {@link GradientRunner}, lets
 * the method attribute all examples as rows in batched engine calls, and reports {@code engineCalls} and
 * {@code gradientEvaluations} (rows differentiated) in the details. The attribution has the input's shape
 * unless {@link #finish} changes it.
 *
 * <p>Methods attribute "rows" rather than examples so that wrappers such as SmoothGrad can hand them many
 * noisy copies of one example at once.
 */
abstract class GradientMethod implements AttributionMethod {

    /**
     * Attributes each row of {@code points} (values of the attributed input) to that input.
     *
     * @param points    {@code [M, ...]} rows shaped like the attributed input's rows; never modified
     * @param exampleOf per row, the example of the request it belongs to (its target, baseline, other inputs)
     * @param out       {@code [M, ...]}, all zeros on entry; receives the attributions
     */
    abstract void attributeRows(Job job, Tensor points, int[] exampleOf, Tensor out);

    /** Checks parameters against one example's shape. */
    void validate(Parameters parameters, int[] exampleShape) {
    }

    /** The most rows per engine call the parameters ask for; 0 for the batcher's limit. */
    int maxBatchSize(Parameters parameters) {
        return 0;
    }

    /** Post-processes the attributions of the request's examples (e.g. channel reduction). */
    Tensor finish(Job job, Tensor attribution) {
        return attribution;
    }

    @Override
    public final Attribution attribute(AttributionContext context, AttributionRequest request) {
        int[] exampleShape = request.exampleShape(descriptor().name());
        validate(request.parameters(), exampleShape);
        GradientRunner runner = GradientRunner.create(context, descriptor().name(), request.target(),
                maxBatchSize(request.parameters()));
        Job job = Job.create(context, request, runner);
        Tensor input = request.input();
        Tensor out = Tensor.zeros(input.shape());
        int[] identity = new int[request.examples()];
        Arrays.setAll(identity, i -> i);
        attributeRows(job, input, identity, out);
        Tensor result = finish(job, out);
        job.details.put("engineCalls", runner.engineCalls());
        job.details.put("gradientEvaluations", runner.rowsEvaluated());
        return new Attribution(Map.of(request.inputName(), result), job.details);
    }

    /** An {@link ErrorCode#INVALID_PARAMETER} error that names this method. */
    XaiException invalidParameter(String message) {
        return new XaiException(ErrorCode.INVALID_PARAMETER, "method '" + descriptor().name() + "': " + message);
    }

    /** The {@code baseline} parameter, defaulting to zeros. */
    static ParameterSpec baselineParameter(String what) {
        return ParameterSpec.baseline(Job.BASELINE, "zeros",
                what + ": zeros, a number, mean, blur[:SIGMA] or an .npy file");
    }

    /** Rows {@code [0, n)} repeated: row {@code i} of the result is {@code exampleOf[i / times]}. */
    static int[] repeat(int[] exampleOf, int times) {
        int[] out = new int[exampleOf.length * times];
        for (int i = 0; i < out.length; i++) {
            out[i] = exampleOf[i / times];
        }
        return out;
    }

    /** {@code [n, rowShape...]}. */
    static int[] batchShape(int n, int[] rowShape) {
        int[] s = new int[rowShape.length + 1];
        s[0] = n;
        System.arraycopy(rowShape, 0, s, 1, rowShape.length);
        return s;
    }
}
