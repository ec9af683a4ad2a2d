package io.xai4j.spi;

/** What a method needs from the model and the request. */
public enum Requirement {
    /** A gradient engine ({@link ModelCapability#GRADIENTS}). */
    GRADIENTS,
    /** A layer (an intermediate tensor) to attribute to. */
    LAYER,
    /** A baseline input. */
    BASELINE,
    /**
     * A request of several examples: the attribution of one example depends on the others (as Captum's
     * {@code FeaturePermutation}), and a request of one example is a usage error.
     */
    BATCH
}
