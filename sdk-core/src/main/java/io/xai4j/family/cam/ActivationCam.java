package io.xai4j.family.cam;

import io.xai4j.layer.LayerLayout;
import io.xai4j.tensor.Tensor;

/** Forward-only CAMs: one batched forward pass gives the layer's activations, from which a subclass makes each map. */
public abstract class ActivationCam extends CamMethod {

    /** One example's map {@code [H,W]} from its grid activations {@code [C,H,W]}. */
    protected abstract void map(CamJob job, int example, Tensor activations, Tensor out);

    /** Called once before the maps, with all activations in the layer's own layout. */
    protected void prepare(CamJob job, Tensor layerActivations, LayerLayout layout) {
    }

    @Override
    protected final Tensor maps(CamJob job) {
        Tensor raw = job.activations();
        LayerLayout layout = job.layout(raw);
        prepare(job, raw, layout);
        Tensor a = layout.toGrid(raw);
        Tensor maps = Tensor.zeros(job.examples(), 1, layout.height(), layout.width());
        for (int n = 0; n < job.examples(); n++) {
            map(job, n, a.row(n), Maps.mapOf(maps, n));
        }
        return maps;
    }
}
