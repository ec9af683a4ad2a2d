package io.xai4j.methods.gradient;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.gradient.AttributedTensor;
import io.xai4j.family.gradient.Elementwise;
import io.xai4j.family.gradient.GradientJob;
import io.xai4j.family.gradient.GradientMethod;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * GradientSHAP, i.e. expected gradients (Lundberg and Lee 2017, as Captum's {@code GradientShap}): the mean
 * over {@code samples} draws of {@code (x' - b) * grad(b + alpha (x' - b))}, with {@code x' = x + N(0, stdevs^2)},
 * {@code alpha ~ U(0, 1)} and {@code b} drawn uniformly from the rows of {@code baseline-distribution} (an
 * .npy of shape {@code [B, ...]} or one example's shape), or, without it, the single {@code baseline}.
 * Draws come from the context's seeded generator, in sample order, so results do not depend on batching.
 * At a layer ({@link AttributedTensor}) the baselines are mapped through the model and the noise is added to
 * the layer's values.
 */
public final class GradientShap extends GradientMethod {
    static final String SAMPLES = "samples";
    static final String STDEVS = "stdevs";
    static final String DISTRIBUTION = "baseline-distribution";
    private static final MethodDescriptor DESCRIPTOR = descriptor("gradient-shap", "1.0",
            "Expected gradients: mean of (input - baseline) x gradient at random points between random "
                    + "baselines and the (noisy) input",
            Set.of(Requirement.GRADIENTS, Requirement.BASELINE), List.of(
                    ParameterSpec.integer(SAMPLES, 20, 1, 100_000, "random draws per example"),
                    ParameterSpec.real(STDEVS, 0.0, 0.0, Double.MAX_VALUE,
                            "standard deviation of the Gaussian noise added to the input"),
                    baselineParameter("the baseline, when no baseline-distribution is given"),
                    ParameterSpec.tensor(DISTRIBUTION, "a tensor (an .npy file) of baselines [B, ...] to draw from; "
                            + "replaces baseline")));

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected void attributeRows(GradientJob job, Tensor points, int[] exampleOf, Tensor out) {
        int samples = job.parameters().getInt(SAMPLES);
        double stdev = job.parameters().getDouble(STDEVS);
        Tensor distribution = job.parameters().has(DISTRIBUTION)
                ? job.cached(DISTRIBUTION, () -> distribution(job, job.request().input().row(0).shape())) : null;
        float weight = 1f / samples;
        Tensor[] differences = new Tensor[1];
        job.stream("gradient-shap", repeat(exampleOf, samples), (start, end, rows) -> {
            if (differences[0] == null || differences[0].dim(0) != end - start) {
                differences[0] = Tensor.zeros(rows.shape());
            }
            for (int i = start; i < end; i++) {
                int r = i / samples;
                Tensor difference = differences[0].row(i - start);
                int example = exampleOf[r];
                SplittableRandom random = job.random(example);
                Tensor baseline = distribution == null ? job.baseline(example)
                        : job.cached(DISTRIBUTION + ":" + example, () -> job.attributed().fromInputRows(example,
                                distribution)).row(random.nextInt(distribution.dim(0)));
                Elementwise.addNoise(points.row(r), stdev, random, difference);
                Elementwise.addScaled(difference, baseline, -1f);
                Elementwise.pointOnPath(baseline, difference, (float) random.nextDouble(), rows.row(i - start));
            }
        }, batch -> {
            Tensor gradient = batch.gradient(job.inputName());
            for (int i = 0; i < batch.size(); i++) {
                int r = (batch.start() + i) / samples;
                Elementwise.addProduct(out.row(r), differences[0].row(i), gradient.row(i), weight);
            }
        });
    }

    /** The {@value #DISTRIBUTION} parameter as baselines {@code [B, ...]}, checked against one example's shape. */
    static Tensor distribution(GradientJob job, int[] exampleShape) {
        String file = job.parameters().asText().get(DISTRIBUTION);
        Tensor t = job.parameters().getTensor(DISTRIBUTION);
        int[] shape = t.shape();
        if (Arrays.equals(shape, exampleShape)) {
            return t.unsqueeze0();
        }
        if (shape.length != exampleShape.length + 1 || shape[0] < 1
                || !Arrays.equals(shape, 1, shape.length, exampleShape, 0, exampleShape.length)) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "baseline distribution " + file + " has shape "
                    + Arrays.toString(shape) + "; expected [B, " + Arrays.toString(exampleShape).substring(1)
                    + " (B >= 1 baselines shaped like one example) or " + Arrays.toString(exampleShape));
        }
        return t;
    }
}
