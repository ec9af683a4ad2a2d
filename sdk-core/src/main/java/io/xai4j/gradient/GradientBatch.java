package io.xai4j.gradient;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import java.util.Map;
import java.util.TreeSet;

/**
 * The engine's answer for a run of rows {@code [start, start + size())}: gradients and activations by tensor
 * name (batch first), the requested output, and per row the target score of the seeded tensor.
 *
 * @param start       the index of the first row within the whole run
 * @param exampleOf   per row, the example it belongs to (not copied; do not modify)
 * @param gradients   gradient per wrt tensor, shaped like that tensor for this batch
 * @param activations forward value per requested activation
 * @param output      the forward value of the target's output
 * @param scores      per row, the target score (sum of the target's elements) of the tensor that was seeded:
 *                    the output itself, or the logits when the engine seeded the logits before a Softmax
 *                    and returned them as {@link io.xai4j.spi.GradientResult#SEEDED_OUTPUT}. The gradients
 *                    are exactly the gradients of these scores.
 */
public record GradientBatch(int start, int[] exampleOf, Map<String, Tensor> gradients, Map<String, Tensor> activations,
        Tensor output, float[] scores) {
    public GradientBatch {
        gradients = Map.copyOf(gradients);
        activations = Map.copyOf(activations);
    }

    /** The number of rows. */
    public int size() {
        return exampleOf.length;
    }

    /** The gradient with respect to {@code tensor}. */
    public Tensor gradient(String tensor) {
        return find(gradients, tensor, "gradient");
    }

    /** The forward value of {@code tensor}. */
    public Tensor activation(String tensor) {
        return find(activations, tensor, "activation");
    }

    private static Tensor find(Map<String, Tensor> tensors, String name, String kind) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "the gradient engine returned no " + kind + " for '"
                    + name + "'; it returned " + new TreeSet<>(tensors.keySet()));
        }
        return t;
    }
}
