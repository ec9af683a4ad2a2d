package io.xai4j.methods.cam;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.cam.ActivationCam;
import io.xai4j.family.cam.CamJob;
import io.xai4j.family.cam.Maps;
import io.xai4j.layer.GraphView;
import io.xai4j.layer.LayerLayout;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.Model;
import io.xai4j.spi.ValueKind;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Score-CAM (Wang et al. 2020): each channel's map, upsampled bilinearly (half-pixel centres, as PyTorch's
 * {@code align_corners=False}) to the input's height and width and scaled to [0,1] by its minimum and maximum
 * ({@code (m - min) / (max - min)}; a constant map gives an all-zero mask), masks the input (every input channel); the masked inputs run through
 * the whole model in batches, and channel {@code k}'s weight is the target's score on its masked input:
 * the softmax of the target output row (over its last axis) at the target, or the output itself when it is
 * already a probability: produced by a Softmax node, or with values in [0,1] whose last-axis slices sum to 1
 * (within 1e-3) on the first masked input. The details say which ({@code softmaxApplied}). The map is {@code ReLU(sum_k score_k A_k)}. Needs no gradients; costs one model
 * evaluation per channel and example. The input must be an image batch {@code [N,C,H,W]}. Its maps sit on a
 * large common floor (every channel's weight is a probability), so they are drawn as scores, from minimum to
 * maximum ({@link ValueKind#SCORE}), as pytorch-grad-cam scales every CAM.
 */
public final class ScoreCam extends ActivationCam {
    private static final MethodDescriptor DESCRIPTOR = descriptor("score-cam",
            "Score-CAM: channels weighted by the target's softmax score on the input masked by each channel",
            layerOnly(), List.of()).withValues(ValueKind.SCORE);

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected boolean needsPositions() {
        return true;
    }

    @Override
    protected void prepare(CamJob job, Tensor layerActivations, LayerLayout layout) {
        Tensor input = job.request().input();
        if (input.rank() != 4) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "score-cam masks an image input [N,C,H,W], but input '"
                    + job.request().inputName() + "' has shape " + Arrays.toString(input.shape())
                    + "; use grad-cam or eigen-cam for other inputs");
        }
        job.details().put("modelEvaluations", (long) job.examples() * layout.channels());
    }

    @Override
    protected void map(CamJob job, int example, Tensor activations, Tensor out) {
        Tensor input = job.request().input();
        int inChannels = input.dim(1);
        int height = input.dim(2);
        int width = input.dim(3);
        int channels = activations.dim(0);
        int cells = activations.size() / channels;
        Bilinear resize = new Bilinear(activations.dim(1), activations.dim(2), height, width);
        float[] mask = new float[height * width];
        Model model = job.context().model();
        String output = job.target().output();
        boolean[] probabilities = {producedBySoftmax(model, output)};
        boolean[] decided = {probabilities[0]};
        double[] scores = new double[channels];
        ForwardRows.run(model, job.context().batcher(), "score-cam", ForwardRows.example(job.request().inputs(), example),
                job.request().inputName(), channels, output, (k, row) -> {
                    resize.resize(activations.array(), activations.offset() + k * cells, mask);
                    float[] scaled = Maps.minMax(mask);
                    float[] x = row.array();
                    for (int c = 0; c < inChannels; c++) {
                        int base = row.offset() + c * scaled.length;
                        for (int p = 0; p < scaled.length; p++) {
                            x[base + p] *= scaled[p];
                        }
                    }
                }, (start, rows) -> {
                    if (!decided[0]) {
                        probabilities[0] = looksLikeProbabilities(rows.row(0));
                        decided[0] = true;
                    }
                    for (int r = 0; r < rows.dim(0); r++) {
                        Tensor row = probabilities[0] ? rows.row(r) : softmaxLastAxis(rows.row(r));
                        scores[start + r] = job.target().score(row, example);
                    }
                });
        job.details().put("softmaxApplied", !probabilities[0]);
        Maps.weightedSum(activations, scores, true, out);
    }

    private static boolean producedBySoftmax(Model model, String output) {
        return model.graph().flatMap((GraphView g) -> g.producer(output))
                .map(n -> n.opType().equals("Softmax")).orElse(false);
    }

    /** Values in [0,1] whose last-axis slices sum to 1 (within 1e-3). */
    static boolean looksLikeProbabilities(Tensor row) {
        int last = row.dim(-1);
        for (int start = 0; start < row.size(); start += last) {
            double sum = 0;
            for (int i = start; i < start + last; i++) {
                float v = row.get(i);
                if (v < 0 || v > 1) {
                    return false;
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > 1e-3) {
                return false;
            }
        }
        return true;
    }

    static Tensor softmaxLastAxis(Tensor row) {
        int last = row.dim(-1);
        float[] out = new float[row.size()];
        for (int start = 0; start < out.length; start += last) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = start; i < start + last; i++) {
                max = Math.max(max, row.get(i));
            }
            double sum = 0;
            for (int i = start; i < start + last; i++) {
                sum += Math.exp(row.get(i) - max);
            }
            for (int i = start; i < start + last; i++) {
                out[i] = (float) (Math.exp(row.get(i) - max) / sum);
            }
        }
        return Tensor.of(out, row.shape());
    }
}
