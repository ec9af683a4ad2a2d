package io.xai4j.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.XaiException;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    @Test
    void minMax() {
        assertThat(Normalization.minMax().apply(new float[] {-1, 0, 3})).containsExactly(0f, 0.25f, 1f);
        assertThat(Normalization.minMax().apply(new float[] {2, 2})).containsExactly(0f, 0f);
    }

    @Test
    void percentileClipsAbsoluteValues() {
        // |v| sorted: 1 2 3 4 8, median 3.
        float[] out = Normalization.percentile(50).apply(new float[] {1, 2, 3, 4, -8});
        assertThat(out).containsExactly(new float[] {1 / 3f, 2 / 3f, 1, 1, 1}, within(1e-6f));
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        assertThat(Normalization.absPercentile(new float[] {4, 1, -3, 2}, 99)).isCloseTo(3.97, within(1e-9));
        assertThat(Normalization.absPercentile(new float[] {5}, 99)).isEqualTo(5);
    }

    @Test
    void signedIsSymmetricAroundZero() {
        assertThat(Normalization.signed().apply(new float[] {-2, 1, 4, 0}))
                .containsExactly(new float[] {0.25f, 0.625f, 1f, 0.5f}, within(1e-6f));
        // |v| sorted 1 2 4: median 2, so -2 -> 0 and 4 saturates.
        assertThat(Normalization.signed(50).apply(new float[] {-2, 1, 4}))
                .containsExactly(new float[] {0f, 0.75f, 1f}, within(1e-6f));
        assertThat(Normalization.signed().apply(new float[] {0, 0})).containsExactly(0.5f, 0.5f);
    }

    @Test
    void doesNotModifyItsInput() {
        float[] in = {3, -1};
        Normalization.minMax().apply(in);
        assertThat(in).containsExactly(3f, -1f);
    }

    @Test
    void parse() {
        assertThat(Normalization.parse("minmax")).isEqualTo(Normalization.minMax());
        assertThat(Normalization.parse("percentile")).isEqualTo(Normalization.percentile(99));
        assertThat(Normalization.parse("percentile:95")).isEqualTo(Normalization.percentile(95));
        assertThat(Normalization.parse("signed")).isEqualTo(Normalization.signed());
        assertThat(Normalization.parse("SIGNED:99.5")).isEqualTo(Normalization.signed(99.5));
        assertThat(Normalization.parse(Normalization.percentile(90).toString())).isEqualTo(Normalization.percentile(90));
        assertThatThrownBy(() -> Normalization.parse("zscore")).isInstanceOf(XaiException.class)
                .hasMessageContaining("minmax, percentile[:P]");
        assertThatThrownBy(() -> Normalization.parse("percentile:abc")).isInstanceOf(XaiException.class);
        assertThatThrownBy(() -> Normalization.parse("percentile:0")).isInstanceOf(XaiException.class);
    }
}
