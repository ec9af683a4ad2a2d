package io.xai4j.metric;

/**
 * A trust metric: a number that says how far an explanation can be believed (how faithful it is to the model, how
 * well it points at the object, whether it changes when the model is destroyed). Implementations are stateless and
 * thread-safe, have a public no-argument constructor, and are registered in
 * {@code META-INF/services/io.xai4j.metric.Metric}.
 */
public interface Metric {
    MetricDescriptor descriptor();

    /**
     * Scores the explanation of every example of the request.
     *
     * @throws io.xai4j.error.XaiException with a user-facing message on bad parameters, or when the request lacks
     *                                     what the metric needs (a ground truth, an explanation function)
     */
    MetricResult evaluate(MetricContext context, MetricRequest request);
}
