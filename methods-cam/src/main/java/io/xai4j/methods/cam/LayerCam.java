package io.xai4j.methods.cam;

import io.xai4j.family.cam.CamJob;
import io.xai4j.family.cam.GradientCam;
import io.xai4j.family.cam.Maps;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.tensor.Tensor;
import java.util.List;

/** LayerCAM (Jiang et al. 2021): {@code ReLU(sum_c ReLU(g_c) * A_c)}, cell by cell. */
public final class LayerCam extends GradientCam {
    private static final MethodDescriptor DESCRIPTOR = descriptor("layer-cam",
            "LayerCAM: activations weighted cell by cell by their positive gradients", gradientsAndLayer(),
            List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected void map(CamJob job, int example, Tensor activations, Tensor gradients, Tensor out) {
        Maps.write(Maps.cellSums(activations, gradients, (a, g) -> Math.max(g, 0) * a), true, out);
    }
}
