package io.xai4j.family.gradient;

import io.xai4j.error.XaiException;
import io.xai4j.gradient.GradientQuery;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.plugin.PluginLoader;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.MethodLookup;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.ParameterType;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The noise tunnel (Smilkov et al. 2017; Adebayo et al. 2018 for VarGrad), as Captum's {@code NoiseTunnel}: a
 * {@code base} gradient method, any installed {@link GradientMethod} including a plugin's, explains
 * {@code samples} noisy copies {@code x + N(0, s^2)} of each example, with {@code s = stdevs} when given (Captum's
 * absolute {@code stdevs}) and otherwise {@code s = sigma * (max(x) - min(x))}, and a subclass's {@link Aggregate}
 * combines the attributions element-wise: their mean (smoothgrad), the mean of their squares (smoothgrad-sq) or
 * their population variance (vargrad).
 *
 * <p>The base method runs with its own defaults, as in Captum (saliency takes absolute values), overridden by
 * {@code base.}-prefixed parameters: {@code base=integrated-gradients base.steps=16}, {@code base.abs=false}. The
 * family's {@code through-softmax} goes to the base unless {@code base.through-softmax} is given. All noisy copies of one example go to the base method at once, so they are differentiated in
 * batched engine calls (for integrated gradients, all samples times steps points). Noise comes from the example's
 * seeded generator ({@link GradientJob#random(int)}), so an example's result does not depend on its batch. The base method is looked up among the context's methods, or among the methods on the class
 * path when the context knows none (a method called outside the {@link io.xai4j.api.Explainer}).
 */
public abstract class NoiseTunnel extends GradientMethod {
    public static final String SAMPLES = "samples";
    public static final String SIGMA = "sigma";
    public static final String STDEVS = "stdevs";
    /** The noise level relative to each example's range when neither sigma nor stdevs is given. */
    public static final double DEFAULT_SIGMA = 0.15;
    public static final String BASE = "base";
    /** The prefix of the base method's parameters. */
    public static final String BASE_PREFIX = "base.";

    /** How the attributions of the noisy copies are combined. */
    public enum Aggregate {
        MEAN, MEAN_OF_SQUARES, VARIANCE
    }

    private final MethodDescriptor descriptor;
    private final Aggregate aggregate;

    protected NoiseTunnel(String name, String version, String description, Aggregate aggregate) {
        this.descriptor = descriptor(name, version, description, Set.of(Requirement.GRADIENTS), List.of(
                        ParameterSpec.integer(SAMPLES, 50, 1, 100_000, "noisy copies per example"),
                        new ParameterSpec(SIGMA, ParameterType.FLOAT, null, "noise standard deviation as a fraction "
                                + "of each example's range max - min (default " + DEFAULT_SIGMA + " unless stdevs is "
                                + "given)", null, 0.0, 100.0),
                        new ParameterSpec(STDEVS, ParameterType.FLOAT, null, "noise standard deviation in the "
                                + "input's units, as Captum's stdevs; replaces sigma", null, 0.0, Double.MAX_VALUE),
                        ParameterSpec.text(BASE, "saliency", "the gradient method applied to each noisy copy: any "
                                + "installed gradient method (saliency, input-x-gradient, integrated-gradients, "
                                + "gradient-shap, or a plugin's)"),
                        ParameterSpec.nested(BASE_PREFIX, "a parameter of the base method, e.g. base.steps=16")));
        this.aggregate = aggregate;
    }

    @Override
    public final MethodDescriptor descriptor() {
        return descriptor;
    }

    @Override
    protected final void attributeRows(GradientJob job, Tensor points, int[] exampleOf, Tensor out) {
        GradientMethod base = base(job);
        Parameters baseParameters = parseBase(base, baseValues(base, job.parameters()));
        GradientJob baseJob = job.forWrapped(baseParameters, base.ruleSet(baseParameters));
        Parameters parameters = job.parameters();
        if (parameters.has(SIGMA) && parameters.has(STDEVS)) {
            throw invalidParameter("give sigma (relative to each example's range) or stdevs (absolute), not both");
        }
        int samples = parameters.getInt(SAMPLES);
        double sigma = parameters.has(SIGMA) ? parameters.getDouble(SIGMA) : DEFAULT_SIGMA;
        int[] rowShape = points.row(0).shape();
        Tensor noisy = Tensor.zeros(batchShape(samples, rowShape));
        Tensor attributions = Tensor.zeros(noisy.shape());
        int[] sampleExamples = new int[samples];
        for (int r = 0; r < points.dim(0); r++) {
            Tensor x = points.row(r);
            double stdev = parameters.has(STDEVS) ? parameters.getDouble(STDEVS) : sigma * Elementwise.range(x);
            for (int s = 0; s < samples; s++) {
                Elementwise.addNoise(x, stdev, job.random(exampleOf[r]), noisy.row(s));
            }
            Arrays.fill(sampleExamples, exampleOf[r]);
            Arrays.fill(attributions.array(), 0f);
            base.attributeRows(baseJob, noisy, sampleExamples, attributions);
            aggregate(attributions, out.row(r));
        }
        job.details().put(BASE, base.descriptor().name());
        job.details().put(SAMPLES, samples);
        if (parameters.has(STDEVS)) {
            job.details().put(STDEVS, parameters.getDouble(STDEVS));
        } else {
            job.details().put(SIGMA, sigma);
        }
    }

    /** The {@code base} method: an installed gradient method that is not itself a noise tunnel. */
    private GradientMethod base(GradientJob job) {
        String name = job.parameters().getString(BASE);
        MethodLookup methods = job.context().methods() == MethodLookup.NONE ? ClassPath.METHODS
                : job.context().methods();
        return methods.find(name).filter(NoiseTunnel::canWrap).map(GradientMethod.class::cast)
                .orElseThrow(() -> invalidParameter("base '" + name + "' is not an installed gradient method; valid "
                        + "bases: " + methods.all().stream().filter(NoiseTunnel::canWrap)
                                .map(m -> m.descriptor().name()).sorted().collect(Collectors.joining(", "))));
    }

    private static boolean canWrap(Object method) {
        return method instanceof GradientMethod && !(method instanceof NoiseTunnel);
    }

    /**
     * The base method's parameters: the {@code base.}-prefixed ones, and this tunnel's
     * {@value GradientQuery#THROUGH_SOFTMAX} when the base takes it and no {@code base.through-softmax} is given.
     */
    private static Map<String, Object> baseValues(GradientMethod base, Parameters parameters) {
        Map<String, Object> values = new LinkedHashMap<>(parameters.nested(BASE_PREFIX));
        if (base.descriptor().parameter(GradientQuery.THROUGH_SOFTMAX).isPresent()) {
            values.putIfAbsent(GradientQuery.THROUGH_SOFTMAX, GradientQuery.throughSoftmax(parameters));
        }
        return values;
    }

    private Parameters parseBase(GradientMethod base, Map<String, Object> values) {
        try {
            return Parameters.parse(base.descriptor(), values);
        } catch (XaiException e) {
            throw new XaiException(e.code(), "method '" + descriptor.name() + "': " + e.getMessage()
                    + "; give the base method's parameters as " + BASE_PREFIX + "NAME=VALUE", e);
        }
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

    /** The methods on the class path, discovered once, on first use. */
    private static final class ClassPath {
        static final MethodLookup METHODS = MethodRegistry.of(PluginLoader.discover(NoiseTunnel.class.getClassLoader()));
    }
}
