package io.xai4j.metric.faithfulness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.family.perturbation.FeatureGroups;
import io.xai4j.metric.FeatureRanking;
import io.xai4j.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ROAD's noisy linear imputation against its definition. */
class RoadTest {
    private static final int C = 3;
    private static final int H = 8;
    private static final int W = 8;

    private static FeatureRanking pixelsRankedBy(double[] pixelRelevance) {
        double[] relevance = new double[C * H * W];
        for (int e = 0; e < relevance.length; e++) {
            relevance[e] = pixelRelevance[e % (H * W)];
        }
        return FeatureRanking.of(relevance, FeatureGroups.grid(new int[] {C, 1, 1}, new int[] {C, H, W}), true);
    }

    private static Tensor impute(Tensor example, FeatureRanking ranking, int count) {
        Tensor row = example.copy();
        new Road().fill(row, example, null, ranking, count, new SplittableRandom(1));
        return row;
    }

    @Test
    void aRemovedPixelTakesTheWeightedMeanOfItsNeighbours() {
        SplittableRandom random = new SplittableRandom(2);
        Tensor x = Tensor.zeros(C, H, W);
        for (int e = 0; e < x.size(); e++) {
            x.set(e, (float) random.nextDouble(-1, 1));
        }
        double[] relevance = new double[H * W];
        relevance[3 * W + 4] = 1;
        Tensor row = impute(x, pixelsRankedBy(relevance), 1);
        for (int c = 0; c < C; c++) {
            double expected = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    if (dy != 0 || dx != 0) {
                        expected += x.at(c, 3 + dy, 4 + dx) * (dy == 0 || dx == 0 ? 1.0 / 6 : 1.0 / 12);
                    }
                }
            }
            assertThat((double) row.at(c, 3, 4)).isCloseTo(expected, within(4 * Road.NOISE));
            assertThat(row.at(c, 3, 5)).isEqualTo(x.at(c, 3, 5));
        }
    }

    @Test
    void aRemovedBlockOfARampIsTheRampAgain() {
        Tensor x = Tensor.zeros(C, H, W);
        for (int c = 0; c < C; c++) {
            for (int y = 0; y < H; y++) {
                for (int xx = 0; xx < W; xx++) {
                    x.set(x.flatIndex(c, y, xx), (float) (0.3 * y - 0.2 * xx + c));
                }
            }
        }
        double[] relevance = new double[H * W];
        for (int y = 2; y < 6; y++) {
            for (int xx = 2; xx < 6; xx++) {
                relevance[y * W + xx] = 1;
            }
        }
        Tensor row = impute(x, pixelsRankedBy(relevance), 16);
        for (int e = 0; e < x.size(); e++) {
            assertThat((double) row.get(e)).isCloseTo(x.get(e), within(5 * Road.NOISE));
        }
        Tensor other = impute(x, pixelsRankedBy(relevance), 16);
        assertThat(other.toArray()).containsExactly(row.toArray());   // seeded
    }
}
