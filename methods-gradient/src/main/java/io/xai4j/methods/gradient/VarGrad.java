package io.xai4j.methods.gradient;

/**
 * VarGrad: the variance of the base method's attributions over noisy copies of the input.
 * See {@link NoiseTunnel} for the parameters.
 */
public final class VarGrad extends NoiseTunnel {
    public VarGrad() {
        super("vargrad",
                "VarGrad: the variance of the base method's attributions over noisy copies of the input",
                Aggregate.VARIANCE);
    }
}
