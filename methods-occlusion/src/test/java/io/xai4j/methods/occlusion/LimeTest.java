package io.xai4j.methods.occlusion;

import static io.xai4j.methods.occlusion.Fixtures.classes;
import static io.xai4j.testing.TestTensors.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.spi.Attribution;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.models.QuadraticModel;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LimeTest {
    private final Lime lime = new Lime();

    /** Scores of an additive game are linear in the kept groups, so an unregularised fit recovers each group's change. */
    @Test
    void unregularisedRidgeRecoversTheGroupContributionsOfAnAdditiveModel() {
        QuadraticModel model = QuadraticModel.random(1, 3, 6);
        Tensor x = random(2, 1, 6);

        Attribution result = Fixtures.run(lime, model, 64, 0, x, classes(2),
                Map.of("fit", "ridge", "alpha", "0", "samples", "40", "distance", "euclidean"));

        for (int e = 0; e < 6; e++) {
            double xe = x.get(e);
            double change = model.linearWeight(2, e) * xe + model.squareWeight(2, e) * xe * xe;
            assertThat((double) result.tensors().get("x").get(e)).as("element %d", e).isCloseTo(change, within(1e-4));
        }
        ShapleyMethodsTest.assertAdditive(result, 1);
    }

    @Test
    void aStrongLassoZeroesEveryCoefficient() {
        QuadraticModel model = QuadraticModel.random(3, 2, 5);

        Tensor a = Fixtures.attribute(lime, model, random(4, 1, 5), classes(0), Map.of("alpha", "100"));

        assertThat(a.toArray()).containsOnly(0f);
    }

    @Test
    void warnsWhenSamplesCannotResolveTheGroups() {
        Attribution result = Fixtures.run(lime, QuadraticModel.random(5, 2, 8), 64, 0, random(6, 1, 8), classes(1),
                Map.of("samples", "8"));

        assertThat((List<?>) result.details().get("warnings")).singleElement().asString()
                .contains("8 feature groups but only 8 samples");
    }

    /** The lasso's optimality conditions: {@code |g_j| <= alpha} where {@code beta_j = 0}, else {@code g_j = -alpha sign(beta_j)}. */
    @Test
    void lassoSolutionSatisfiesItsOptimalityConditions() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 30;
        int m = 5;
        boolean[][] z = new boolean[n][m];
        double[] y = new double[n];
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < m; j++) {
                z[k][j] = random.nextBoolean();
                y[k] += z[k][j] ? (j - 2) * 0.3 : 0;
            }
            y[k] += random.nextDouble(-0.1, 0.1);
            w[k] = random.nextDouble(0.1, 1);
        }
        double alpha = 0.02;

        double[] beta = LinearFits.lasso(z, y, w, alpha);

        double weight = 0;
        double[] meanX = new double[m];
        double meanY = 0;
        for (int k = 0; k < n; k++) {
            weight += w[k];
            meanY += w[k] * y[k];
            for (int j = 0; j < m; j++) {
                meanX[j] += z[k][j] ? w[k] : 0;
            }
        }
        double intercept = meanY / weight;
        for (int j = 0; j < m; j++) {
            intercept -= beta[j] * meanX[j] / weight;
        }
        assertThat(beta).contains(0.0).satisfies(b -> assertThat(java.util.Arrays.stream(b).filter(v -> v != 0)).isNotEmpty());
        for (int j = 0; j < m; j++) {
            double g = 0;
            for (int k = 0; k < n; k++) {
                double r = y[k] - intercept;
                for (int i = 0; i < m; i++) {
                    r -= z[k][i] ? beta[i] : 0;
                }
                g -= w[k] * (z[k][j] ? 1 : 0) * r / weight;
            }
            if (beta[j] == 0) {
                assertThat(Math.abs(g)).as("coefficient %d", j).isLessThanOrEqualTo(alpha + 1e-8);
            } else {
                assertThat(g).as("coefficient %d", j).isCloseTo(-alpha * Math.signum(beta[j]), within(1e-8));
            }
        }
    }
}
