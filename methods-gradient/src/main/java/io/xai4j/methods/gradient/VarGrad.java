package io.xai4j.methods.gradient;

import io.xai4j.family.gradient.NoiseTunnel;

/**
 * VarGrad: the variance of the base method's attributions over noisy copies of the input.
 * See {@link NoiseTunnel} for the parameters.
 */
public final class VarGrad extends NoiseTunnel {
    public VarGrad() {
        super("vargrad", "1.0",
                "VarGrad: the variance of the base method's attributions over noisy copies of the input",
                Aggregate.VARIANCE);
    }
}
