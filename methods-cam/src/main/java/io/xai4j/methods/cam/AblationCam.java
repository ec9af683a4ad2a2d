package io.xai4j.methods.cam;

import io.xai4j.family.cam.CamJob;
import io.xai4j.family.cam.CamMethod;
import io.xai4j.family.cam.Maps;
import io.xai4j.layer.LayerLayout;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.Model;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Ablation-CAM (Desai and Ramaswamy 2020), as pytorch-grad-cam: channel {@code k} of the layer is set to zero
 * (in every token for token layers) and only the part of the model after the layer ({@link Model#tail}; the whole
 * model for a model input) runs again, all channels of an example batched together; {@code w_k = (score - score_k) / score} with the
 * target's raw output score, and the map is {@code ReLU(sum_k w_k A_k)}. When the unablated score is 0 the
 * differences are used unscaled ({@code unscaledExamples} in the details). Needs no gradients; costs one
 * tail evaluation per channel (plus one) and example.
 */
public final class AblationCam extends CamMethod {
    private static final MethodDescriptor DESCRIPTOR = descriptor("ablation-cam",
            "Ablation-CAM: channels weighted by the score drop when each is zeroed (forward only)", layerOnly(),
            List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Tensor maps(CamJob job) {
        Tensor raw = job.activations();
        LayerLayout layout = job.layout(raw);
        Tensor grid = layout.toGrid(raw);
        int channels = layout.channels();
        Tensor maps = Tensor.zeros(job.examples(), 1, layout.height(), layout.width());
        int unscaled = 0;
        boolean input = job.layerIsModelInput();
        try (Model tail = input ? null : job.context().model().tail(job.layer())) {
            Model scorer = input ? job.context().model() : tail;
            for (int n = 0; n < job.examples(); n++) {
                int example = n;
                double[] scores = new double[channels + 1];
                ForwardRows.run(scorer, job.context().batcher(), "ablation-cam", input
                        ? ForwardRows.example(job.request().inputs(), n) : Map.of(job.layer(), raw.rows(n, n + 1)),
                        job.layer(), channels + 1, job.target().output(),
                        (index, row) -> {
                            if (index > 0) {
                                layout.zeroChannel(row, index - 1);
                            }
                        }, (start, rows) -> {
                            for (int r = 0; r < rows.dim(0); r++) {
                                scores[start + r] = job.target().score(rows.row(r), example);
                            }
                        });
                double score = scores[0];
                double[] w = new double[channels];
                for (int k = 0; k < channels; k++) {
                    w[k] = score == 0 ? score - scores[k + 1] : (score - scores[k + 1]) / score;
                }
                unscaled += score == 0 ? 1 : 0;
                Maps.weightedSum(grid.row(n), w, true, Maps.mapOf(maps, n));
            }
        }
        job.details().put("tailEvaluations", (long) job.examples() * (channels + 1));
        if (unscaled > 0) {
            job.details().put("unscaledExamples", unscaled);
        }
        return maps;
    }
}
