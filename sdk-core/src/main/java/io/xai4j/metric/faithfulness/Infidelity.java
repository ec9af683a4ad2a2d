package io.xai4j.metric.faithfulness;

import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.metric.AttributionMaps;
import io.xai4j.metric.Metric;
import io.xai4j.metric.MetricContext;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricKind;
import io.xai4j.metric.MetricRequest;
import io.xai4j.metric.MetricResult;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Infidelity as Captum's {@code infidelity} defines it (Yeh et al., 2019): the mean over perturbations {@code I} of
 * {@code (I . attribution - (f(x) - f(x - I)))^2}, with {@code I} Gaussian noise of standard deviation {@code
 * noise} on every input element. With {@code normalize=true} the attribution is first scaled by the least-squares
 * factor {@code beta = E[(I . a) d] / E[(I . a)^2]}, as Captum's {@code normalize}. Each example's noise comes from
 * the seed alone, so an example scores the same alone or in a batch. The {@code samples} perturbed copies and the
 * example are scored in batched model calls.
 */
public final class Infidelity implements Metric {
    private static final MetricDescriptor DESCRIPTOR = new MetricDescriptor("infidelity", MetricKind.FAITHFULNESS,
            "1", "mean squared error between the attribution's dot product with noise and the score change it causes "
                    + "(Captum's infidelity; lower is better)", Set.of(), List.of(
                    ParameterSpec.integer("samples", 10, 1, 100_000, "noise perturbations per example"),
                    ParameterSpec.real("noise", 0.003, 0, 1e6, "standard deviation of the Gaussian perturbation, in "
                            + "the model input's units"),
                    ParameterSpec.bool("normalize", false, "scale the attribution by its least-squares factor first")),
            false);

    @Override
    public MetricDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public MetricResult evaluate(MetricContext context, MetricRequest request) {
        int samples = request.parameters().getInt("samples");
        double std = request.parameters().getDouble("noise");
        boolean normalize = request.parameters().getBoolean("normalize");
        int[] shape = request.exampleShape();
        int size = Tensor.sizeOf(shape);
        double[] scores = new double[request.examples()];
        long calls = 0;
        for (int i = 0; i < request.examples(); i++) {
            PerturbationEvaluator evaluator = request.evaluator(context, i);
            double[] attribution = AttributionMaps.perElement(request.attribution().row(i), shape);
            SplittableRandom random = new SplittableRandom(context.seed());
            float[][] noise = new float[samples][size];
            double[] dot = new double[samples];
            for (int s = 0; s < samples; s++) {
                for (int e = 0; e < size; e++) {
                    noise[s][e] = (float) (random.nextGaussian() * std);
                    dot[s] += noise[s][e] * attribution[e];
                }
            }
            float[] f = evaluator.evaluate(DESCRIPTOR.name(), samples + 1, (k, row) -> {
                if (k > 0) {
                    for (int e = 0; e < size; e++) {
                        row.set(e, row.get(e) - noise[k - 1][e]);
                    }
                }
            });
            double beta = 1;
            if (normalize) {
                double cross = 0;
                double square = 0;
                for (int s = 0; s < samples; s++) {
                    cross += dot[s] * (f[0] - f[s + 1]);
                    square += dot[s] * dot[s];
                }
                beta = square == 0 ? 0 : cross / square;
            }
            double sum = 0;
            for (int s = 0; s < samples; s++) {
                double error = beta * dot[s] - (f[0] - f[s + 1]);
                sum += error * error;
            }
            scores[i] = sum / samples;
            calls += evaluator.forwardCalls();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("better", "lower");
        details.put("samples", samples);
        details.put("noise", std);
        details.put("normalize", normalize);
        details.put("forwardCalls", calls);
        return new MetricResult(DESCRIPTOR.name(), scores, List.of(), details);
    }
}
