package io.xai4j.methods.occlusion;

import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.Parameters;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Exact Shapley values of at most {@value #MAX_GROUPS} feature groups: every one of the {@code 2^M} coalitions is
 * scored once and each group gets {@code sum_S |S|! (M-|S|-1)! / M! (f(S + i) - f(S))} over the coalitions
 * {@code S} without it. More groups are refused before any model call, naming the evaluations they would take.
 */
public final class ExactShapley extends CoalitionMethod {
    /** The most groups: {@code 2^12 = 4096} model evaluations per example. */
    static final int MAX_GROUPS = 12;
    private static final MethodDescriptor DESCRIPTOR = descriptor("shapley",
            "Exact Shapley values of at most 12 feature groups, from the scores of every coalition", List.of());

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Estimator estimator(Parameters parameters) {
        return new Enumeration();
    }

    private final class Enumeration implements Estimator {

        @Override
        public double evaluations(int players) {
            return Math.pow(2, players);
        }

        @Override
        public void check(int players) {
            if (players > MAX_GROUPS) {
                throw invalidParameter(String.format(Locale.ROOT, "exact Shapley values of %d feature groups take 2^%d"
                        + " = %s model evaluations per example; 'shapley' takes at most %d groups (%d evaluations). Use"
                        + " fewer groups (a coarser grid, a mask, time windows) or the estimators kernel-shap or"
                        + " shapley-sampling", players, players, count(Math.pow(2, players)), MAX_GROUPS,
                        1 << MAX_GROUPS));
            }
        }

        @Override
        public Estimate estimate(Game game, SplittableRandom random, Notes notes) {
            int m = game.players();
            int full = (1 << m) - 1;
            // coalition c is the bit set c + 1, for c + 1 in 1..2^m - 2; the ends come from scoresWithEnds
            float[] scores = game.scoresWithEnds(full - 1, (c, kept) -> {
                for (int i = 0; i < m; i++) {
                    kept[i] = ((c + 1) >> i & 1) != 0;
                }
            });
            double[] weight = new double[m];
            for (int s = 0; s < m; s++) {
                weight[s] = 1 / (m * Permutations.binomial(m - 1, s));
            }
            double[] values = new double[m];
            for (int set = 0; set < full; set++) {
                double without = score(scores, set, full);
                for (int i = 0; i < m; i++) {
                    if ((set >> i & 1) == 0) {
                        values[i] += weight[Integer.bitCount(set)] * (score(scores, set | 1 << i, full) - without);
                    }
                }
            }
            return Estimate.of(values, scores);
        }

        private static double score(float[] scores, int set, int full) {
            return set == 0 ? scores[Game.NONE] : set == full ? scores[Game.ALL] : scores[set + 1];
        }
    }
}
