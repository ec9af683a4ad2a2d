package io.xai4j.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.XaiException;
import org.junit.jupiter.api.Test;

class ScaleTest {
    @Test
    void allIsSymmetricAroundZeroAndClipsOutliers() {
        Scale s = Scale.fit(new float[] {-2, 1, 4, 0}, Sign.ALL, 0);
        assertThat(s.from()).isEqualTo(-4);
        assertThat(s.to()).isEqualTo(4);
        assertThat(s.position(0)).isEqualTo(0.5);
        assertThat(s.significance(s.position(-4))).isEqualTo(1);
        // 50% outliers: m is the median magnitude, 1.5; 4 saturates.
        assertThat(Scale.fit(new float[] {-2, 1, 4, 0}, Sign.ALL, 50).to()).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void oneSidedScalesStartAtZero() {
        Scale positive = Scale.fit(new float[] {-3, 0, 2, 4}, Sign.POSITIVE, 0);
        assertThat(positive.from()).isZero();
        assertThat(positive.to()).isEqualTo(4);
        assertThat(positive.position(-3)).isZero();
        assertThat(positive.rgb(0, Colormap.VIRIDIS)).isEqualTo(Colormap.VIRIDIS.rgb(0));
        Scale negative = Scale.fit(new float[] {-3, 0, 2, 4}, Sign.NEGATIVE, 0);
        assertThat(negative.to()).isEqualTo(-3);
        assertThat(negative.position(-3)).isEqualTo(1);
        assertThat(negative.position(2)).isZero();
        assertThat(Scale.fit(new float[] {-3, 2}, Sign.ABSOLUTE, 0).position(-3)).isEqualTo(1);
    }

    @Test
    void onADivergingPaletteZeroIsThePalettesZero() {
        Scale positive = Scale.fit(new float[] {0, 4}, Sign.POSITIVE, 0);
        assertThat(positive.rgb(0, Colormap.BWR)).isEqualTo(Colormap.BWR.rgb(0.5));
        assertThat(positive.rgb(4, Colormap.BWR)).isEqualTo(0xff0000);
        Scale negative = Scale.fit(new float[] {-4, 0}, Sign.NEGATIVE, 0);
        assertThat(negative.rgb(-4, Colormap.BWR)).isEqualTo(0x0000ff);
    }

    @Test
    void rangeRunsFromTheMinimumToTheMaximum() {
        // RISE on ResNet-18: scores bunched at 0.99..1.13 must still span the palette.
        Scale s = Scale.fit(new float[] {0.99f, 1.05f, 1.13f}, Sign.RANGE, 0);
        assertThat(s.from()).isCloseTo(0.99, within(1e-6));
        assertThat(s.to()).isCloseTo(1.13, within(1e-6));
        assertThat(s.position(1.13f)).isCloseTo(1, within(1e-6));
        assertThat(s.position(0.99f)).isCloseTo(0, within(1e-6));
        assertThat(Scale.fit(new float[] {-5, -5}, Sign.RANGE, 0).position(-5)).isZero();
    }

    @Test
    void signsParseWithTheirNamesInErrors() {
        assertThat(Sign.parse("Absolute")).isEqualTo(Sign.ABSOLUTE);
        assertThat(Sign.parse("absolute_value")).isEqualTo(Sign.ABSOLUTE);
        assertThatThrownBy(() -> Sign.parse("both")).isInstanceOf(XaiException.class)
                .hasMessageContaining("'both'").hasMessageContaining("all, positive, negative, absolute, range");
        assertThat(Reduction.parse("max")).isEqualTo(Reduction.MAX);
        assertThatThrownBy(() -> Reduction.parse("median")).hasMessageContaining("sum, abs-sum, max");
    }
}
