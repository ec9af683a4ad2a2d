package io.xai4j.family.cam;

import io.xai4j.gradient.GradientBatch;
import io.xai4j.gradient.GradientQuery;
import io.xai4j.gradient.GradientRunner;
import io.xai4j.layer.LayerLayout;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;

/**
 * Gradient CAMs (as pytorch-grad-cam's {@code BaseCAM}): one batched engine run gives the layer's activations
 * {@code A} and the gradients {@code G = d score / d A} (the logits are differentiated when the output ends
 * in Softmax, unless {@code through-softmax} is true), from which a subclass makes each example's map. The details
 * say what was differentiated ({@code differentiated}).
 */
public abstract class GradientCam extends CamMethod {

    /** One example's map {@code [H,W]} from its activations and gradients {@code [C,H,W]}. */
    protected abstract void map(CamJob job, int example, Tensor activations, Tensor gradients, Tensor out);

    @Override
    protected final Tensor maps(CamJob job) {
        GradientRunner runner = GradientRunner.create(job.context(), job.method(), job.target());
        int[] rows = new int[job.examples()];
        Arrays.setAll(rows, i -> i);
        GradientQuery query = GradientQuery.wrt(job.layer()).throughSoftmax(GradientQuery.throughSoftmax(
                job.parameters()));
        if (!job.layerIsModelInput()) {
            query = query.withActivations(job.layer());
        }
        job.details().put("differentiated", runner.differentiated(query));
        GradientBatch batch = runner.run(job.method(), job.request().inputs(), rows, query);
        job.keepOutputs(0, batch.output());
        Tensor activations = job.layerIsModelInput() ? job.activations() : batch.activation(job.layer());
        LayerLayout layout = job.layout(activations);
        Tensor a = layout.toGrid(activations);
        Tensor g = layout.toGrid(batch.gradient(job.layer()));
        Tensor maps = Tensor.zeros(job.examples(), 1, layout.height(), layout.width());
        for (int n = 0; n < job.examples(); n++) {
            map(job, n, a.row(n), g.row(n), Maps.mapOf(maps, n));
        }
        job.details().put("engineCalls", runner.engineCalls());
        return maps;
    }
}
