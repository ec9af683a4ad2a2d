package io.xai4j.family.cam;

import io.xai4j.tensor.Tensor;

/**
 * Gradient CAMs whose map is {@code ReLU(sum_c w_c A_c)}: a subclass supplies only the channel weights
 * {@code w} (pytorch-grad-cam's {@code get_cam_weights}).
 */
public abstract class ChannelWeightedCam extends GradientCam {

    /** The weight of each channel of one example, from its activations and gradients {@code [C,H,W]}. */
    protected abstract double[] channelWeights(Tensor activations, Tensor gradients);

    /** Adjusts one example's weights after {@link #channelWeights} (grad-cam's channel filters). */
    protected double[] adjust(CamJob job, int example, double[] weights) {
        return weights;
    }

    /** Whether negative map values are set to zero. */
    protected boolean relu(CamJob job) {
        return true;
    }

    @Override
    protected final void map(CamJob job, int example, Tensor activations, Tensor gradients, Tensor out) {
        double[] w = adjust(job, example, channelWeights(activations, gradients));
        Maps.weightedSum(activations, w, relu(job), out);
    }
}
