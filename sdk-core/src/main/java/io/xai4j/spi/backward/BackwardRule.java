package io.xai4j.spi.backward;

import java.util.List;

/**
 * The backward (vector-Jacobian product) rule of one ONNX op type.
 *
 * <p>A rule reads the forward node and the gradients of its outputs from the {@link BackwardContext}, emits the
 * nodes that compute the gradients of its inputs through the same context, and returns one entry per forward
 * input: the name of the tensor holding that input's gradient (shaped like the input), or {@code null} when the
 * input has no gradient or its gradient is not needed ({@link BackwardContext#needsGradient(int)}). A shorter list
 * means {@code null} for the remaining inputs. Rules must emit only standard ONNX ops valid at opset 18 and later;
 * the forward node is given in its opset-18 form.
 */
@FunctionalInterface
public interface BackwardRule {
    List<String> backward(BackwardContext ctx);
}
