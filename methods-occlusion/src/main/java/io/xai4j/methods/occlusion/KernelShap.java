package io.xai4j.methods.occlusion;

import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Kernel SHAP (Lundberg and Lee 2017): Shapley values of the feature groups from a weighted linear fit of the
 * scores of coalitions, under the constraint that the values add up to {@code f(x) - f(baseline)}
 * ({@link LinearFits#constrained}). When every proper coalition fits in {@code samples} (at most {@code 2^M - 2}
 * for {@code M} groups) they are all scored with the Shapley kernel weights
 * {@code (M-1) / (C(M,s) s (M-s))}, which gives the exact Shapley values; otherwise {@code samples} coalitions
 * are drawn from the kernel (a size {@code s} with probability proportional to {@code (M-1) / (s (M-s))}, then
 * {@code s} groups uniformly), in pairs of a coalition and its complement, and fitted with equal weights.
 */
public final class KernelShap extends CoalitionMethod {
    private static final MethodDescriptor DESCRIPTOR = descriptor("kernel-shap",
            "Shapley values of feature groups from a Shapley-kernel weighted linear fit of coalition scores",
            List.of(ParameterSpec.integer("samples", 25, 1, (int) MAX_EVALUATIONS, "coalitions scored per example; "
                    + "all of them (the exact solution) when 2^groups - 2 fit")));

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Estimator estimator(Parameters parameters) {
        return new Sampler(parameters.getInt("samples"));
    }

    private record Sampler(int samples) implements Estimator {

        @Override
        public double evaluations(int players) {
            return Math.min(samples, Math.pow(2, players) - 2) + 2;
        }

        @Override
        public Estimate estimate(Game game, SplittableRandom random, Notes notes) {
            int m = game.players();
            boolean exact = m < 31 && (1L << m) - 2 <= samples;
            notes.note("exact", exact);
            if (!exact && samples < m) {
                notes.warn("kernel-shap: " + m + " feature groups but only " + samples + " samples, too few to resolve"
                        + " every group (the fit is underdetermined); use samples of several times the groups, or "
                        + "fewer groups");
            }
            boolean[][] z = exact ? allCoalitions(m) : drawn(m, random);
            double[] w = new double[z.length];
            for (int k = 0; k < z.length; k++) {
                w[k] = exact ? kernel(m, size(z[k])) : 1;
            }
            float[] scores = game.scoresWithEnds(z);
            double[] y = Game.coalitionScores(scores);
            return Estimate.of(LinearFits.constrained(z, y, w, scores[Game.ALL], scores[Game.NONE]), scores);
        }

        /** Every coalition but the empty and the full one. */
        private static boolean[][] allCoalitions(int m) {
            boolean[][] z = new boolean[(1 << m) - 2][m];
            for (int k = 0; k < z.length; k++) {
                for (int i = 0; i < m; i++) {
                    z[k][i] = ((k + 1) >> i & 1) != 0;
                }
            }
            return z;
        }

        /** {@code samples} coalitions from the Shapley kernel, each followed by its complement. */
        private boolean[][] drawn(int m, SplittableRandom random) {
            double[] cumulative = new double[m];
            for (int s = 1; s < m; s++) {
                cumulative[s] = cumulative[s - 1] + (m - 1.0) / (s * (double) (m - s));
            }
            int[] order = new int[m];
            boolean[][] z = new boolean[samples][m];
            for (int k = 0; k < samples; k += 2) {
                double u = random.nextDouble() * cumulative[m - 1];
                int s = 1;
                while (s < m - 1 && cumulative[s] <= u) {
                    s++;
                }
                Permutations.shuffle(order, random);
                for (int i = 0; i < s; i++) {
                    z[k][order[i]] = true;
                }
                if (k + 1 < samples) {
                    for (int i = 0; i < m; i++) {
                        z[k + 1][i] = !z[k][i];
                    }
                }
            }
            return z;
        }

        private static int size(boolean[] z) {
            int s = 0;
            for (boolean b : z) {
                s += b ? 1 : 0;
            }
            return s;
        }

        /** The Shapley kernel weight of a coalition of {@code s} of {@code m} groups. */
        private static double kernel(int m, int s) {
            return (m - 1) / (Permutations.binomial(m, s) * s * (m - s));
        }
    }
}
