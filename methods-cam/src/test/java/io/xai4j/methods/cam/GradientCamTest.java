package io.xai4j.methods.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import io.xai4j.testing.models.QuadraticModel;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Each gradient CAM against its formula on {@link QuadraticModel}'s closed-form activations and gradients. */
class GradientCamTest {
    static final int C = 3;
    static final int H = 4;
    static final int W = 5;
    static final int CELLS = H * W;

    /** The expected map of one example from its activations and gradients (grid layout). */
    static void check(AttributionMethod method, BiFunction<double[], double[], double[]> formula, boolean tokens) {
        QuadraticModel model = Cams.model(11, C, H, W, 4);
        model.tokenLayer(tokens);
        Tensor x = TestTensors.random(3, 2, C, H, W);
        int[] classes = {1, 3};
        Tensor xBefore = x.copy();
        Attribution result = Cams.attribute(method, model, x, classes, tokens ? Map.of("grid", H + "x" + W) : Map.of(),
                Cams.LAYER, 64);
        Tensor maps = result.tensors().get(Cams.LAYER);
        assertThat(maps.shape()).containsExactly(2, 1, H, W);
        assertThat(x).isEqualTo(xBefore);
        for (int n = 0; n < 2; n++) {
            double[] a = model.layerValues(x, n);
            double[] expected = formula.apply(a, model.gradient(a, classes[n]));
            float[] got = maps.row(n).toArray();
            assertThat(got).as(method.descriptor().name() + " example " + n)
                    .containsExactly(Cams.floats(expected), within(1e-4f));
        }
        assertThat(expectedNonTrivial(maps)).as("a map with signal").isTrue();
    }

