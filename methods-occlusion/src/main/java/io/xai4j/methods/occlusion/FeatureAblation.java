package io.xai4j.methods.occlusion;

import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.family.perturbation.PerturbationMethod;
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

/**
 * Feature ablation (as in Captum's {@code FeatureAblation}): the example's elements are split into groups,
 * each group is replaced by the baseline in one perturbation, and every element of a group gets
 * {@code score(example) - score(group ablated)}.
 *
 * <p>Groups come from {@code mask}, an .npy file of whole-number group ids shaped like one example or like
 * its last axes (an [H,W] mask repeats over the channels of a [C,H,W] example), or from {@code grid}, box
 * sizes per axis that apply to the last axes (leading axes whole, sizes clamped to the axis). Without
 * either, the grid is about 1/8 of each spatial axis (single elements for 1-D examples).
 */
public final class FeatureAblation extends PerturbationMethod {
    private static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("feature-ablation",
            MethodFamily.PERTURBATION, "1.0", "Replaces each group of input elements with the baseline; "
                    + "attribution is the score drop of the element's group",
            Set.of(Requirement.BASELINE), List.of(
                    ParameterSpec.tensor("mask", "a tensor (an .npy file) of whole-number group ids shaped like one example or its "
                            + "last axes (e.g. [H,W] for [3,H,W]); instead of grid"),
                    new ParameterSpec("grid", ParameterType.INT_LIST, null, "group box size per axis, for the last "
                            + "axes (e.g. 8,8), when no mask is given; default about 1/8 of each spatial axis",
                            null, 1.0, null),
                    baselineParameter()));

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Plan plan(AttributionContext context, Parameters parameters, int[] shape) {
        if (parameters.has("mask") && parameters.has("grid")) {
            throw invalidParameter("give either 'mask' or 'grid', not both");
        }
        if (parameters.has("mask")) {
            String source = parameters.asText().get("mask");
            return new Ablation(FeatureGroups.fromMask(parameters.getTensor("mask"), source, shape,
                    this::invalidParameter), "mask " + source);
        }
        int[] cell = parameters.has("grid")
                ? Regions.perAxis("grid", parameters.getIntList("grid"), shape, shape, this::invalidParameter)
                : Regions.defaultSize(shape);
        return new Ablation(FeatureGroups.grid(cell, shape), "grid " + Arrays.toString(cell));
    }

    private record Ablation(FeatureGroups groups, String source) implements Plan {

        @Override
        public void explain(PerturbationEvaluator evaluator, Tensor example, Tensor baseline, Tensor attribution) {
            int pattern = groups.groupOf().length;
            int repeats = example.size() / pattern;
            float original = evaluator.scoreOriginal();
            float[] scores = evaluator.evaluate("feature-ablation", groups.groups(), (g, row) -> {
                for (int r = 0; r < repeats; r++) {
                    for (int m : groups.members()[g]) {
                        int e = r * pattern + m;
                        row.set(e, baseline.get(e));
                    }
                }
            });
            for (int e = 0; e < example.size(); e++) {
                attribution.set(e, original - scores[groups.groupOf()[e % pattern]]);
            }
        }

        @Override
        public Map<String, Object> details() {
            return PerturbationMethod.details("groups", groups.groups(), "groupsFrom", source);
        }
    }
}
