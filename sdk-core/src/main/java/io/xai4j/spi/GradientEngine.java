package io.xai4j.spi;

/**
 * Reverse-mode differentiation of a model: one call returns the forward outputs, the requested
 * activations, and the vector-Jacobian products {@code seed^T * d output / d tensor} for each requested
 * tensor (model inputs or named intermediate tensors).
 */
public interface GradientEngine {
    GradientResult vjp(GradientRequest request);

    /**
     * The memory one batch row of {@code request} takes inside the engine beyond its inputs and outputs (the
     * activations kept for the backward pass), in bytes; 0 when unknown. Batchers use it to bound the memory
     * of a call.
     */
    default long bytesPerRow(GradientRequest request) {
        return 0;
    }
}
