package io.xai4j.methods.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Attribution;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import io.xai4j.testing.models.QuadraticModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CAMs that need no gradients, against their formulas on {@link QuadraticModel}. */
class ForwardCamTest {
    static final int C = 3;
    static final int H = 4;
    static final int W = 4;
    static final int CELLS = H * W;

    @Test
    void activationMapIsTheChannelMean() {
        QuadraticModel model = Cams.model(1, C, H, W, 2);
        Tensor x = TestTensors.random(2, 2, C, H, W);
        Tensor maps = Cams.attribute(new ActivationMap(), model, x, new int[] {0, 1}, Map.of(), Cams.LAYER, 64)
                .tensors().get(Cams.LAYER);
        for (int n = 0; n < 2; n++) {
            double[] a = model.layerValues(x, n);
            double[] mean = Cams.weighted(a, new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3}, CELLS);
            assertThat(maps.row(n).toArray()).containsExactly(Cams.floats(mean), within(1e-5f));
        }
    }

    @Test
    void eigenCamOfARankOneLayerIsItsSpatialFactorSignedToAPositiveSum() {
        // A[c,p] = s[p] * t[c]: the first right singular vector is t / |t|, the projection s |t|
        double[] s = new double[CELLS];
        for (int p = 0; p < CELLS; p++) {
            s[p] = (p % 5) - 1.5;
        }
        double[] t = {-0.5, -1.0, -2.0};
        Tensor x = Tensor.zeros(1, C, H, W);
        for (int c = 0; c < C; c++) {
            for (int p = 0; p < CELLS; p++) {
                x.set(c * CELLS + p, (float) ((s[p] * t[c] - 0.5) / 2));
            }
        }
        double norm = Math.sqrt(0.25 + 1 + 4);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        double[] expected = new double[CELLS];
        for (int p = 0; p < CELLS; p++) {
            expected[p] = Math.max(0, Math.signum(sum) * s[p] * norm);
        }
        Attribution result = Cams.attribute(new EigenCam(), Cams.model(1, C, H, W, 2), x, new int[] {0},
                Map.of(), Cams.LAYER, 64);
        assertThat(result.tensors().get(Cams.LAYER).toArray()).containsExactly(Cams.floats(expected),
                within(1e-4f));
        assertThat((Float) ((List<?>) result.details().get("firstComponentShare")).get(0)).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void bilinearResizingMatchesPyTorchHalfPixelCentres() {
        float[] out = new float[16];
        new Bilinear(2, 2, 4, 4).resize(new float[] {9, 1, 2, 3, 4}, 1, out);
        // torch.nn.functional.interpolate(torch.tensor([[[[1., 2.], [3., 4.]]]]), size=4, mode="bilinear")
        assertThat(out).containsExactly(new float[] {1f, 1.25f, 1.75f, 2f, 1.5f, 1.75f, 2.25f, 2.5f,
                2.5f, 2.75f, 3.25f, 3.5f, 3f, 3.25f, 3.75f, 4f}, within(1e-6f));
        float[] down = new float[1];
        new Bilinear(2, 2, 1, 1).resize(new float[] {1, 2, 3, 4}, 0, down);
        assertThat(down[0]).isEqualTo(2.5f);
    }

    @Test
    void scoreCamWeightsChannelsByTheSoftmaxScoreOfTheMaskedInput() {
        for (boolean softmaxModel : new boolean[] {false, true}) {
            QuadraticModel model = Cams.model(4, C, H, W, 3);
            model.softmaxOutput(softmaxModel);
            Tensor x = TestTensors.random(6, 2, C, H, W);
            int[] classes = {2, 0};
            Attribution result = Cams.attribute(new ScoreCam(), model, x, classes, Map.of(), Cams.LAYER, 2);
            assertThat(result.details().get("softmaxApplied")).isEqualTo(!softmaxModel);
            QuadraticModel plain = Cams.model(4, C, H, W, 3);
            for (int n = 0; n < 2; n++) {
                double[] a = model.layerValues(x, n);
                double[] w = new double[C];
                for (int k = 0; k < C; k++) {
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int p = 0; p < CELLS; p++) {
                        min = Math.min(min, a[k * CELLS + p]);
                        max = Math.max(max, a[k * CELLS + p]);
                    }
                    Tensor masked = x.rows(n, n + 1).copy();
                    for (int c = 0; c < C; c++) {
                        for (int p = 0; p < CELLS; p++) {
                            double mask = (a[k * CELLS + p] - min) / (max - min);
                            masked.set(c * CELLS + p, (float) (masked.get(c * CELLS + p) * mask));
                        }
                    }
                    double[] am = plain.layerValues(masked, 0);
                    double z = 0;
                    double target = 0;
                    for (int j = 0; j < 3; j++) {
                        z += Math.exp(plain.logit(am, j));
                        target = j == classes[n] ? Math.exp(plain.logit(am, j)) : target;
                    }
                    w[k] = target / z;
                }
                assertThat(result.tensors().get(Cams.LAYER).row(n).toArray()).as("softmax model " + softmaxModel)
                        .containsExactly(Cams.floats(Cams.relu(Cams.weighted(a, w, CELLS))), within(1e-4f));
            }
        }
    }

    @Test
    void scoreCamNeedsAnImageInput() {
        assertThat(ScoreCam.looksLikeProbabilities(Tensor.of(new float[] {0.2f, 0.8f}, 2))).isTrue();
        assertThat(ScoreCam.looksLikeProbabilities(Tensor.of(new float[] {1.2f, -0.2f}, 2))).isFalse();
        assertThat(ScoreCam.softmaxLastAxis(Tensor.of(new float[] {0, (float) Math.log(3)}, 2)).toArray())
                .containsExactly(new float[] {0.25f, 0.75f}, within(1e-6f));
    }

    @Test
    void ablationCamZeroesEachChannelAndRunsOnlyTheTailInBatches() {
        for (boolean tokens : new boolean[] {false, true}) {
            QuadraticModel model = Cams.model(8, C, H, W, 3);
            model.tokenLayer(tokens);
            Tensor x = TestTensors.random(12, 2, C, H, W);
            int[] classes = {1, 2};
            Attribution result = Cams.attribute(new AblationCam(), model, x, classes, Map.of(), Cams.LAYER, 64);
            assertThat(model.tailBatches()).as("one tail call per example, all channels and the original")
                    .containsExactly(C + 1, C + 1);
            assertThat(result.details().get("tailEvaluations")).isEqualTo(2L * (C + 1));
            for (int n = 0; n < 2; n++) {
                double[] a = model.layerValues(x, n);
                double score = model.logit(a, classes[n]);
                double[] w = new double[C];
                for (int k = 0; k < C; k++) {
                    double[] ablated = a.clone();
                    for (int p = 0; p < CELLS; p++) {
                        ablated[k * CELLS + p] = 0;
                    }
                    w[k] = (score - model.logit(ablated, classes[n])) / score;
                }
                assertThat(result.tensors().get(Cams.LAYER).row(n).toArray()).as("tokens " + tokens)
                        .containsExactly(Cams.floats(Cams.relu(Cams.weighted(a, w, CELLS))), within(1e-4f));
            }
        }
    }

    @Test
    void camReadsTheClassifierWeightsAfterGlobalAveragePooling() {
        float[][] weights = {{0.5f, -1f, 2f}, {-0.25f, 1.5f, 0.75f}};
        for (boolean softmax : new boolean[] {false, true}) {
            QuadraticModel model = Cams.gapLinear(weights, new double[] {0.1, -0.2}, H, W);
            model.softmaxOutput(softmax);
            Tensor x = TestTensors.random(4, 2, C, H, W);
            Attribution result = Cams.attribute(new ClassActivationMap(), model, x, new int[] {0, 1}, Map.of(),
                    Cams.LAYER, 64);
            for (int n = 0; n < 2; n++) {
                double[] w = {weights[n][0], weights[n][1], weights[n][2]};
                double[] a = model.layerValues(x, n);
                double[] map = Cams.weighted(a, w, CELLS);
                double mean = 0;
                for (double v : map) {
                    mean += v / CELLS;
                }
                assertThat(mean).as("mean of the map is the logit minus the bias")
                        .isCloseTo(model.logit(a, n) - model.bias(n), within(1e-6));
                assertThat(result.tensors().get(Cams.LAYER).row(n).toArray())
                        .containsExactly(Cams.floats(Cams.relu(map)), within(1e-5f));
            }
        }
    }

    @Test
    void camOnAModelWithoutPoolingAndLinearHeadSuggestsGradCam() {
        QuadraticModel noGraph = Cams.model(1, C, H, W, 2);
        assertThatThrownBy(() -> Cams.attribute(new ClassActivationMap(), noGraph, TestTensors.random(1, 1, C, H, W),
                new int[] {0}, Map.of(), Cams.LAYER, 64))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_CAPABILITY))
                .hasMessageContaining("grad-cam");
        QuadraticModel gap = Cams.gapLinear(new float[][] {{1, 2, 3}}, new double[] {0}, H, W);
        assertThatThrownBy(() -> Cams.attribute(new ClassActivationMap(), gap, TestTensors.random(1, 1, C, H, W),
                new int[] {0}, Map.of(), "pooled", 64))
                .isInstanceOf(RuntimeException.class);
    }
}
