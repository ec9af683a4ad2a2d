package io.xai4j.report;

import io.xai4j.api.Explainer;
import io.xai4j.explain.Explanation;
import io.xai4j.explain.Prediction;
import io.xai4j.image.Png;
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
            MetricsSection.append(comparison, html);
        }
        return html.append("</body></html>\n").toString();
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
