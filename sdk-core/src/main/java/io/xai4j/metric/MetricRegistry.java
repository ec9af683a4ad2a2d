package io.xai4j.metric;

import io.xai4j.error.ClosestNames;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.plugin.LoadedMetric;
import io.xai4j.plugin.PluginReport;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The installed metrics by name: those registered in {@code META-INF/services/io.xai4j.metric.Metric}, on the class
 * path or, through {@link #of(PluginReport)}, in plugin jars.
 */
public final class MetricRegistry {
    private final Map<String, Metric> metrics;

    private MetricRegistry(Map<String, Metric> metrics) {
        this.metrics = metrics;
    }

    /** The metrics on the class path of the SDK and of the current thread's context class loader. */
    public static MetricRegistry discover() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return discover(context != null ? context : Metric.class.getClassLoader());
    }

    /**
     * The metrics {@code loader} sees. When two share a name the first found is kept.
     *
     * @throws XaiException {@link ErrorCode#PLUGIN_FAILURE} when a registered metric cannot be created
     */
    public static MetricRegistry discover(ClassLoader loader) {
        Map<String, Metric> found = new TreeMap<>();
        try {
            for (Metric m : ServiceLoader.load(Metric.class, loader)) {
                found.putIfAbsent(m.descriptor().name(), m);
            }
        } catch (java.util.ServiceConfigurationError e) {
            throw new XaiException(ErrorCode.PLUGIN_FAILURE, "a registered metric cannot be loaded: " + e.getMessage(), e);
        }
        return new MetricRegistry(found);
    }

    /** The metrics of a plugin discovery: the class path's and those of plugin folders ({@code --plugins}). */
    public static MetricRegistry of(PluginReport report) {
        return of(report.metrics().stream().map(LoadedMetric::metric).toList());
    }

    /** A registry of the given metrics (tests, embedders with their own). */
    public static MetricRegistry of(List<Metric> list) {
        Map<String, Metric> found = new TreeMap<>();
        list.forEach(m -> found.putIfAbsent(m.descriptor().name(), m));
        return new MetricRegistry(found);
    }

    /**
     * The metric called {@code name}.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_METRIC} listing the installed metrics and the closest name
     */
    public Metric get(String name) {
        Metric metric = name == null ? null : metrics.get(name);
        if (metric != null) {
            return metric;
        }
        String message = "unknown metric '" + name + "'; available: " + String.join(", ", metrics.keySet());
        List<String> closest = name == null ? List.of() : ClosestNames.closest(name, metrics.keySet(), 1);
        throw new XaiException(ErrorCode.UNKNOWN_METRIC,
                closest.isEmpty() ? message : message + "; did you mean '" + closest.get(0) + "'?");
    }

    /** Every metric, by name. */
    public List<Metric> all() {
        return List.copyOf(metrics.values());
    }

    public List<String> names() {
        return List.copyOf(metrics.keySet());
    }
}
