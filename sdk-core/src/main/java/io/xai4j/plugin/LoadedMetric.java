package io.xai4j.plugin;

import io.xai4j.metric.Metric;

/** A metric found by plugin discovery, with the jar (or class-path entry) that provides it. */
public record LoadedMetric(Metric metric, String jar) {
    public String name() {
        return metric.descriptor().name();
    }
}
