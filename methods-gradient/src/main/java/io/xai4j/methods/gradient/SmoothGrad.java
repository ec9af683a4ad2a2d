package io.xai4j.methods.gradient;

import io.xai4j.family.gradient.NoiseTunnel;

/**
 * SmoothGrad: the mean of the base method's attributions over noisy copies of the input.
 * See {@link NoiseTunnel} for the parameters.
 */
public final class SmoothGrad extends NoiseTunnel {
    public SmoothGrad() {
        super("smoothgrad", "1.0",
                "SmoothGrad: the mean of the base method's attributions over noisy copies of the input",
                Aggregate.MEAN);
    }
}
