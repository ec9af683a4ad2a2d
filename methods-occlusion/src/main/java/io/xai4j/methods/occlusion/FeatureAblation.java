package io.xai4j.methods.occlusion;

import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.family.perturbation.FeatureGroups;
import io.xai4j.family.perturbation.GroupParameters;
import io.xai4j.family.perturbation.GroupSource;
import io.xai4j.family.perturbation.PerturbationMethod;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Feature ablation (as in Captum's {@code FeatureAblation}): the example's elements are split into groups,
 * each group is replaced by the baseline in one perturbation, and every element of a group gets
 * {@code score(example) - score(group ablated)}.
 *
 * <p>Groups come from {@link GroupParameters}: {@code mask}, an .npy file of whole-number group ids whose shape
 * broadcasts to one example (an [H,W] mask repeats over the channels of a [C,H,W] example), {@code grid}, box
 * sizes per axis that apply to the last axes (leading axes whole, sizes clamped to the axis), or {@code window},
 * time windows of a sequence. Without any, the grid is about 1/8 of each spatial axis (single elements for 1-D
 * examples).
 */
public final class FeatureAblation extends PerturbationMethod {
    private static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("feature-ablation",
            MethodFamily.PERTURBATION, "1.0", "Replaces each group of input elements with the baseline; "
                    + "attribution is the score drop of the element's group",
            Set.of(Requirement.BASELINE), Stream.concat(GroupParameters.specs().stream(),
                    Stream.of(baselineParameter())).toList());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Plan plan(AttributionContext context, Parameters parameters, int[] shape) {
        return new Ablation(GroupParameters.resolve(parameters, shape, this::invalidParameter), "feature-ablation");
    }

    /** Each group of {@code source} replaced by the baseline in turn; {@code task} names the progress. */
    record Ablation(GroupSource source, String task) implements Plan {

        @Override
        public void explain(PerturbationEvaluator evaluator, Tensor example, Tensor baseline, Tensor attribution) {
            FeatureGroups groups = source.of(example);
            Game game = new Game(evaluator, groups, baseline, task);
            float original = evaluator.scoreOriginal();
            float[] scores = game.scores(groups.groups(), (g, kept) -> {
                Arrays.fill(kept, true);
                kept[g] = false;
            });
            double[] drops = new double[scores.length];
            Arrays.setAll(drops, g -> original - scores[g]);
            game.spread(drops, attribution);
        }

        @Override
        public Map<String, Object> details() {
            return source.fixed() == null ? PerturbationMethod.details("groupsFrom", source.description())
                    : PerturbationMethod.details("groups", source.fixed().groups(), "groupsFrom", source.description());
        }
    }
}
