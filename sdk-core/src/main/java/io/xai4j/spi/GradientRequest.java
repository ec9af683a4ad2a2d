package io.xai4j.spi;

import io.xai4j.tensor.Tensor;
import java.util.Map;
import java.util.Set;

/**
 * One vector-Jacobian product request.
 *
 * @param inputs      model inputs, batch first; an intermediate tensor among them replaces what the model
 *                    computes for it (it can then be in {@code wrt}, as in Captum's layer methods)
 * @param output      the output to differentiate (the model output name; an engine seeds the logits
 *                    before a trailing Softmax unless {@code differentiateThroughSoftmax} is set)
 * @param seed        the cotangent of {@code output}, shaped like it (one-hot for a class target)
 * @param wrt         tensors to differentiate with respect to: input names or intermediate tensor names
 * @param activations intermediate tensors whose forward values should be returned too
 * @param ruleSet     the backward rule set, {@code exact} for the true gradient
 * @param differentiateThroughSoftmax seed the named output itself even if it ends in Softmax
 */
public record GradientRequest(Map<String, Tensor> inputs, String output, Tensor seed, Set<String> wrt,
        Set<String> activations, String ruleSet, boolean differentiateThroughSoftmax) {
    public static final String EXACT = "exact";

    public GradientRequest {
        inputs = Map.copyOf(inputs);
        wrt = Set.copyOf(wrt);
        activations = Set.copyOf(activations);
    }
}
