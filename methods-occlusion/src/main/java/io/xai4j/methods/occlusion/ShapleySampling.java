package io.xai4j.methods.occlusion;

import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Shapley value sampling (Castro et al. 2009, as Captum's {@code ShapleyValueSampling}): for each of
 * {@code permutations} random orders of the feature groups, the groups are added one by one to the baseline and
 * each gets the score change its addition makes; the values are the averages. Every order's changes add up to
 * {@code f(x) - f(baseline)}, so the values do too. An example takes {@code 2 + permutations (groups - 1)} model
 * evaluations.
 */
public final class ShapleySampling extends CoalitionMethod {
    private static final MethodDescriptor DESCRIPTOR = descriptor("shapley-sampling",
            "Shapley values of feature groups, averaged over random orders of adding the groups to the baseline",
            List.of(ParameterSpec.integer("permutations", 25, 1, 100_000, "random orders of the groups per example")));

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Estimator estimator(Parameters parameters) {
        return new Orders(parameters.getInt("permutations"));
    }

    private record Orders(int permutations) implements Estimator {

        @Override
        public double evaluations(int players) {
            return 2 + (double) permutations * (players - 1);
        }

        @Override
        public Estimate estimate(Game game, SplittableRandom random, Notes notes) {
            int m = game.players();
            int[][] orders = new int[permutations][m];
            for (int[] order : orders) {
                Permutations.shuffle(order, random);
            }
            // coalition p (m - 1) + s - 1 holds the first s groups of order p, for s in 1..m-1
            float[] scores = game.scoresWithEnds(permutations * (m - 1), (index, kept) -> {
                int[] order = orders[index / (m - 1)];
                for (int s = 0; s <= index % (m - 1); s++) {
                    kept[order[s]] = true;
                }
            });
            double[] values = new double[m];
            for (int p = 0; p < permutations; p++) {
                double before = scores[Game.NONE];
                for (int s = 1; s <= m; s++) {
                    double after = s == m ? scores[Game.ALL] : scores[2 + p * (m - 1) + s - 1];
                    values[orders[p][s - 1]] += after - before;
                    before = after;
                }
            }
            for (int i = 0; i < m; i++) {
                values[i] /= permutations;
            }
            return Estimate.of(values, scores);
        }
    }
}
