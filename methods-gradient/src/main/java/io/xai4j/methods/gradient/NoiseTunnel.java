package io.xai4j.methods.gradient;

import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SmoothGrad family (Smilkov et al. 2017; Adebayo et al. 2018 for VarGrad), as Captum's {@code NoiseTunnel}:
 * a {@code base} gradient method explains {@code samples} noisy copies {@code x + N(0, s^2)} of each example,
 * with {@code s = sigma * (max(x) - min(x))}, and the attributions are aggregated element-wise: their mean
 * (smoothgrad), the mean of their squares (smoothgrad-sq) or their population variance (vargrad).
 *
 * <p>The base method runs with its default parameters, except that saliency keeps the sign of the gradient
 * ({@code abs=false}). All noisy copies of one example go to the base method at once, so they are
 * differentiated in batched engine calls (for integrated-gradients, all samples times steps points). Noise
 * comes from the context's seeded generator.
 */
abstract class NoiseTunnel extends GradientMethod {
    static final String SAMPLES = "samples";
    static final String SIGMA = "sigma";
    static final String BASE = "base";
    private static final Map<String, GradientMethod> BASES = Map.of("saliency", new Saliency(),
            "input-x-gradient", new InputXGradient(), "integrated-gradients", new IntegratedGradients(),
            "gradient-shap", new GradientShap());

    /** How the attributions of the noisy copies are combined. */
    enum Aggregate {
        MEAN, MEAN_OF_SQUARES, VARIANCE
    }

    private final MethodDescriptor descriptor;
    private final Aggregate aggregate;

    NoiseTunnel(String name, String description, Aggregate aggregate) {
        this.descriptor = new MethodDescriptor(name, MethodFamily.GRADIENT, "1.0", description,
                Set.of(Requirement.GRADIENTS), List.of(
                        ParameterSpec.integer(SAMPLES, 50, 1, 100_000, "noisy copies per example"),
                        ParameterSpec.real(SIGMA, 0.15, 0.0, 100.0, "noise standard deviation as a fraction of each "
                                + "example's range max - min (0.25 for a quarter of the range)"),
                        ParameterSpec.choice(BASE, "saliency", List.of("saliency", "input-x-gradient",
                                "integrated-gradients", "gradient-shap"), "the method applied to each noisy copy")));
        this.aggregate = aggregate;
    }

    @Override
    public final MethodDescriptor descriptor() {
        return descriptor;
    }

    @Override
    final void attributeRows(Job job, Tensor points, int[] exampleOf, Tensor out) {
        GradientMethod base = BASES.get(job.parameters.getString(BASE));
        Map<String, String> overrides = base instanceof Saliency ? Map.of(Saliency.ABS, "false") : Map.of();
        Job baseJob = job.nested(Parameters.parse(base.descriptor(), overrides));
        int samples = job.parameters.getInt(SAMPLES);
        double sigma = job.parameters.getDouble(SIGMA);
        int[] rowShape = points.row(0).shape();
        Tensor noisy = Tensor.zeros(batchShape(samples, rowShape));
        Tensor attributions = Tensor.zeros(noisy.shape());
        int[] sampleExamples = new int[samples];
        for (int r = 0; r < points.dim(0); r++) {
            Tensor x = points.row(r);
            double stdev = sigma * Elementwise.range(x);
            for (int s = 0; s < samples; s++) {
                Elementwise.addNoise(x, stdev, job.random, noisy.row(s));
            }
            Arrays.fill(sampleExamples, exampleOf[r]);
            Arrays.fill(attributions.array(), 0f);
            base.attributeRows(baseJob, noisy, sampleExamples, attributions);
            aggregate(attributions, out.row(r));
        }
        job.details.put(BASE, base.descriptor().name());
        job.details.put(SAMPLES, samples);
        job.details.put(SIGMA, sigma);
    }

    private void aggregate(Tensor attributions, Tensor out) {
        int samples = attributions.dim(0);
        int size = out.size();
        float[] a = attributions.array();
        for (int e = 0; e < size; e++) {
            double sum = 0;
            double sumSquares = 0;
            for (int s = 0; s < samples; s++) {
                double v = a[s * size + e];
                sum += v;
                sumSquares += v * v;
            }
            double mean = sum / samples;
            double value = switch (aggregate) {
                case MEAN -> mean;
                case MEAN_OF_SQUARES -> sumSquares / samples;
                case VARIANCE -> variance(a, e, size, samples, mean);
            };
            out.set(e, (float) value);
        }
    }

    private static double variance(float[] a, int element, int size, int samples, double mean) {
        double sum = 0;
        for (int s = 0; s < samples; s++) {
            double d = a[s * size + element] - mean;
            sum += d * d;
        }
        return sum / samples;
    }
}
