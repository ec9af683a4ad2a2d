package io.xai4j.metric.sensitivity;

import io.xai4j.metric.AttributionMaps;
import io.xai4j.metric.Metric;
import io.xai4j.metric.MetricContext;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricKind;
import io.xai4j.metric.MetricNeed;
import io.xai4j.metric.MetricRequest;
import io.xai4j.metric.MetricResult;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Max-sensitivity as Captum's {@code sensitivity_max} defines it (Yeh et al., 2019): the largest relative change
 * {@code ||a(x + d) - a(x)|| / ||a(x)||} (Frobenius norms) of the attribution over {@code samples} perturbations
 * {@code d} drawn uniformly from {@code [-radius, radius]} per input element, each explained again for the same
 * class (a zero attribution's change is taken as it is, as Captum does). Each example's noise comes from the seed
 * alone. The perturbed copies of an example are explained as one
 * batch.
 */
public final class MaxSensitivity implements Metric {
    private static final MetricDescriptor DESCRIPTOR = new MetricDescriptor("max-sensitivity", MetricKind.SENSITIVITY,
            "1", "the largest relative change of the attribution under small uniform input noise (Captum's "
                    + "sensitivity_max; lower is better)", Set.of(MetricNeed.EXPLAINER), List.of(
                    ParameterSpec.integer("samples", 10, 1, 10_000, "perturbations per example, explained as a batch"),
                    ParameterSpec.real("radius", 0.02, 0, 1e6, "the largest perturbation of an element, in the model "
                            + "input's units")), false);

    @Override
    public MetricDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public MetricResult evaluate(MetricContext context, MetricRequest request) {
        MetricContext.Explain explain = context.explainer(DESCRIPTOR.name());
        int samples = request.parameters().getInt("samples");
        double radius = request.parameters().getDouble("radius");
        int[] shape = request.exampleShape();
        double[] scores = new double[request.examples()];
        for (int i = 0; i < request.examples(); i++) {
            Map<String, Tensor> batch = new LinkedHashMap<>();
            request.example(i).forEach((name, t) -> batch.put(name, t.repeatRows(samples)));
            Tensor noisy = batch.get(request.inputName());
            SplittableRandom random = new SplittableRandom(context.seed());
            for (int e = 0; e < noisy.size(); e++) {
                noisy.set(e, (float) (noisy.get(e) + random.nextDouble(-radius, radius)));
            }
            ResolvedTarget one = request.target().forExample(i);
            ResolvedTarget target = new ResolvedTarget(one.output(), Collections.nCopies(samples, one.indices().get(0)),
                    Collections.nCopies(samples, one.labels().get(0)));
            Tensor again = explain.attribution(context.model(), batch, target);
            double[] original = AttributionMaps.perElement(request.attribution().row(i), shape);
            double norm = 0;
            for (double v : original) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            double worst = 0;
            for (int s = 0; s < samples; s++) {
                double[] changed = AttributionMaps.perElement(again.row(s), shape);
                double diff = 0;
                for (int e = 0; e < changed.length; e++) {
                    diff += (changed[e] - original[e]) * (changed[e] - original[e]);
                }
                worst = Math.max(worst, Math.sqrt(diff));
            }
            scores[i] = norm == 0 ? worst : worst / norm;   // as Captum, a zero attribution is not divided by
        }
        return new MetricResult(DESCRIPTOR.name(), scores, List.of(),
                Map.of("better", "lower", "samples", samples, "radius", radius));
    }
}
