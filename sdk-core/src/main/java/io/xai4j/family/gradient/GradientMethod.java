package io.xai4j.family.gradient;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.gradient.GradientQuery;
import io.xai4j.gradient.GradientRunner;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The base class of gradient methods, built-in and third-party. A subclass supplies a {@link #descriptor()} (made
 * with {@link #descriptor(String, String, String, Set, List)}, which adds the family's shared
 * {@code through-softmax}) and {@link #attributeRows}: from the gradients of the rows it asks for
 * ({@link GradientJob#stream}), the attribution of each row. This class does the rest: finds the attributed tensor
 * (the input, or a layer: {@link AttributedTensor}), checks the parameters, creates the {@link GradientRunner}, lets
 * the method attribute all examples as rows in batched engine calls, and reports what was differentiated
 * ({@code differentiated}), {@code engineCalls} and {@code gradientEvaluations} (rows differentiated), the
 * method's own {@code ruleSet} when it names one,
 * and at a layer it chose itself {@code layer}, {@code layerShape} and {@code layerSelection}, and at any token
 * layer {@code [N,T,D]} {@code attributionPerToken} (the sum over D), in the details. The attribution
 * has the attributed tensor's shape unless {@link #finish} changes it. A method that differentiates rows at its
 * points themselves passes those batches to {@link GradientJob#keepOutputs}, so that the result carries the
 * model outputs at the inputs and the Explainer needs no forward pass of its own.
 *
 * <p>Methods attribute "rows" rather than examples so that wrappers such as SmoothGrad can hand them many
 * noisy copies of one example at once.
 */
public abstract class GradientMethod implements AttributionMethod {

    /**
     * Attributes each row of {@code points} (values of the attributed input) to that input.
     *
     * @param points    {@code [M, ...]} rows shaped like the attributed input's rows; never modified
     * @param exampleOf per row, the example of the request it belongs to (its target, baseline, other inputs)
     * @param out       {@code [M, ...]}, all zeros on entry; receives the attributions
     */
    protected abstract void attributeRows(GradientJob job, Tensor points, int[] exampleOf, Tensor out);

    /** Checks parameters against one example's shape of the attributed tensor. */
    protected void validate(Parameters parameters, int[] exampleShape) {
    }

    /** The most rows per engine call the parameters ask for; 0 for the batcher's limit. */
    protected int maxBatchSize(Parameters parameters) {
        return 0;
    }

    /**
     * The backward rule set of this method's gradients (for example {@code guided-backprop}), or null for the
     * context's ({@code --rules}, by default the true gradients).
     */
    protected String ruleSet() {
        return null;
    }

    /**
     * The backward rule set for a request's parameters: {@link #ruleSet()} by default. A method whose rules take
     * parameters returns a reference with them, {@code NAME:KEY=VALUE,...}
     * ({@link io.xai4j.spi.backward.RuleSetReference}).
     */
    protected String ruleSet(Parameters parameters) {
        return ruleSet();
    }

    /**
     * The backward rule set this method differentiates under for {@code parameters} ({@link #ruleSet(Parameters)}),
     * or null for the context's: what an export of the method's gradients must use.
     */
    public final String ruleSetFor(Parameters parameters) {
        return ruleSet(parameters);
    }

    /** Post-processes the attributions of the request's examples (e.g. channel reduction). */
    protected Tensor finish(GradientJob job, Tensor attribution) {
        return attribution;
    }


    @Override
    public final Attribution attribute(AttributionContext context, AttributionRequest request) {
        AttributedTensor attributed = AttributedTensor.of(context, request, descriptor().name());
        Tensor points = attributed.values();
        validate(request.parameters(), Arrays.copyOfRange(points.shape(), 1, points.rank()));
        GradientRunner runner = GradientRunner.create(context, descriptor().name(), request.target(),
                maxBatchSize(request.parameters()));
        String ruleSet = ruleSet(request.parameters());
        GradientJob job = GradientJob.create(context, request, attributed, runner, ruleSet);
        Map<String, Object> details = job.details();
        if (ruleSet != null) {
            details.put("ruleSet", ruleSet);
        }
        if (attributed.isLayer() && request.layer().isEmpty()) {
            details.put("layer", attributed.name());
            details.put("layerShape", Arrays.stream(points.shape()).boxed().toList());
            details.put("layerSelection", attributed.layerSelection());
        }
        Tensor out = Tensor.zeros(points.shape());
        int[] identity = new int[request.examples()];
        Arrays.setAll(identity, i -> i);
        attributeRows(job, points, identity, out);
        Tensor result = finish(job, out);
        if (attributed.isLayer() && result.rank() == 3) {
            details.put("attributionPerToken", sumsOverLastAxis(result));
        }
        details.put("engineCalls", runner.engineCalls());
        details.put("gradientEvaluations", runner.rowsEvaluated());
        return new Attribution(Map.of(attributed.name(), result), details, job.outputs());
    }

    /** Per example and token of a {@code [N,T,D]} layer attribution, the sum over D (as Captum's users sum). */
    private static List<List<Double>> sumsOverLastAxis(Tensor attribution) {
        List<List<Double>> sums = new ArrayList<>();
        for (int n = 0; n < attribution.dim(0); n++) {
            List<Double> perToken = new ArrayList<>();
            for (int t = 0; t < attribution.dim(1); t++) {
                perToken.add(Elementwise.sum(attribution.row(n).row(t)));
            }
            sums.add(perToken);
        }
        return sums;
    }

    /**
     * A gradient-family descriptor: the method's own parameters, then the family's shared one,
     * {@value GradientQuery#THROUGH_SOFTMAX} ({@link GradientQuery#throughSoftmaxParameter()}), which
     * {@link GradientJob#query()} applies to every gradient the method asks for.
     */
    protected static MethodDescriptor descriptor(String name, String version, String description,
            Set<Requirement> requirements, List<ParameterSpec> parameters) {
        List<ParameterSpec> all = new ArrayList<>(parameters);
        all.add(GradientQuery.throughSoftmaxParameter());
        return new MethodDescriptor(name, MethodFamily.GRADIENT, version, description, requirements, all);
    }

    /** An {@link ErrorCode#INVALID_PARAMETER} error that names this method. */
    protected XaiException invalidParameter(String message) {
        return new XaiException(ErrorCode.INVALID_PARAMETER, "method '" + descriptor().name() + "': " + message);
    }

    /** The {@code baseline} parameter, defaulting to zeros. */
    protected static ParameterSpec baselineParameter(String what) {
        return ParameterSpec.baseline(GradientJob.BASELINE, "zeros",
                what + ": zeros, a number, mean, blur[:SIGMA], a tensor or an .npy file");
    }

    /** Rows {@code [0, n)} repeated: row {@code i} of the result is {@code exampleOf[i / times]}. */
    protected static int[] repeat(int[] exampleOf, int times) {
        int[] out = new int[exampleOf.length * times];
        for (int i = 0; i < out.length; i++) {
            out[i] = exampleOf[i / times];
        }
        return out;
    }

    /** {@code [n, rowShape...]}. */
    protected static int[] batchShape(int n, int[] rowShape) {
        int[] s = new int[rowShape.length + 1];
        s[0] = n;
        System.arraycopy(rowShape, 0, s, 1, rowShape.length);
        return s;
    }
}
