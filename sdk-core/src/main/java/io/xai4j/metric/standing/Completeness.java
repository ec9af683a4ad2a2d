package io.xai4j.metric.standing;

import io.xai4j.metric.Metric;
import io.xai4j.metric.MetricContext;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricKind;
import io.xai4j.metric.MetricRequest;
import io.xai4j.metric.MetricResult;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The completeness error a method reports about itself, as its absolute value per example: integrated gradients'
 * convergence delta and DeepLIFT's summation-to-delta error ({@code convergenceDelta}: the attributions' sum minus
 * {@code f(x) - f(baseline)}), the Shapley methods' additivity error ({@code additivityError}) and LRP's
 * conservation error ({@code conservationError}: the input relevance's sum against the target score, relative).
 * Not applicable to a method that reports none of them.
 */
public final class Completeness implements Metric {
    /** The details that hold a completeness error, in the order they are looked for, with what they are. */
    public static final Map<String, String> SOURCES = Map.of(
            "convergenceDelta", "convergence delta (integrated gradients) or summation-to-delta (DeepLIFT)",
            "additivityError", "additivity error (Shapley values)",
            "conservationError", "relative conservation error (LRP)");
    private static final List<String> ORDER = List.of("convergenceDelta", "additivityError", "conservationError");
    private static final MetricDescriptor DESCRIPTOR = new MetricDescriptor("completeness", MetricKind.STANDING, "1",
            "|sum of attributions - score difference| the method reports: IG convergence delta, DeepLIFT "
                    + "summation-to-delta, SHAP additivity, LRP conservation", Set.of(), List.of(), false);

    @Override
    public MetricDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public MetricResult evaluate(MetricContext context, MetricRequest request) {
        int n = request.examples();
        for (String key : ORDER) {
            if (request.details().get(key) instanceof List<?> values && values.size() == n) {
                double[] scores = new double[n];
                for (int i = 0; i < n; i++) {
                    scores[i] = values.get(i) instanceof Number v ? Math.abs(v.doubleValue()) : Double.NaN;
                }
                return new MetricResult(DESCRIPTOR.name(), scores, List.of(),
                        Map.of("better", "lower", "source", key, "meaning", SOURCES.get(key)));
            }
        }
        return MetricResult.notApplicable(DESCRIPTOR.name(), n, "the method reports no completeness error (one of "
                + String.join(", ", ORDER) + ")");
    }
}
