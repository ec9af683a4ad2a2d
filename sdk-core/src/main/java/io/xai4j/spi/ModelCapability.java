package io.xai4j.spi;

/** What a {@link Model} can do beyond a forward pass. */
public enum ModelCapability {
    /** {@link Model#forward} accepts any batch size in one call. */
    DYNAMIC_BATCH,
    /** Intermediate tensors can be requested as outputs ({@link Model#layers()}). */
    INTERMEDIATES,
    /** {@link Model#gradients()} returns an engine. */
    GRADIENTS
}
