package io.xai4j.methods.occlusion;

import io.xai4j.batch.PerturbationEvaluator;
import io.xai4j.family.perturbation.FeatureGroups;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;

/**
 * The coalition game of one example: the target score of the example with some feature groups kept and the
 * others replaced by the baseline. Scores go through the example's {@link PerturbationEvaluator}, so many
 * coalitions share a model call.
 */
final class Game {
    /** Writes coalition {@code index} into {@code kept}: one flag per group, true for a group kept. */
    @FunctionalInterface
    interface Coalitions {
        void fill(int index, boolean[] kept);
    }

    /** Where {@link #scoresWithEnds} puts the score with every group kept. */
    static final int ALL = 0;
    /** Where {@link #scoresWithEnds} puts the score with no group kept. */
    static final int NONE = 1;

    private final PerturbationEvaluator evaluator;
    private final FeatureGroups groups;
    private final Tensor baseline;
    private final String task;

    Game(PerturbationEvaluator evaluator, FeatureGroups groups, Tensor baseline, String task) {
        this.evaluator = evaluator;
        this.groups = groups;
        this.baseline = baseline;
        this.task = task;
    }

    /** The number of players (feature groups). */
    int players() {
        return groups.groups();
    }

    /** The scores of coalitions {@code 0..count-1}, in batches. */
    float[] scores(int count, Coalitions coalitions) {
        boolean[] kept = new boolean[players()];
        return evaluator.evaluate(task, count, (index, row) -> {
            Arrays.fill(kept, false);
            coalitions.fill(index, kept);
            for (int g = 0; g < kept.length; g++) {
                if (!kept[g]) {
                    for (int e : groups.members()[g]) {
                        row.set(e, baseline.get(e));
                    }
                }
            }
        });
    }

    /**
     * The scores of the example with every group kept (index {@value #ALL}), with none kept (index {@value #NONE})
     * and of coalitions {@code 0..count-1} (at {@code 2..count+1}), in the same batches.
     */
    float[] scoresWithEnds(int count, Coalitions coalitions) {
        return scores(count + 2, (index, kept) -> {
            if (index == ALL) {
                Arrays.fill(kept, true);
            } else if (index > NONE) {
                coalitions.fill(index - 2, kept);
            }
        });
    }

    /** As {@link #scoresWithEnds(int, Coalitions)} for coalitions given as flags, one row per coalition. */
    float[] scoresWithEnds(boolean[][] coalitions) {
        return scoresWithEnds(coalitions.length, (k, kept) -> System.arraycopy(coalitions[k], 0, kept, 0, kept.length));
    }

    /** The coalitions' scores of {@link #scoresWithEnds}, without the ends. */
    static double[] coalitionScores(float[] scoresWithEnds) {
        double[] y = new double[scoresWithEnds.length - 2];
        for (int k = 0; k < y.length; k++) {
            y[k] = scoresWithEnds[k + 2];
        }
        return y;
    }

    /** Writes each group's value to every element of the group. */
    void spread(double[] values, Tensor attribution) {
        int[] groupOf = groups.groupOf();
        for (int e = 0; e < groupOf.length; e++) {
            attribution.set(e, (float) values[groupOf[e]]);
        }
    }
}
