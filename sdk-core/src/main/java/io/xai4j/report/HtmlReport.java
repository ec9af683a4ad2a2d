package io.xai4j.report;

import io.xai4j.api.Explainer;
import io.xai4j.explain.Explanation;
import io.xai4j.explain.Prediction;
import io.xai4j.image.Png;
import io.xai4j.metric.Curve;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricResult;
import io.xai4j.render.CurvePlot;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A comparison as one self-contained HTML page: every picture inline (PNG data URIs), and for each cell its
 * parameters, timings and predictions, then the cells' metric scores when they were scored; no scripts, styles
 * inline, nothing fetched.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** The page for {@code comparison}, headed by {@code title}, with {@code settings} (e.g. model, target) listed. */
    public static String render(Comparison comparison, String title, Map<String, String> settings) {
        StringBuilder html = new StringBuilder(4096);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:1em;color:#222}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:6px;vertical-align:top}"
                        + "img{max-width:360px;display:block}dl{margin:4px 0;font-size:12px}dt{font-weight:bold}"
                        + "dd{margin:0 0 4px 8px}.error{color:#a00}td.score{text-align:right;font-size:13px}"
                        + "td.score img{margin-left:auto}small{color:#666}</style></head><body>\n<h1>")
                .append(escape(title)).append("</h1>\n<dl>");
        settings.forEach((k, v) -> html.append("<dt>").append(escape(k)).append("</dt><dd>").append(escape(v))
                .append("</dd>"));
        html.append("</dl>\n<table><tr><th>input</th>");
        for (String method : comparison.methods()) {
            html.append("<th>").append(escape(method)).append("</th>");
        }
        html.append("</tr>\n");
        for (String input : comparison.inputs()) {
            html.append("<tr><th>").append(escape(input)).append("</th>");
            String unreadable = comparison.unreadable(input);
            if (unreadable != null) {
                html.append("<td colspan=\"").append(Math.max(1, comparison.methods().size()))
                        .append("\"><p class=\"error\">could not be read: ").append(escape(unreadable))
                        .append("</p></td></tr>\n");
                continue;
            }
            for (String method : comparison.methods()) {
                html.append("<td>").append(cell(comparison.cell(input, method))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        if (!comparison.metrics().isEmpty()) {
            metrics(comparison, html);
        }
        return html.append("</body></html>\n").toString();
    }

    /**
     * The metrics section: per input, a row per metric and a column per method with the score (the mean over the
     * input's examples), the best of each row in bold and, for curve metrics, the curve; then the means over inputs.
     */
    private static void metrics(Comparison comparison, StringBuilder html) {
        List<String> methods = comparison.methods();
        List<String> inputs = comparison.inputs().stream().filter(i -> comparison.unreadable(i) == null).toList();
        html.append("<h2 id=\"metrics\">Metrics</h2>\n<p><small>Each score is the metric's value for the explained "
                + "target (the mean over an input's examples); the best of each row is bold. A curve metric shows "
                + "its curve (the score over the fraction of features removed or added, or of layers randomised), on "
                + "one scale per row. See 'xai4j evaluate --list-metrics'.</small></p>\n<table><tr><th>input</th><th>metric</th>");
        methods.forEach(m -> html.append("<th>").append(escape(m)).append("</th>"));
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
                    html.append("<th rowspan=\"").append(metrics.size()).append("\">").append(escape(input))
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
        return "<th>" + escape(metric.name()) + "<br><small>(" + (metric.higherIsBetter() ? "higher" : "lower")
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
            return "<span title=\"" + escape(why) + "\">n/a</span>";
        }
        String text = number(r.mean(), best);
        if (r.curves().isEmpty()) {
            return text;
        }
        Curve curve = r.curves().get(0);
        return text + "<img alt=\"" + escape(r.metric()) + " curve\" src=\"data:image/png;base64,"
                + base64(CurvePlot.thumbnail(curve.fractions(), curve.scores(), bounds[0], bounds[1], 120, 44)) + "\">";
    }

    private static String number(double v, boolean best) {
        String text = Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "-";
        return best ? "<b>" + text + "</b>" : text;
    }

    private static String cell(Comparison.Cell c) {
        if (c == null) {
            return "";
        }
        if (c.picture() == null) {
            return "<p class=\"error\">failed: " + escape(c.error()) + "</p>";
        }
        Explanation e = c.explanation();
        String alt = c.method() + " on " + c.input();
        return "<img alt=\"" + escape(alt) + "\" src=\"data:image/png;base64," + base64(c.picture()) + "\">"
                + "<dl><dt>target</dt><dd>" + escape(String.join(", ", e.targetLabels())) + "</dd>"
                + "<dt>parameters</dt><dd>" + escape(pairs(e.provenance().parameters())) + "</dd>"
                + "<dt>timings (ms)</dt><dd>" + escape(e.provenance().timingsMillis().entrySet().stream()
                        .map(t -> t.getKey() + " " + String.format(Locale.ROOT, "%.0f", t.getValue()))
                        .collect(Collectors.joining(", "))) + "</dd>"
                + "<dt>predictions</dt><dd>" + escape(predictions(e)) + "</dd>" + warnings(e) + "</dl>";
    }

    private static String warnings(Explanation e) {
        if (!(e.details().get(Explainer.WARNINGS) instanceof List<?> warnings) || warnings.isEmpty()) {
            return "";
        }
        return "<dt>warnings</dt><dd class=\"error\">" + escape(warnings.stream().map(String::valueOf)
                .collect(Collectors.joining("; "))) + "</dd>";
    }

    private static String predictions(Explanation e) {
        List<Prediction> top = e.predictions().isEmpty() ? List.of() : e.predictions().get(0);
        return top.stream().limit(3).map(p -> String.format(Locale.ROOT, "%s (p=%.3f)", p.label(), p.probability()))
                .collect(Collectors.joining(", "));
    }

    private static String pairs(Map<String, String> map) {
        return map.isEmpty() ? "(none)" : map.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The PNG of an image, base64-encoded. */
    static String base64(RenderedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            Png.write(image, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
