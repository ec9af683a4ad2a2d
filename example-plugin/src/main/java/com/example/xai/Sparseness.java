package com.example.xai;

import io.xai4j.metric.Metric;
import io.xai4j.metric.MetricContext;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricKind;
import io.xai4j.metric.MetricRequest;
import io.xai4j.metric.MetricResult;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Gini index of the attribution's magnitudes (Chalasani et al., 2020; Quantus's {@code Sparseness}): 0 when every
 * element is equally relevant, {@code (n - 1) / n} when one element holds all the relevance. Higher is sparser.
 */
public final class Sparseness implements Metric {
    private static final MetricDescriptor DESCRIPTOR = new MetricDescriptor("sparseness", MetricKind.COMPLEXITY, "1",
            "Gini index of the attribution's magnitudes (higher is sparser)", Set.of(), List.of(), true);

    @Override
    public MetricDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public MetricResult evaluate(MetricContext context, MetricRequest request) {
        double[] scores = new double[request.examples()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = gini(request.attribution().row(i));
        }
        return new MetricResult(DESCRIPTOR.name(), scores, List.of(), Map.of("better", "higher"));
    }

    /** {@code sum_k (2k - n - 1) a_(k) / (n sum a)} over the magnitudes sorted ascending; 0 for an all-zero map. */
    static double gini(Tensor attribution) {
        double[] a = new double[attribution.size()];
        for (int e = 0; e < a.length; e++) {
            a[e] = Math.abs(attribution.get(e));
        }
        Arrays.sort(a);
        double weighted = 0;
        double sum = 0;
        for (int k = 1; k <= a.length; k++) {
            weighted += (2.0 * k - a.length - 1) * a[k - 1];
            sum += a[k - 1];
        }
        return sum == 0 ? 0 : weighted / (a.length * sum);
    }
}
