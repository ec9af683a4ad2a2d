package io.xai4j.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.image.Layout;
import io.xai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MapAgreementTest {
    @Test
    void scaledCopiesAgreeFullyAndOppositesDisagree() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor scaled = Tensor.of(new float[] {10, 20, 30, 40}, 1, 1, 2, 2);
        Tensor flipped = Tensor.of(new float[] {4, 3, 2, 1}, 1, 1, 2, 2);
        assertThat(MapAgreement.correlation(a, scaled, Layout.NCHW)).isCloseTo(1.0, within(1e-9));
        assertThat(MapAgreement.correlation(a, flipped, Layout.NCHW)).isCloseTo(-1.0, within(1e-9));
    }

    @Test
    void mapsOfDifferentSizesAreComparedAtTheLargerSize() {
        Tensor coarse = Tensor.of(new float[] {0, 1, 0, 1}, 1, 1, 2, 2);
        Tensor fine = Tensor.zeros(1, 1, 4, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 2; x < 4; x++) {
                fine.set(y * 4 + x, 1);
            }
        }
        assertThat(MapAgreement.correlation(coarse, fine, Layout.NCHW)).isGreaterThan(0.85);
        assertThat(MapAgreement.correlation(fine, coarse, Layout.NCHW))
                .isEqualTo(MapAgreement.correlation(coarse, fine, Layout.NCHW));
    }

    @Test
    void equalShapesOfAnyRankAreComparedElementwise() {
        Tensor a = Tensor.of(new float[] {1, 0, 2}, 3);
        Tensor b = Tensor.of(new float[] {2, 0, 4}, 3);
        assertThat(MapAgreement.correlation(a, b, Layout.NCHW)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void constantMapsHaveNoCorrelation() {
        assertThat(MapAgreement.pearson(new float[] {1, 1, 1}, new float[] {1, 2, 3})).isZero();
    }
}
