package io.xai4j.methods.gradient;

import io.xai4j.family.gradient.NoiseTunnel;

/**
 * SmoothGrad squared: the mean of the squared base attributions over noisy copies of the input.
 * See {@link NoiseTunnel} for the parameters.
 */
public final class SmoothGradSquared extends NoiseTunnel {
    public SmoothGradSquared() {
        super("smoothgrad-sq", "1.0",
                "SmoothGrad squared: the mean of the squared base attributions over noisy copies of the input",
                Aggregate.MEAN_OF_SQUARES);
    }
}
