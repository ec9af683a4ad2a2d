package io.xai4j.spi;

/**
 * Reverse-mode differentiation of a model: one call returns the forward outputs, the requested
 * activations, and the vector-Jacobian products {@code seed^T * d output / d tensor} for each requested
 * tensor (model inputs or named intermediate tensors).
 */
public interface GradientEngine {
    GradientResult vjp(GradientRequest request);
}