    private static boolean expectedNonTrivial(Tensor maps) {
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i) > 1e-3) {
                return true;
            }
        }
        return false;
    }

    static double[] gradCam(double[] a, double[] g) {
        double[] w = new double[C];
        for (int c = 0; c < C; c++) {
            for (int p = 0; p < CELLS; p++) {
                w[c] += g[c * CELLS + p] / CELLS;
            }
        }
        return Cams.relu(Cams.weighted(a, w, CELLS));
    }

    @Test
    void gradCamWeightsChannelsByTheMeanGradient() {
        check(new GradCam(), GradientCamTest::gradCam, false);
    }

    @Test
    void aTokenLayerWithAClassTokenGivesTheSameMapsAsTheGrid() {
        check(new GradCam(), GradientCamTest::gradCam, true);
        check(new LayerCam(), (a, g) -> layerCam(a, g), true);
    }

    @Test
    void gradCamPlusPlusUsesSecondAndThirdOrderTerms() {
        check(new GradCamPlusPlus(), (a, g) -> {
            double[] w = new double[C];
            for (int c = 0; c < C; c++) {
                double sumA = 0;
                for (int p = 0; p < CELLS; p++) {
                    sumA += a[c * CELLS + p];
                }
                for (int p = 0; p < CELLS; p++) {
                    double gv = g[c * CELLS + p];
                    double alpha = gv == 0 ? 0 : gv * gv / (2 * gv * gv + sumA * gv * gv * gv + 1e-6);
                    w[c] += Math.max(gv, 0) * alpha;
                }
            }
            return Cams.relu(Cams.weighted(a, w, CELLS));
        }, false);
    }

    @Test
    void xGradCamNormalisesByTheActivationSum() {
        check(new XGradCam(), (a, g) -> {
            double[] w = new double[C];
            for (int c = 0; c < C; c++) {
                double sumA = 0;
                double sumGA = 0;
                for (int p = 0; p < CELLS; p++) {
                    sumA += a[c * CELLS + p];
                    sumGA += a[c * CELLS + p] * g[c * CELLS + p];
                }
                w[c] = sumGA / (sumA + 1e-7);
            }
            return Cams.relu(Cams.weighted(a, w, CELLS));
        }, false);
    }

    @Test
    void hiResCamMultipliesCellByCell() {
        check(new HiResCam(), (a, g) -> {
            double[] m = new double[CELLS];
            for (int c = 0; c < C; c++) {
                for (int p = 0; p < CELLS; p++) {
                    m[p] += a[c * CELLS + p] * g[c * CELLS + p];
                }
            }
            return Cams.relu(m);
        }, false);
    }

    static double[] layerCam(double[] a, double[] g) {
        double[] m = new double[CELLS];
        for (int c = 0; c < C; c++) {
            for (int p = 0; p < CELLS; p++) {
                m[p] += a[c * CELLS + p] * Math.max(0, g[c * CELLS + p]);
            }
        }
        return Cams.relu(m);
    }

    @Test
    void layerCamKeepsPositiveGradientsCellByCell() {
        check(new LayerCam(), GradientCamTest::layerCam, false);
    }

    @Test
    void gradCamRanksChannelWeightsAndFiltersThem() {
        QuadraticModel model = Cams.model(5, C, H, W, 2);
        Tensor x = TestTensors.random(9, 1, C, H, W);
        double[] a = model.layerValues(x, 0);
        double[] g = model.gradient(a, 0);
        double[] w = new double[C];
        for (int c = 0; c < C; c++) {
            for (int p = 0; p < CELLS; p++) {
                w[c] += g[c * CELLS + p] / CELLS;
            }
        }
        Attribution all = Cams.attribute(new GradCam(), model, x, new int[] {0}, Map.of(), Cams.LAYER, 64);
        List<?> ranked = (List<?>) ((List<?>) all.details().get("channelWeights")).get(0);
        assertThat(ranked).hasSize(C);
        double previous = Double.POSITIVE_INFINITY;
        for (Object o : ranked) {
            Map<?, ?> e = (Map<?, ?>) o;
            float weight = (Float) e.get("weight");
            assertThat(weight).isCloseTo((float) w[(Integer) e.get("channel")], within(1e-5f));
            assertThat((double) weight).isLessThanOrEqualTo(previous);
            previous = weight;
        }
        int best = (Integer) ((Map<?, ?>) ranked.get(0)).get("channel");
        Attribution top = Cams.attribute(new GradCam(), model, x, new int[] {0}, Map.of("top-k", "1", "relu", "false"),
                Cams.LAYER, 64);
        double[] only = new double[C];
        only[best] = w[best];
        assertThat(top.tensors().get(Cams.LAYER).toArray())
                .containsExactly(Cams.floats(Cams.weighted(a, only, CELLS)), within(1e-4f));
        Attribution negative = Cams.attribute(new GradCam(), model, x, new int[] {0},
                Map.of("channels", "negative", "relu", "false"), Cams.LAYER, 64);
        double[] neg = new double[C];
        for (int c = 0; c < C; c++) {
            neg[c] = Math.min(0, w[c]);
        }
        assertThat(negative.tensors().get(Cams.LAYER).toArray())
                .containsExactly(Cams.floats(Cams.weighted(a, neg, CELLS)), within(1e-4f));
        List<?> negRanked = (List<?>) ((List<?>) negative.details().get("channelWeights")).get(0);
        assertThat(negRanked).allSatisfy(e -> assertThat((Float) ((Map<?, ?>) e).get("weight")).isNegative());
    }

    @Test
    void aSoftmaxOutputIsDifferentiatedAtItsLogits() {
        QuadraticModel logits = Cams.model(11, C, H, W, 4);
        QuadraticModel probs = Cams.model(11, C, H, W, 4);
        probs.softmaxOutput(true);
        Tensor x = TestTensors.random(3, 1, C, H, W);
        assertThat(Cams.attribute(new GradCam(), probs, x, new int[] {2}, Map.of(), Cams.LAYER, 64).tensors())
                .isEqualTo(Cams.attribute(new GradCam(), logits, x, new int[] {2}, Map.of(), Cams.LAYER, 64)
                        .tensors());
    }
}
