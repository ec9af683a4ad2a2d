package io.xai4j.methods.cam;

import io.xai4j.family.cam.ChannelWeightedCam;
import io.xai4j.family.cam.Maps;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.tensor.Tensor;
import java.util.List;

/**
 * XGrad-CAM (Fu et al. 2020), as pytorch-grad-cam: {@code w_c = sum_cells(g A) / (sum_cells(A) + 1e-7)}.
 */
public final class XGradCam extends ChannelWeightedCam {
    private static final double EPS = 1e-7;
    private static final MethodDescriptor DESCRIPTOR = descriptor("xgrad-cam",
            "XGrad-CAM: gradients weighted by the normalised activations", gradientsAndLayer(), List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected double[] channelWeights(Tensor activations, Tensor gradients) {
        double[] sumA = Maps.channelSums(activations, gradients, (a, g) -> a);
        double[] sumGA = Maps.channelSums(activations, gradients, (a, g) -> a * g);
        double[] w = new double[sumA.length];
        for (int c = 0; c < w.length; c++) {
            w[c] = sumGA[c] / (sumA[c] + EPS);
        }
        return w;
    }
}
