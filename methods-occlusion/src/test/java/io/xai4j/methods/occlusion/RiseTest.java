package io.xai4j.methods.occlusion;

import static io.xai4j.methods.occlusion.Fixtures.classes;
import static io.xai4j.testing.TestTensors.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Attribution;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.models.QuadraticModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RiseTest {
    private final Rise rise = new Rise();

    private Tensor run(QuadraticModel model, long seed, Tensor x, Map<String, String> parameters) {
        return Fixtures.run(rise, model, 64, seed, x, classes(0), parameters).tensors().get("x");
    }

    @Test
    void theSameSeedGivesTheSameResultAndAnotherSeedDoesNot() {
        QuadraticModel model = QuadraticModel.randomLinear(1, 2, 3, 12, 12);
        Tensor x = random(2, 1, 3, 12, 12);
        Map<String, String> parameters = Map.of("masks", "40", "cell", "4");

        Tensor first = run(model, 7, x, parameters);
        Tensor again = run(model, 7, x, parameters);
        Tensor other = run(model, 8, x, parameters);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void matchesTheScoreWeightedAverageOfItsMasks() {
        QuadraticModel model = QuadraticModel.randomLinear(3, 2, 2, 6, 10);
        Tensor x = random(4, 1, 2, 6, 10);
        Tensor baseline = Tensor.full(0.25f, 2, 6, 10);
        int masks = 25;
        double p = 0.3;

        Tensor actual = run(model, 11, x, Map.of("masks", "25", "cell", "3", "p", "0.3", "baseline", "0.25"));

        RiseMasks expectedMasks = RiseMasks.random(masks, 3, p, 6, 10, new SplittableRandom(11));
        double[] saliency = new double[60];
        float[] mask = new float[60];
        for (int i = 0; i < masks; i++) {
            expectedMasks.render(i, mask);
            double score = model.forward(Map.of("x", masked(x.row(0), baseline, mask).unsqueeze0()),
                    Set.of("y")).get("y").get(0);
            for (int q = 0; q < 60; q++) {
                saliency[q] += score * mask[q];
            }
        }
        for (int c = 0; c < 2; c++) {
            for (int q = 0; q < 60; q++) {
                assertThat(actual.get(c * 60 + q)).as("channel %d pixel %d", c, q)
                        .isCloseTo((float) (saliency[q] / (masks * p)), within(1e-4f));
            }
        }
    }

    private static Tensor masked(Tensor example, Tensor baseline, float[] mask) {
        Tensor out = Tensor.zeros(example.shape());
        for (int e = 0; e < out.size(); e++) {
            float m = mask[e % mask.length];
            out.set(e, example.get(e) * m + baseline.get(e) * (1 - m));
        }
        return out;
    }

    @Test
    void masksAreSmoothCroppedUpsamplesOfABinaryGrid() {
        RiseMasks masks = RiseMasks.random(50, 4, 0.5, 16, 16, new SplittableRandom(3));
        float[] mask = new float[256];
        boolean sawZero = false;
        boolean sawOne = false;
        for (int i = 0; i < masks.count(); i++) {
            masks.render(i, mask);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    float m = mask[y * 16 + x];
                    assertThat(m).isBetween(0f, 1f);
                    sawZero |= m == 0f;
                    sawOne |= m == 1f;
                    if (x > 0) {
                        // cells upsampled to 5 pixels: neighbours differ by at most 1/5 (plus rounding)
                        assertThat(Math.abs(m - mask[y * 16 + x - 1])).isLessThanOrEqualTo(0.2f + 1e-6f);
                    }
                }
            }
        }
        assertThat(sawZero).isTrue();
        assertThat(sawOne).isTrue();
    }

    @Test
    void putsTheSaliencyWhereTheScoreComesFrom() {
        int size = 16;
        double[][] w = new double[1][size * size];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                w[0][y * size + x] = 1;
            }
        }
        QuadraticModel model = QuadraticModel.of(w, new double[1][size * size], new double[] {0}, size, size);
        Tensor ones = Tensor.full(1f, 1, size, size);

        Tensor saliency = run(model, 5, ones, Map.of("masks", "400", "cell", "4"));

        double inside = 0;
        double farCorner = 0;
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                inside += saliency.at(0, y, x);
                farCorner += saliency.at(0, y + 12, x + 12);
            }
        }
        assertThat(inside).isGreaterThan(1.3 * farCorner);
        int best = 0;
        for (int e = 1; e < saliency.size(); e++) {
            best = saliency.get(e) > saliency.get(best) ? e : best;
        }
        assertThat(best / size).as("row of the maximum").isLessThan(4);
        assertThat(best % size).as("column of the maximum").isLessThan(4);
    }

    @Test
    void channelsLastExamplesAreMaskedOverTheirFirstTwoAxes() {
        QuadraticModel model = QuadraticModel.randomLinear(6, 2, 8, 8, 3);
        Tensor x = random(7, 1, 8, 8, 3);

        Tensor a = run(model, 1, x, Map.of("masks", "10", "cell", "2"));

        for (int y = 0; y < 8; y++) {
            for (int xx = 0; xx < 8; xx++) {
                assertThat(a.at(0, y, xx, 1)).isEqualTo(a.at(0, y, xx, 0));
                assertThat(a.at(0, y, xx, 2)).isEqualTo(a.at(0, y, xx, 0));
            }
        }
    }

    @Test
    void batchesMasksAndReportsTheSettings() {
        QuadraticModel model = QuadraticModel.randomLinear(8, 2, 8, 8);

        Attribution result = Fixtures.run(rise, model, 8, 9, random(9, 1, 8, 8), classes(1), Map.of("masks", "20"));

        assertThat(model.forwardBatches()).containsExactly(8, 8, 4);
        assertThat(result.details()).containsEntry("masks", 20).containsEntry("p", 0.5).containsEntry("cell", 7)
                .containsEntry("seed", 9L).containsEntry("forwardCalls", 3L);
    }

    @Test
    void rejectsOneDimensionalExamplesAndBadParameters() {
        QuadraticModel flat = QuadraticModel.randomLinear(10, 2, 8);
        assertThatThrownBy(() -> run(flat, 0, random(11, 1, 8), Map.of()))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("two spatial axes").hasMessageContaining("[8]");

        QuadraticModel model = QuadraticModel.randomLinear(12, 2, 4, 4);
        for (Map<String, String> bad : List.of(Map.of("p", "0"), Map.of("masks", "0"), Map.of("cell", "0"),
                Map.of("p", "1.5"))) {
            assertThatThrownBy(() -> run(model, 0, random(13, 1, 4, 4), bad))
                    .isInstanceOfSatisfying(XaiException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                    .hasMessageContaining(bad.keySet().iterator().next());
        }
    }
}
