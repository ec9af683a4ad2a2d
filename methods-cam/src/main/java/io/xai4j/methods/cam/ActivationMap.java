package io.xai4j.methods.cam;

import io.xai4j.family.cam.ActivationCam;
import io.xai4j.family.cam.CamJob;
import io.xai4j.family.cam.Maps;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/** The channel mean of a layer's activations: where the layer responds, whatever the class (no gradient). */
public final class ActivationMap extends ActivationCam {
    private static final MethodDescriptor DESCRIPTOR = descriptor("activation-map",
            "Channel mean of a layer's activations (not class-specific; no gradients)", layerOnly(), List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected void map(CamJob job, int example, Tensor activations, Tensor out) {
        double[] w = new double[activations.dim(0)];
        Arrays.fill(w, 1.0 / w.length);
        Maps.weightedSum(activations, w, false, out);
    }
}
