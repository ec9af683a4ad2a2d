package io.xai4j.metric;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scores of a run over many inputs: a JSON record per input, the mean of every metric per method, the mean
 * curve of every curve metric per method (curves resampled at {@value #CURVE_POINTS} fractions), and a text table.
 * Not thread-safe.
 */
public final class EvaluationReport {
    /** The points of the mean curves, at fractions 0, 0.01, ..., 1. */
    public static final int CURVE_POINTS = 101;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINE = new ObjectMapper();

    private final Map<String, Map<String, Sum>> byMethod = new LinkedHashMap<>();
    private final List<String> metricOrder = new ArrayList<>();
    private final List<Map<String, Object>> records = new ArrayList<>();
    private final Map<String, Failures> failures = new LinkedHashMap<>();
    private int failedInputs;

    /** The inputs a method failed on, and its first error. */
    private static final class Failures {
        final Map<String, Object> first;
        int inputs;

        Failures(Map<String, Object> first) {
            this.first = first;
        }
    }

    /** A report whose methods are listed in the order they are first added. */
    public EvaluationReport() {
        this(List.of());
    }

    /** A report whose table and summary list {@code methods} in this order, before any added later. */
    public EvaluationReport(List<String> methods) {
        methods.forEach(m -> byMethod.put(m, new LinkedHashMap<>()));
    }

    /** The running mean of one metric of one method, and of its curves. */
    private static final class Sum {
        double total;
        int count;
        String better;
        double[] curve;
        int curves;
        String notApplicable;
    }

    /** Adds the scored explanations of one input and returns its JSON record. */
    public Map<String, Object> add(String input, List<Evaluation.Scored> scored) {
        return add(input, scored, Map.of());
    }

    /**
     * Adds the scored explanations of one input, and the methods that failed on it with their errors, and returns
     * its JSON record.
     */
    public Map<String, Object> add(String input, List<Evaluation.Scored> scored,
            Map<String, ? extends RuntimeException> failedMethods) {
        List<Object> explanations = new ArrayList<>();
        for (Evaluation.Scored s : scored) {
            Explanation e = s.explanation();
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (MetricResult r : s.results()) {
                metrics.put(r.metric(), resultJson(r));
                accumulate(e.method(), r);
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("method", e.method());
            one.put("target", e.targetLabels());
            one.put("metrics", metrics);
            one.put("millis", s.millis());
            one.put("explainMillis", e.provenance().timingsMillis().get("attribution"));
            explanations.add(one);
        }
        failedMethods.forEach((method, error) -> {
            Failures f = failures.computeIfAbsent(method, m -> new Failures(error(error)));
            f.inputs++;
            byMethod.computeIfAbsent(method, m -> new LinkedHashMap<>());
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("method", method);
            one.put("ok", false);
            one.put("error", error(error));
            explanations.add(one);
        });
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("input", input);
        record.put("ok", true);
        record.put("explanations", explanations);
        records.add(record);
        return record;
    }

    /** Records an input that could not be evaluated and returns its JSON record. */
    public Map<String, Object> failed(String input, XaiException error) {
        failedInputs++;
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("input", input);
        record.put("ok", false);
        record.put("error", error(error));
        records.add(record);
        return record;
    }

    /** An error as JSON: its code ({@code INTERNAL} for a bug) and message. */
    private static Map<String, Object> error(RuntimeException error) {
        return error instanceof XaiException x
                ? Map.of("code", x.code().name(), "message", String.valueOf(x.getMessage()))
                : Map.of("code", ErrorCode.INTERNAL.name(), "message", error.toString());
    }

    private static Map<String, Object> resultJson(MetricResult r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("score", finiteOrNull(r.mean()));
        if (r.scores().length > 1) {
            List<Object> each = new ArrayList<>();
            for (double s : r.scores()) {
                each.add(finiteOrNull(s));
            }
            json.put("perExample", each);
        }
        if (!r.curves().isEmpty()) {
            List<Object> curves = new ArrayList<>();
            for (Curve c : r.curves()) {
                curves.add(Map.of("fractions", c.fractions(), "scores", c.scores(), "auc", c.auc()));
            }
            json.put("curves", curves);
        }
        json.put("details", r.details());
        return json;
    }

    private static Object finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private void accumulate(String method, MetricResult r) {
        if (!metricOrder.contains(r.metric())) {
            metricOrder.add(r.metric());
        }
        Sum sum = byMethod.computeIfAbsent(method, m -> new LinkedHashMap<>()).computeIfAbsent(r.metric(), k -> new Sum());
        for (double s : r.scores()) {
            if (!Double.isNaN(s)) {
                sum.total += s;
                sum.count++;
            }
        }
        if (r.details().get("better") instanceof String b) {
            sum.better = b;
        }
        if (r.details().get("notApplicable") instanceof String why) {
            sum.notApplicable = why;
        }
        for (Curve c : r.curves()) {
            double[] resampled = resample(c);
            if (sum.curve == null) {
                sum.curve = new double[CURVE_POINTS];
            }
            for (int k = 0; k < CURVE_POINTS; k++) {
                sum.curve[k] += resampled[k];
            }
            sum.curves++;
        }
    }

    /** The curve's scores at the fractions 0, 1/100, ..., 1, linear between its points. */
    static double[] resample(Curve c) {
        double[] out = new double[CURVE_POINTS];
        double[] x = c.fractions();
        double[] y = c.scores();
        int j = 0;
        for (int k = 0; k < CURVE_POINTS; k++) {
            double f = (double) k / (CURVE_POINTS - 1);
            while (j < x.length - 2 && x[j + 1] < f) {
                j++;
            }
            double span = x[j + 1] - x[j];
            double t = span == 0 ? 1 : Math.min(1, Math.max(0, (f - x[j]) / span));
            out[k] = y[j] + t * (y[j + 1] - y[j]);
        }
        return out;
    }

    /** The mean of {@code metric} for {@code method} over every example it applied to; NaN when none. */
    public double mean(String method, String metric) {
        Sum s = byMethod.getOrDefault(method, Map.of()).get(metric);
        return s == null || s.count == 0 ? Double.NaN : s.total / s.count;
    }

    /** The methods, in the order they were first added. */
    public List<String> methods() {
        return List.copyOf(byMethod.keySet());
    }

    /** The metrics, in the order they were first added. */
    public List<String> metrics() {
        return List.copyOf(metricOrder);
    }

    /** The per-input records, in order. */
    public List<Map<String, Object>> records() {
        return List.copyOf(records);
    }

    /** For a curve metric, each method's mean curve at fractions 0, 0.01, ..., 1; empty for other metrics. */
    public Map<String, double[]> meanCurves(String metric) {
        Map<String, double[]> out = new LinkedHashMap<>();
        byMethod.forEach((method, sums) -> {
            Sum s = sums.get(metric);
            if (s != null && s.curves > 0) {
                double[] mean = new double[CURVE_POINTS];
                for (int k = 0; k < CURVE_POINTS; k++) {
                    mean[k] = s.curve[k] / s.curves;
                }
                out.put(method, mean);
            }
        });
        return out;
    }

    /** The summary, mean curves and records as one JSON document, with {@code settings} first. */
    public String toJson(Map<String, ?> settings) {
        Map<String, Object> summary = new LinkedHashMap<>();
        byMethod.forEach((method, sums) -> {
            Map<String, Object> perMetric = new LinkedHashMap<>();
            sums.forEach((metric, s) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("mean", s.count == 0 ? null : s.total / s.count);
                m.put("examples", s.count);
                m.put("better", s.better);
                if (s.count == 0 && s.notApplicable != null) {
                    m.put("notApplicable", s.notApplicable);
                }
                perMetric.put(metric, m);
            });
            summary.put(method, perMetric);
        });
        Map<String, Object> curves = new LinkedHashMap<>();
        for (String metric : metricOrder) {
            Map<String, double[]> mean = meanCurves(metric);
            if (!mean.isEmpty()) {
                curves.put(metric, mean);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>(settings);
        doc.put("inputs", records.size());
        doc.put("failedInputs", failedInputs);
        doc.put("summary", summary);
        Map<String, Object> failedMethods = new LinkedHashMap<>();
        failures.forEach((method, f) -> failedMethods.put(method, Map.of("inputs", f.inputs, "error", f.first)));
        doc.put("failedMethods", failedMethods);
        doc.put("meanCurves", curves);
        doc.put("records", records);
        return write(JSON, doc);
    }

    /** One record as a single line of JSON (JSON Lines). */
    public static String line(Map<String, Object> record) {
        return write(LINE, record);
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new XaiException(ErrorCode.INTERNAL, "cannot write the evaluation as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A text table: a row per method, a column per metric (the mean), with whether higher or lower is better; a
     * method that failed on every input shows {@code failed}, and a line under the table names each method that
     * failed with its first error.
     */
    public String table() {
        List<String> header = new ArrayList<>(List.of("method"));
        List<String> better = new ArrayList<>(List.of(""));
        for (String metric : metricOrder) {
            header.add(metric);
            String b = byMethod.values().stream().map(m -> m.get(metric)).filter(s -> s != null && s.better != null)
                    .map(s -> s.better).findFirst().orElse("");
            better.add(b.isEmpty() ? "" : "(" + b + " is better)");
        }
        List<List<String>> rows = new ArrayList<>(List.of(header, better));
        for (String method : byMethod.keySet()) {
            List<String> row = new ArrayList<>(List.of(method));
            boolean failedEverywhere = byMethod.get(method).isEmpty() && failures.containsKey(method);
            for (String metric : metricOrder) {
                double m = mean(method, metric);
                row.add(failedEverywhere ? "failed" : Double.isNaN(m) ? "-" : String.format(Locale.ROOT, "%.4g", m));
            }
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                text.append(c == 0 ? String.format("%-" + widths[c] + "s", cell)
                        : String.format("  %" + widths[c] + "s", cell));
            }
            text.append(System.lineSeparator());
        }
        failures.forEach((method, f) -> text.append(method).append(" failed on ").append(f.inputs)
                .append(f.inputs == 1 ? " input: " : " inputs, first: ").append(f.first.get("code")).append(' ')
                .append(f.first.get("message")).append(System.lineSeparator()));
        return text.toString();
    }
}
