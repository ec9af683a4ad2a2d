package io.xai4j.methods.gradient;

/**
 * SmoothGrad squared: the mean of the squared base attributions over noisy copies of the input.
 * See {@link NoiseTunnel} for the parameters.
 */
public final class SmoothGradSquared extends NoiseTunnel {
    public SmoothGradSquared() {
        super("smoothgrad-sq",
                "SmoothGrad squared: the mean of the squared base attributions over noisy copies of the input",
                Aggregate.MEAN_OF_SQUARES);
    }
}
