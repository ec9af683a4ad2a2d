package io.xai4j.metric;

/** What a metric measures. */
public enum MetricKind {
    /** Does the model's score follow the attribution when features are removed or added? */
    FAITHFULNESS,
    /** Does the attribution point at the object, given its true box or mask? */
    LOCALISATION,
    /** Does the attribution change when the model or the input changes? */
    SENSITIVITY,
    /** How concentrated, or how simple, is the attribution? */
    COMPLEXITY,
    /** A check a method reports about itself (a completeness or conservation error). */
    STANDING
}
