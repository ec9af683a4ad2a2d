package io.xai4j.methods.occlusion;

import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.family.perturbation.FeatureGroups;
import io.xai4j.family.perturbation.GroupParameters;
import io.xai4j.family.perturbation.GroupSource;
import io.xai4j.family.perturbation.PerturbationMethod;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Methods that value feature groups from the scores of coalitions of groups (kept groups at the example's values,
 * the others at the baseline): Shapley estimators and LIME. Each example is a {@link Game} over its groups
 * ({@link GroupParameters}); every element of a group gets the group's value. Each example's random stream starts
 * from the seed, so an example gets the same result alone as in any batch.
 *
 * <p>Details report {@code additivityError}, per example {@code sum over groups of the values - (f(x) -
 * f(baseline))} (Shapley values have none; sampling and fitting may), {@code groups}, {@code groupsFrom}, the seed,
 * and {@code warnings} when there are any. A run that would take more than {@value #MAX_EVALUATIONS} model
 * evaluations per example is refused before the first model call.
 */
abstract class CoalitionMethod extends PerturbationMethod {
    /** The most model evaluations one example may take. */
    static final long MAX_EVALUATIONS = 1_000_000;

    /** Values the groups of one example's game. */
    interface Estimator {
        /** The model evaluations of one example with {@code players} groups, both ends included. */
        double evaluations(int players);

        /** Refuses a game it cannot value, before any model call; by default accepts every game. */
        default void check(int players) {
        }

        /** The value of each group, from scores taken with {@link Game#scoresWithEnds}. */
        Estimate estimate(Game game, SplittableRandom random, Notes notes);
    }

    /**
     * @param values the value of each group
     * @param all    the score with every group kept, f(x)
     * @param none   the score with none kept, f(baseline)
     */
    record Estimate(double[] values, double all, double none) {
        static Estimate of(double[] values, float[] scoresWithEnds) {
            return new Estimate(values, scoresWithEnds[Game.ALL], scoresWithEnds[Game.NONE]);
        }
    }

    /** What an estimator reports besides values: warnings (each once) and named notes. */
    static final class Notes {
        private final Set<String> warnings = new LinkedHashSet<>();
        private final Map<String, Object> values = new LinkedHashMap<>();

        void warn(String warning) {
            warnings.add(warning);
        }

        void note(String name, Object value) {
            values.put(name, value);
        }
    }

    /** A descriptor of this family: the method's parameters, then the group parameters and the baseline. */
    static MethodDescriptor descriptor(String name, String description, List<ParameterSpec> parameters,
            Requirement... more) {
        List<ParameterSpec> all = new ArrayList<>(parameters);
        all.addAll(GroupParameters.specs());
        all.add(baselineParameter());
        Set<Requirement> requirements = new LinkedHashSet<>(List.of(more));
        requirements.add(Requirement.BASELINE);
        return new MethodDescriptor(name, MethodFamily.PERTURBATION, "1.0", description, requirements, all);
    }

    /** The estimator of one call, from validated parameters. */
    protected abstract Estimator estimator(Parameters parameters);

    @Override
    protected final Plan plan(AttributionContext context, Parameters parameters, int[] exampleShape) {
        GroupSource source = GroupParameters.resolve(parameters, exampleShape, this::invalidParameter);
        Estimator estimator = estimator(parameters);
        if (source.fixed() != null) {
            check(estimator, source.fixed().groups());
        }
        return new Valuation(context, source, estimator);
    }

    private void check(Estimator estimator, int players) {
        estimator.check(players);
        double evaluations = estimator.evaluations(players);
        if (evaluations > MAX_EVALUATIONS) {
            throw invalidParameter(String.format(Locale.ROOT, "%d feature groups take %s model evaluations per"
                    + " example, more than the limit of %,d; use fewer groups (a coarser grid, a mask) or fewer"
                    + " samples",
                    players, count(evaluations), MAX_EVALUATIONS));
        }
    }

    /** A number of model evaluations: exact with thousands separators up to 10^15, else in scientific notation. */
    static String count(double evaluations) {
        return evaluations < 1e15 ? String.format(Locale.ROOT, "%,d", (long) evaluations)
                : String.format(Locale.ROOT, "%.3g", evaluations);
    }

    private final class Valuation implements Plan {
        private final AttributionContext context;
        private final GroupSource source;
        private final Estimator estimator;
        private final Notes notes = new Notes();
        private final List<Integer> groups = new ArrayList<>();
        private final List<Double> additivityErrors = new ArrayList<>();

        Valuation(AttributionContext context, GroupSource source, Estimator estimator) {
            this.context = context;
            this.source = source;
            this.estimator = estimator;
        }

        @Override
        public void explain(PerturbationEvaluator evaluator, Tensor example, Tensor baseline, Tensor attribution) {
            FeatureGroups exampleGroups = source.of(example);
            check(estimator, exampleGroups.groups());
            Game game = new Game(evaluator, exampleGroups, baseline, descriptor().name());
            Estimate estimate = estimator.estimate(game, context.random(), notes);
            game.spread(estimate.values(), attribution);
            double sum = 0;
            for (double v : estimate.values()) {
                sum += v;
            }
            groups.add(exampleGroups.groups());
            additivityErrors.add(sum - (estimate.all() - estimate.none()));
        }

        @Override
        public Map<String, Object> details() {
            Map<String, Object> details = new LinkedHashMap<>(notes.values);
            details.put("groups", source.fixed() != null ? (Object) source.fixed().groups() : List.copyOf(groups));
            details.put("groupsFrom", source.description());
            details.put("seed", context.seed());
            details.put("additivityError", List.copyOf(additivityErrors));
            if (!notes.warnings.isEmpty()) {
                details.put("warnings", List.copyOf(notes.warnings));
            }
            return details;
        }
    }
}
