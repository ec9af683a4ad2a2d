package io.xai4j.methods.gradient;

/** Guided backpropagation: the gradient under the {@link GuidedBackpropRules}. */
public final class GuidedBackprop extends RuleSetGradient {
    public GuidedBackprop() {
        super("guided-backprop", "Guided backpropagation: gradients through rectifiers keep only positive values "
                + "where the forward input is positive", GuidedBackpropRules.NAME);
    }
}
