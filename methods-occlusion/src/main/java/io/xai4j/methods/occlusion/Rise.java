package io.xai4j.methods.occlusion;

import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.perturbation.PerturbationMethod;
import io.xai4j.family.perturbation.Regions;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.spi.ValueKind;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RISE (Petsiuk, Das and Saenko 2018): scores the example under {@code masks} random smooth masks
 * ({@link RiseMasks}) and sums the masks weighted by their scores: {@code saliency = sum_i score_i * mask_i /
 * (masks * p)}. A masked input is {@code x * mask + baseline * (1 - mask)}. Masks cover the two spatial axes
 * (the last two, or the first two of a channels-last [H,W,C] example) and repeat over the other axes, which
 * share the saliency. Masks come from the context seed: the same seed gives the same result, and every
 * example of a request sees the same masks. The saliency is an expected score ({@link ValueKind#SCORE}): only its
 * ordering matters, so it is drawn from its minimum to its maximum.
 */
public final class Rise extends PerturbationMethod {
    private static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("rise", MethodFamily.PERTURBATION, "1.0",
            "Scores the input under random smooth masks; saliency is the score-weighted average mask",
            Set.of(Requirement.BASELINE), List.of(
                    ParameterSpec.integer("masks", 500, 1, 100_000, "number of random masks (model evaluations)"),
                    ParameterSpec.real("p", 0.5, 0.001, 1.0, "probability that a grid cell is kept"),
                    ParameterSpec.integer("cell", 7, 1, 64, "grid resolution: masks start as a cell x cell grid"),
                    baselineParameter())).withValues(ValueKind.SCORE);

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Plan plan(AttributionContext context, Parameters parameters, int[] shape) {
        if (shape.length < 2) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "method 'rise' needs examples with two spatial axes, "
                    + "e.g. [C,H,W], [H,W] or [H,W,C]; got example shape " + Arrays.toString(shape)
                    + "; use occlusion or feature-ablation for 1-D inputs");
        }
        int[] spatial = Regions.spatialAxes(shape);
        int height = shape[spatial[0]];
        int width = shape[spatial[1]];
        int masks = parameters.getInt("masks");
        double p = parameters.getDouble("p");
        int cell = parameters.getInt("cell");
        RiseMasks generated = RiseMasks.random(masks, cell, p, height, width, context.random());
        return new Saliency(generated, p, pixelOf(shape, spatial), height * width,
                PerturbationMethod.details("masks", masks, "p", p, "cell", cell, "seed", context.seed()));
    }

    /** For each element of the example, its spatial position {@code y * W + x}. */
    private static int[] pixelOf(int[] shape, int[] spatial) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            strides[axis] = stride;
            stride *= shape[axis];
        }
        int height = shape[spatial[0]];
        int width = shape[spatial[1]];
        int[] pixel = new int[stride];
        for (int e = 0; e < pixel.length; e++) {
            int y = e / strides[spatial[0]] % height;
            int x = e / strides[spatial[1]] % width;
            pixel[e] = y * width + x;
        }
        return pixel;
    }

    private record Saliency(RiseMasks masks, double p, int[] pixelOf, int pixels, Map<String, Object> details)
            implements Plan {

        @Override
        public void explain(PerturbationEvaluator evaluator, Tensor example, Tensor baseline, Tensor attribution) {
            float[] mask = new float[pixels];
            float[] scores = evaluator.evaluate("rise", masks.count(), (i, row) -> {
                masks.render(i, mask);
                for (int e = 0; e < pixelOf.length; e++) {
                    float m = mask[pixelOf[e]];
                    row.set(e, example.get(e) * m + baseline.get(e) * (1 - m));
                }
            });
            double[] saliency = new double[pixels];
            for (int i = 0; i < scores.length; i++) {
                masks.render(i, mask);
                for (int q = 0; q < pixels; q++) {
                    saliency[q] += (double) scores[i] * mask[q];
                }
            }
            double norm = masks.count() * p;
            for (int e = 0; e < pixelOf.length; e++) {
                attribution.set(e, (float) (saliency[pixelOf[e]] / norm));
            }
        }
    }
}
