package io.xai4j.methods.occlusion;

import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.family.perturbation.GroupParameters;
import io.xai4j.family.perturbation.PerturbationMethod;
import io.xai4j.family.perturbation.WindowGrid;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.ParameterType;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Occlusion (Zeiler and Fergus 2014, as in Captum's {@code Occlusion}): a window slides over the example and
 * each position is replaced by the baseline; the window's attribution is {@code score(example) -
 * score(occluded)}, and each element gets the average over the windows that cover it.
 *
 * <p>{@code window} and {@code stride} list sizes per axis of one example. Fewer numbers than axes apply to
 * the last axes, and the leading axes are covered whole, so {@code window=8,8} on a [3,64,64] example
 * occludes all channels at once. A window larger than its axis is clamped to the axis. Window starts are
 * 0, stride, 2*stride, ... until a window reaches the end of the axis; with {@code border=truncate} (the default,
 * Captum's convention) that last window is cut at the end of the axis, with {@code border=shift} it is moved back
 * to end there (so every window has the full size). Without {@code window}, windows are about 1/8 of each
 * spatial axis (single elements for 1-D examples); without {@code stride}, it is half the window.
 *
 * <p>Instead of sliding windows, occlusion takes the feature groups of feature ablation ({@link GroupParameters}:
 * {@code mask}, {@code grid}, {@code superpixels}, and time windows as {@code time-window}); each group is occluded
 * once and covers its elements alone, so the result is feature ablation's.
 */
public final class Occlusion extends PerturbationMethod {
    static final String BORDER = WindowGrid.BORDER;
    static final String TRUNCATE = WindowGrid.TRUNCATE;
    static final String SHIFT = WindowGrid.SHIFT;
    private static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("occlusion", MethodFamily.PERTURBATION,
            "1.0", "Slides a baseline-filled window over the input (or fills each feature group in turn); attribution "
                    + "is the score drop, averaged over the windows covering each element",
            Set.of(Requirement.BASELINE), Stream.of(Stream.of(
                    new ParameterSpec("window", ParameterType.INT_LIST, null, "window size per axis of one example, "
                            + "for the last axes (e.g. 3,32,32 or 8,8); default about 1/8 of each spatial axis",
                            null, 1.0, null),
                    new ParameterSpec("stride", ParameterType.INT_LIST, null, "step per axis, for the last axes, at "
                            + "most the window; default half the window", null, 1.0, null),
                    ParameterSpec.choice(BORDER, TRUNCATE, List.of(TRUNCATE, SHIFT), "the last window of an axis the "
                            + "strides do not end on: truncate (cut at the end of the axis, as Captum) or shift (moved "
                            + "back to end there)")),
            GroupParameters.specs(GroupParameters.TIME_WINDOW).stream(), Stream.of(baselineParameter()))
            .flatMap(s -> s).toList());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Plan plan(AttributionContext context, Parameters parameters, int[] shape) {
        List<String> groups = GroupParameters.given(parameters, GroupParameters.TIME_WINDOW);
        if (!groups.isEmpty() || parameters.has(GroupParameters.SEGMENTS)) {
            List<String> sliding = Stream.of("window", "stride").filter(parameters::has).toList();
            if (!sliding.isEmpty()) {
                throw invalidParameter(String.join(" and ", sliding) + " set the sliding window, which feature groups ("
                        + String.join(", ", groups) + ") replace; give one or the other");
            }
            return new FeatureAblation.Ablation(GroupParameters.resolve(parameters, shape, this::invalidParameter,
                    GroupParameters.TIME_WINDOW), "occlusion");
        }
        return new SlidingWindow(WindowGrid.of(parameters, shape, this::invalidParameter));
    }

    private record SlidingWindow(WindowGrid grid) implements Plan {

        @Override
        public void explain(PerturbationEvaluator evaluator, Tensor example, Tensor baseline, Tensor attribution) {
            int windows = grid.count();
            float original = evaluator.scoreOriginal();
            float[] scores = evaluator.evaluate("occlusion", windows, (k, row) -> grid.forEachRun(k, (offset, length) ->
                    System.arraycopy(baseline.array(), baseline.offset() + offset, row.array(), row.offset() + offset,
                            length)));
            double[] sum = new double[example.size()];
            int[] covering = new int[example.size()];
            for (int k = 0; k < windows; k++) {
                float drop = original - scores[k];
                grid.forEachRun(k, (offset, length) -> {
                    for (int e = offset; e < offset + length; e++) {
                        sum[e] += drop;
                        covering[e]++;
                    }
                });
            }
            for (int e = 0; e < sum.length; e++) {
                attribution.set(e, (float) (sum[e] / covering[e]));
            }
        }

        @Override
        public Map<String, Object> details() {
            return PerturbationMethod.details("window", Arrays.toString(grid.window()), "stride",
                    Arrays.toString(grid.stride()), BORDER, grid.border(), "windowsPerExample", grid.count());
        }
    }
}
