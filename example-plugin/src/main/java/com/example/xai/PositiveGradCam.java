package com.example.xai;

import io.xai4j.family.cam.ChannelWeightedCam;
import io.xai4j.family.cam.Maps;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.tensor.Tensor;
import java.util.List;

/** Grad-CAM whose channel weights are the spatial mean of the positive gradients only. */
public final class PositiveGradCam extends ChannelWeightedCam {
    private static final MethodDescriptor DESCRIPTOR = descriptor("positive-grad-cam",
            "Grad-CAM over the positive gradients only", gradientsAndLayer(), List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected double[] channelWeights(Tensor activations, Tensor gradients) {
        double cells = activations.size() / (double) activations.dim(0);
        return Maps.channelSums(activations, gradients, (a, g) -> Math.max(g, 0) / cells);
    }
}
