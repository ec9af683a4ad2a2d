package io.xai4j.spi;

/**
 * An attribution method. Implementations are stateless and thread-safe, have a public no-argument
 * constructor, and are registered in {@code META-INF/services/io.xai4j.spi.AttributionMethod}.
 */
public interface AttributionMethod {
    MethodDescriptor descriptor();

    /**
     * Computes attributions for every example of the request.
     *
     * @throws io.xai4j.error.XaiException with a user-facing message on bad parameters or unsupported models
     */
    Attribution attribute(AttributionContext context, AttributionRequest request);
}
