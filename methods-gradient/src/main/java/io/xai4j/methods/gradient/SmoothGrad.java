package io.xai4j.methods.gradient;

/**
 * SmoothGrad: the mean of the base method's attributions over noisy copies of the input.
 * See {@link NoiseTunnel} for the parameters.
 */
public final class SmoothGrad extends NoiseTunnel {
    public SmoothGrad() {
        super("smoothgrad",
                "SmoothGrad: the mean of the base method's attributions over noisy copies of the input",
                Aggregate.MEAN);
    }
}
