package io.xai4j.gradient;

import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import java.util.Set;

/**
 * What to ask the gradient engine for, besides the inputs and the seed.
 *
 * @param wrt                         tensors to differentiate with respect to (inputs or intermediate tensors)
 * @param activations                 intermediate tensors whose forward values to return
 * @param ruleSet                     the backward rule set, or null for the context's ({@code --rules}, by default
 *                                    {@link GradientRequest#EXACT}, the true gradients)
 * @param differentiateThroughSoftmax seed the named output even when it ends in Softmax (by default engines
 *                                    seed the logits before it)
 */
public record GradientQuery(Set<String> wrt, Set<String> activations, String ruleSet,
        boolean differentiateThroughSoftmax) {
    /**
     * The parameter every gradient-based method family declares ({@link #throughSoftmaxParameter()}): true
     * differentiates the output itself even when it ends in Softmax, as Captum does with what the model returns.
     */
    public static final String THROUGH_SOFTMAX = "through-softmax";
    public GradientQuery {
        wrt = Set.copyOf(wrt);
        activations = Set.copyOf(activations);
        if (wrt.isEmpty() && activations.isEmpty()) {
            throw new IllegalArgumentException("a gradient query needs at least one wrt or activation tensor");
        }
    }

    /**
     * Gradients with respect to the given tensors under the context's rule set, seeding the logits before a
     * trailing Softmax.
     */
    public static GradientQuery wrt(String... tensors) {
        return new GradientQuery(Set.of(tensors), Set.of(), null, false);
    }

    /** The shared {@value #THROUGH_SOFTMAX} parameter, false by default. */
    public static ParameterSpec throughSoftmaxParameter() {
        return ParameterSpec.bool(THROUGH_SOFTMAX, false, "differentiate the output itself even if it ends in Softmax"
                + " or LogSoftmax, as Captum does (default: the logits before it)");
    }

    /** The {@value #THROUGH_SOFTMAX} value of a method's parameters; false when the method does not declare it. */
    public static boolean throughSoftmax(Parameters parameters) {
        return parameters.has(THROUGH_SOFTMAX) && parameters.getBoolean(THROUGH_SOFTMAX);
    }

    /** This query with the given backward rule set instead of the context's. */
    public GradientQuery withRuleSet(String name) {
        return new GradientQuery(wrt, activations, name, differentiateThroughSoftmax);
    }

    public GradientQuery withActivations(String... tensors) {
        return new GradientQuery(wrt, Set.of(tensors), ruleSet, differentiateThroughSoftmax);
    }

    public GradientQuery throughSoftmax(boolean through) {
        return new GradientQuery(wrt, activations, ruleSet, through);
    }
}
