package io.xai4j.methods.cam;

import io.xai4j.family.cam.CamJob;
import io.xai4j.family.cam.GradientCam;
import io.xai4j.family.cam.Maps;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.tensor.Tensor;
import java.util.List;

/** HiResCAM (Draelos and Carin 2020): {@code ReLU(sum_c g_c * A_c)}, cell by cell, without averaging the gradients. */
public final class HiResCam extends GradientCam {
    private static final MethodDescriptor DESCRIPTOR = descriptor("hires-cam",
            "HiResCAM: element-wise product of gradients and activations, summed over channels",
            gradientsAndLayer(), List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected void map(CamJob job, int example, Tensor activations, Tensor gradients, Tensor out) {
        Maps.write(Maps.cellSums(activations, gradients, (a, g) -> a * g), true, out);
    }
}
