package io.xai4j.metric;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metric's scores of the explanations of a request.
 *
 * @param metric  the metric name
 * @param scores  one score per example; NaN where the metric does not apply (e.g. a standing metric the method
 *                does not report)
 * @param curves  one curve per example for curve metrics, else empty
 * @param details metric-specific values (the parameters used, model calls, why a metric did not apply);
 *                JSON-compatible values only
 */
public record MetricResult(String metric, double[] scores, List<Curve> curves, Map<String, Object> details) {
    public MetricResult {
        scores = scores.clone();
        curves = List.copyOf(curves);
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** The mean over the examples the metric applies to; NaN when it applies to none. */
    public double mean() {
        double sum = 0;
        int n = 0;
        for (double s : scores) {
            if (!Double.isNaN(s)) {
                sum += s;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** A result for {@code examples} examples that the metric does not apply to, saying why. */
    public static MetricResult notApplicable(String metric, int examples, String reason) {
        double[] none = new double[examples];
        java.util.Arrays.fill(none, Double.NaN);
        return new MetricResult(metric, none, List.of(), Map.of("notApplicable", reason));
    }
}
