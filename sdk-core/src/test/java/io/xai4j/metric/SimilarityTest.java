package io.xai4j.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimilarityTest {
    @Test
    void spearmanMatchesScipyWithTies() {
        double[] a = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
        double[] b = {2, 7, 1, 8, 2, 8, 1, 8, 2, 8};
        assertThat(Similarity.spearman(a, b)).isCloseTo(0.13471506281091267, within(1e-12));   // scipy.stats.spearmanr
        double[] cubed = new double[a.length];
        double[] negated = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            cubed[i] = a[i] * a[i] * a[i];
            negated[i] = -a[i];
        }
        assertThat(Similarity.spearman(a, cubed)).isCloseTo(1, within(1e-12));
        assertThat(Similarity.spearman(a, negated)).isCloseTo(-1, within(1e-12));
    }

    @Test
    void ssimIsOneForEqualMapsAndFollowsTheWindowedFormula() {
        SplittableRandom r = new SplittableRandom(4);
        int h = 9;
        int w = 10;
        double[] a = new double[h * w];
        double[] b = new double[h * w];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble();
            b[i] = 0.5 * a[i] + 0.5 * r.nextDouble();
        }
        assertThat(Similarity.ssim(a, a, h, w, 1)).isCloseTo(1, within(1e-12));
        double sum = 0;
        int windows = 0;
        for (int y = 0; y + 7 <= h; y++) {
            for (int x = 0; x + 7 <= w; x++) {
                double ma = 0;
                double mb = 0;
                for (int i = 0; i < 7; i++) {
                    for (int j = 0; j < 7; j++) {
                        ma += a[(y + i) * w + x + j] / 49;
                        mb += b[(y + i) * w + x + j] / 49;
                    }
                }
                double va = 0;
                double vb = 0;
                double cov = 0;
                for (int i = 0; i < 7; i++) {
                    for (int j = 0; j < 7; j++) {
                        double u = a[(y + i) * w + x + j] - ma;
                        double v = b[(y + i) * w + x + j] - mb;
                        va += u * u / 48;
                        vb += v * v / 48;
                        cov += u * v / 48;
                    }
                }
                double c1 = 1e-4;
                double c2 = 9e-4;
                sum += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
                windows++;
            }
        }
        assertThat(Similarity.ssim(a, b, h, w, 1)).isCloseTo(sum / windows, within(1e-12));
        assertThat(sum / windows).isBetween(0.1, 0.99);
    }
}
