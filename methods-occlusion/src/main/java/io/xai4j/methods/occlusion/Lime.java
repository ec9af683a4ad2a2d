package io.xai4j.methods.occlusion;

import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.ParameterType;
import io.xai4j.spi.Parameters;
import java.util.List;
import java.util.SplittableRandom;

/**
 * LIME (Ribeiro et al. 2016, as Captum's {@code Lime}): scores {@code samples} coalitions, each group kept with
 * probability 1/2, weights each by an exponential kernel {@code exp(-d^2 / (2 width^2))} of its distance {@code d}
 * to the example in the interpretable space (the binary vector of kept groups against all ones: cosine distance
 * {@code 1 - sqrt(kept / groups)} by default, or euclidean {@code sqrt(groups - kept)}), and fits a linear
 * surrogate with an intercept: the lasso (default, {@code alpha=0.01}) or ridge regression ({@code alpha=1}), with
 * scikit-learn's objectives as Captum uses them. The coefficients are the attributions. Captum's default kernel
 * measures the distance between the model inputs instead; {@code distance} here is the interpretable one of the
 * original LIME.
 */
public final class Lime extends CoalitionMethod {
    private static final MethodDescriptor DESCRIPTOR = descriptor("lime",
            "Coefficients of a kernel-weighted sparse linear surrogate fitted to the scores of random coalitions",
            List.of(ParameterSpec.integer("samples", 50, 1, (int) MAX_EVALUATIONS, "random coalitions per example"),
                    new ParameterSpec("kernel-width", ParameterType.FLOAT, "1.0", "width of the exponential kernel on "
                            + "the distance", null, 1e-6, null),
                    ParameterSpec.choice("distance", "cosine", List.of("cosine", "euclidean"),
                            "distance between a coalition and the example in the interpretable space"),
                    ParameterSpec.choice("fit", "lasso", List.of("lasso", "ridge"), "the linear surrogate"),
                    new ParameterSpec("alpha", ParameterType.FLOAT, null, "regularisation strength; default 0.01 for "
                            + "lasso, 1 for ridge", null, 0.0, null)));

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected Estimator estimator(Parameters parameters) {
        boolean lasso = parameters.getString("fit").equals("lasso");
        double alpha = parameters.has("alpha") ? parameters.getDouble("alpha") : lasso ? 0.01 : 1.0;
        return new Surrogate(parameters.getInt("samples"), parameters.getDouble("kernel-width"),
                parameters.getString("distance").equals("cosine"), lasso, alpha);
    }

    private record Surrogate(int samples, double width, boolean cosine, boolean lasso, double alpha)
            implements Estimator {

        @Override
        public double evaluations(int players) {
            return samples + 2.0;
        }

        @Override
        public Estimate estimate(Game game, SplittableRandom random, Notes notes) {
            int m = game.players();
            if (samples <= m) {
                notes.warn("lime: " + m + " feature groups but only " + samples + " samples, too few to resolve every "
                        + "group; use samples of several times the groups, or fewer groups");
            }
            boolean[][] z = new boolean[samples][m];
            double[] logW = new double[samples];
            for (int k = 0; k < samples; k++) {
                int kept = 0;
                for (int i = 0; i < m; i++) {
                    z[k][i] = random.nextBoolean();
                    kept += z[k][i] ? 1 : 0;
                }
                double d = cosine ? 1 - Math.sqrt(kept / (double) m) : Math.sqrt(m - kept);
                logW[k] = -d * d / (2 * width * width);
            }
            double[] w = weights(logW, notes);
            float[] scores = game.scoresWithEnds(z);
            double[] y = Game.coalitionScores(scores);
            double[] beta = lasso ? LinearFits.lasso(z, y, w, alpha) : LinearFits.ridge(z, y, w, alpha);
            return Estimate.of(beta, scores);
        }

        /** The kernel weights; when all underflow (a very narrow kernel), rescaled so that the largest is 1. */
        private static double[] weights(double[] logW, Notes notes) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : logW) {
                max = Math.max(max, v);
            }
            double shift = Math.exp(max) > 0 ? 0 : max;
            if (shift != 0) {
                notes.warn("lime: the kernel is so narrow that every weight underflows; the weights are rescaled so "
                        + "that the coalitions nearest to the example count");
            }
            double[] w = new double[logW.length];
            for (int k = 0; k < w.length; k++) {
                w[k] = Math.exp(logW[k] - shift);
            }
            return w;
        }
    }
}
