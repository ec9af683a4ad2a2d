package io.xai4j.methods.cam;

import io.xai4j.family.cam.ChannelWeightedCam;
import io.xai4j.family.cam.Maps;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.tensor.Tensor;
import java.util.List;

/**
 * Grad-CAM++ (Chattopadhyay et al. 2018), as pytorch-grad-cam computes it:
 * {@code alpha = g^2 / (2 g^2 + sum_cells(A) g^3 + 1e-6)} (0 where {@code g = 0}) and
 * {@code w_c = sum_cells(ReLU(g) alpha)}.
 */
public final class GradCamPlusPlus extends ChannelWeightedCam {
    private static final double EPS = 1e-6;
    private static final MethodDescriptor DESCRIPTOR = descriptor("grad-cam-plus-plus",
            "Grad-CAM++: channel weights from positive gradients with second- and third-order terms",
            gradientsAndLayer(), List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected double[] channelWeights(Tensor activations, Tensor gradients) {
        double[] sumA = Maps.channelSums(activations, gradients, (a, g) -> a);
        int channels = activations.dim(0);
        int cells = activations.size() / channels;
        double[] w = new double[channels];
        for (int c = 0; c < channels; c++) {
            double s = 0;
            for (int p = 0; p < cells; p++) {
                double g = gradients.get(c * cells + p);
                if (g != 0) {
                    double g2 = g * g;
                    double alpha = g2 / (2 * g2 + sumA[c] * g2 * g + EPS);
                    s += Math.max(g, 0) * alpha;
                }
            }
            w[c] = s;
        }
        return w;
    }
}
