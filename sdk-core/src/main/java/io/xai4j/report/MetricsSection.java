package io.xai4j.report;

import io.xai4j.metric.Curve;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricResult;
import io.xai4j.render.CurvePlot;
import java.util.List;
import java.util.Locale;

/** The metrics section of {@link HtmlReport}: the scores of a comparison's cells. */
final class MetricsSection {
    private MetricsSection() {
    }

    /**
     * Appends the metrics section: per input, a row per metric and a column per method with the score (the mean over the
     * input's examples), the best of each row in bold and, for curve metrics, the curve; then the means over inputs.
     */
    static void append(Comparison comparison, StringBuilder html) {
        List<String> methods = comparison.methods();
        List<String> inputs = comparison.inputs().stream().filter(i -> comparison.unreadable(i) == null).toList();
        html.append("<h2 id=\"metrics\">Metrics</h2>\n<p><small>Each score is the metric's value for the explained "
                + "target (the mean over an input's examples); the best of each row is bold. A curve metric shows "
                + "its curve (the score over the fraction of features removed or added, or of layers randomised), on "
                + "one scale per row. See 'xai4j evaluate --list-metrics'.</small></p>\n"
                + "<table><tr><th>input</th><th>metric</th>");
        methods.forEach(m -> html.append("<th>").append(HtmlReport.escape(m)).append("</th>"));
        html.append("</tr>\n");
        List<MetricDescriptor> metrics = comparison.metrics();
        for (String input : inputs) {
            for (int k = 0; k < metrics.size(); k++) {
                MetricDescriptor metric = metrics.get(k);
                double[] row = new double[methods.size()];
                for (int m = 0; m < methods.size(); m++) {
                    MetricResult r = result(comparison, input, methods.get(m), metric);
                    row[m] = r == null ? Double.NaN : r.mean();
                }
                html.append("<tr>");
                if (k == 0) {
                    html.append("<th rowspan=\"").append(metrics.size()).append("\">").append(HtmlReport.escape(input))
                            .append("</th>");
                }
                html.append(metricHeader(metric));
                double[] bounds = curveBounds(comparison, input, methods, metric);
                for (int m = 0; m < methods.size(); m++) {
                    MetricResult r = result(comparison, input, methods.get(m), metric);
                    html.append("<td class=\"score\">").append(r == null ? "<span class=\"error\">failed</span>"
                            : score(r, row[m] == best(row, metric), bounds)).append("</td>");
                }
                html.append("</tr>\n");
            }
        }
        if (inputs.size() > 1) {
            for (int k = 0; k < metrics.size(); k++) {
                MetricDescriptor metric = metrics.get(k);
                double[] row = new double[methods.size()];
                for (int m = 0; m < methods.size(); m++) {
                    row[m] = meanOverInputs(comparison, inputs, methods.get(m), metric);
                }
                html.append("<tr>");
                if (k == 0) {
                    html.append("<th rowspan=\"").append(metrics.size()).append("\">mean over inputs</th>");
                }
                html.append(metricHeader(metric));
                for (double v : row) {
                    html.append("<td class=\"score\">").append(number(v, v == best(row, metric))).append("</td>");
                }
                html.append("</tr>\n");
            }
        }
        html.append("</table>\n");
    }

    private static String metricHeader(MetricDescriptor metric) {
        return "<th>" + HtmlReport.escape(metric.name()) + "<br><small>(" + (metric.higherIsBetter() ? "higher" : "lower")
                + " is better)</small></th>";
    }

    private static MetricResult result(Comparison comparison, String input, String method, MetricDescriptor metric) {
        return comparison.scores(input, method).stream().filter(r -> r.metric().equals(metric.name())).findFirst()
                .orElse(null);
    }

    private static double meanOverInputs(Comparison comparison, List<String> inputs, String method,
            MetricDescriptor metric) {
        return inputs.stream().map(i -> result(comparison, i, method, metric)).filter(java.util.Objects::nonNull)
                .mapToDouble(MetricResult::mean).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** The best finite value of a row, by the metric's direction; NaN when none is finite. */
    private static double best(double[] row, MetricDescriptor metric) {
        return java.util.Arrays.stream(row).filter(Double::isFinite)
                .reduce((a, b) -> metric.higherIsBetter() ? Math.max(a, b) : Math.min(a, b)).orElse(Double.NaN);
    }

    /** The lowest and highest value of the first curve of every method's result in a row. */
    private static double[] curveBounds(Comparison comparison, String input, List<String> methods,
            MetricDescriptor metric) {
        double[] bounds = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (String method : methods) {
            MetricResult r = result(comparison, input, method, metric);
            if (r != null && !r.curves().isEmpty()) {
                for (double v : r.curves().get(0).scores()) {
                    bounds[0] = Math.min(bounds[0], v);
                    bounds[1] = Math.max(bounds[1], v);
                }
            }
        }
        return bounds;
    }

    private static String score(MetricResult r, boolean best, double[] bounds) {
        if (r.details().get("notApplicable") instanceof String why) {
            return "<span title=\"" + HtmlReport.escape(why) + "\">n/a</span>";
        }
        String text = number(r.mean(), best);
        if (r.curves().isEmpty()) {
            return text;
        }
        Curve curve = r.curves().get(0);
        return text + "<img alt=\"" + HtmlReport.escape(r.metric()) + " curve\" src=\"data:image/png;base64,"
                + HtmlReport.base64(CurvePlot.thumbnail(curve.fractions(), curve.scores(), bounds[0], bounds[1], 120, 44)) + "\">";
    }

    private static String number(double v, boolean best) {
        String text = Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "-";
        return best ? "<b>" + text + "</b>" : text;
    }
}
