package io.xai4j.methods.gradient;

/** Deconvolution (deconvnet): the gradient under the {@link DeconvnetRules}. */
public final class Deconvnet extends RuleSetGradient {
    public Deconvnet() {
        super("deconvnet", "Deconvolution: gradients through rectifiers keep only positive values",
                DeconvnetRules.NAME);
    }
}
