package io.xai4j.methods.occlusion;

import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.perturbation.FeatureGroups;
import io.xai4j.family.perturbation.GroupParameters;
import io.xai4j.family.perturbation.GroupSource;
import io.xai4j.family.perturbation.PerturbationMethod;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Permutation feature importance (as Captum's {@code FeaturePermutation}): for each feature group, one random
 * permutation of the request's examples; example {@code i} with the group's elements taken from example
 * {@code perm(i)} is scored, and every element of the group gets {@code score(example) - score(permuted)}. The
 * permutations are drawn from the seed for the whole request, so an example's result depends on the others: the
 * method needs a batch of several examples and refuses one example with a usage error. Groups come from
 * {@link GroupParameters}, the same for every example.
 */
public final class FeaturePermutation extends PerturbationMethod {
    private static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("feature-permutation",
            MethodFamily.PERTURBATION, "1.0", "Permutes each feature group across the examples of a batch; "
                    + "attribution is the score drop of the element's group",
            Set.of(Requirement.BATCH), GroupParameters.specs());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Plan plan(AttributionContext context, AttributionRequest request) {
        String name = DESCRIPTOR.name();
        int examples = request.examples();
        if (examples < 2) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "method '" + name + "' permutes each feature group "
                    + "across the examples of a batch and needs at least 2 examples, got " + examples
                    + "; explain several examples together (a batch from Java: the command line explains one example per"
                    + " input), or use feature-ablation for one example");
        }
        GroupSource source = GroupParameters.resolve(request.parameters(), request.exampleShape(name),
                this::invalidParameter);
        FeatureGroups groups = source.fixed();
        if (groups == null) {
            throw invalidParameter("needs the same feature groups for every example; " + source.description()
                    + " differ by example");
        }
        SplittableRandom random = context.random();
        int[][] permutations = new int[groups.groups()][examples];
        for (int[] permutation : permutations) {
            Permutations.shuffle(permutation, random);
        }
        return new Permuted(request.input(), groups, permutations, source.description(), context.seed());
    }

    private record Permuted(Tensor input, FeatureGroups groups, int[][] permutations, String source, long seed)
            implements Plan {

        @Override
        public void explain(int index, PerturbationEvaluator evaluator, Tensor example, Tensor baseline,
                Tensor attribution) {
            float original = evaluator.scoreOriginal();
            float[] scores = evaluator.evaluate("feature-permutation", groups.groups(), (g, row) -> {
                Tensor other = input.row(permutations[g][index]);
                for (int e : groups.members()[g]) {
                    row.set(e, other.get(e));
                }
            });
            int[] groupOf = groups.groupOf();
            for (int e = 0; e < groupOf.length; e++) {
                attribution.set(e, original - scores[groupOf[e]]);
            }
        }

        @Override
        public Map<String, Object> details() {
            return PerturbationMethod.details("groups", groups.groups(), "groupsFrom", source, "seed", seed);
        }
    }
}
