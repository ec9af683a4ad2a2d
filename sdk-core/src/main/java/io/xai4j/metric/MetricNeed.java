package io.xai4j.metric;

/** What a metric needs besides the input, the target and the attribution. */
public enum MetricNeed {
    /** The true region of each example ({@link MetricRequest#groundTruth()}). */
    GROUND_TRUTH,
    /** To explain other inputs or models again ({@link MetricContext#explainer()}). */
    EXPLAINER
}
