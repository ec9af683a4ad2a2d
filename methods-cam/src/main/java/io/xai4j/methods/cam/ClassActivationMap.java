package io.xai4j.methods.cam;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.cam.CamJob;
import io.xai4j.family.cam.CamMethod;
import io.xai4j.family.cam.ClassifierHead;
import io.xai4j.family.cam.Maps;
import io.xai4j.layer.GraphView;
import io.xai4j.layer.LayerLayout;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * The original CAM (Zhou et al. 2016), for models whose layer feeds global average pooling and then a linear
 * layer ({@link ClassifierHead}). The class weights are read from the graph's constants:
 * {@code map = ReLU(sum_c W[target, c] A_c)}, so that the mean of the map before the ReLU is the target logit
 * minus its bias. Other models fail with a message naming what was found; grad-cam works for them.
 */
public final class ClassActivationMap extends CamMethod {
    private static final MethodDescriptor DESCRIPTOR = descriptor("cam",
            "CAM: activations weighted by the classifier weights after global average pooling (no gradients)",
            layerOnly(), List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected boolean needsPositions() {
        return true;
    }

    @Override
    protected Tensor maps(CamJob job) {
        GraphView graph = job.context().model().graph().orElseThrow(() -> new XaiException(ErrorCode.MISSING_CAPABILITY,
                "cam reads the classifier weights from the model graph, which this model's backend does not expose;"
                        + " use grad-cam, which needs only gradients"));
        Tensor raw = job.activations();
        LayerLayout layout = job.layout(raw);
        if (layout.tokens()) {
            throw ClassifierHead.unsupported("layer '" + job.layer() + "' is a token layer "
                    + Arrays.toString(raw.shape()) + ", not a convolutional one followed by global average pooling");
        }
        float[][] weights = ClassifierHead.weights(graph, job.layer(), layout.channelsLast(), layout.channels(),
                job.target().output());
        Tensor grid = layout.toGrid(raw);
        Tensor maps = Tensor.zeros(job.examples(), 1, layout.height(), layout.width());
        for (int n = 0; n < job.examples(); n++) {
            double[] w = new double[layout.channels()];
            for (int k : job.target().indices().get(n)) {
                if (k >= weights.length) {
                    throw new XaiException(ErrorCode.UNKNOWN_TARGET, "target index " + k + " is outside the "
                            + weights.length + " classes of the linear layer");
                }
                for (int c = 0; c < w.length; c++) {
                    w[c] += weights[k][c];
                }
            }
            Maps.weightedSum(grid.row(n), w, true, Maps.mapOf(maps, n));
        }
        return maps;
    }
}
