package io.xai4j.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ColormapTest {
    @Test
    void endpointsMatchMatplotlib() {
        assertThat(Colormap.VIRIDIS.rgb(0)).isEqualTo(0x440154);
        assertThat(Colormap.VIRIDIS.rgb(1)).isEqualTo(0xfde725);
        assertThat(Colormap.VIRIDIS.rgb(0.5)).isEqualTo(0x21918c);
        assertThat(Colormap.MAGMA.rgb(0)).isEqualTo(0x000004);
        assertThat(Colormap.MAGMA.rgb(1)).isEqualTo(0xfcfdbf);
        assertThat(Colormap.JET.rgb(0)).isEqualTo(0x000080);
        assertThat(Colormap.JET.rgb(1)).isEqualTo(0x800000);
        assertThat(Colormap.BWR.rgb(0)).isEqualTo(0x0000ff);
        assertThat(Colormap.BWR.rgb(0.5)).isEqualTo(0xffffff);
        assertThat(Colormap.BWR.rgb(1)).isEqualTo(0xff0000);
        assertThat(Colormap.GRAY.rgb(0.5)).isEqualTo(0x808080);
    }

    @Test
    void betweenAnchorsStaysCloseToTheFullTables() {
        // matplotlib table entries 100 and 200 (of 256), scaled to 0..255.
        assertClose(Colormap.VIRIDIS.rgb(100 / 255.0), 42.5, 118.2, 142.3);
        assertClose(Colormap.VIRIDIS.rgb(200 / 255.0), 112.2, 206.8, 86.9);
        assertClose(Colormap.MAGMA.rgb(60 / 255.0), 74.3, 16.5, 121.2);
        assertClose(Colormap.MAGMA.rgb(200 / 255.0), 253.2, 151.7, 104.6);
    }

    @Test
    void jetIsGreenInTheMiddle() {
        int c = Colormap.JET.rgb(0.5);
        assertThat((c >> 8) & 0xFF).isEqualTo(255);
        assertThat((c >> 16) & 0xFF).isBetween(118, 130);
        assertThat(c & 0xFF).isBetween(118, 130);
    }

    @Test
    void clampsOutOfRangeValues() {
        assertThat(Colormap.VIRIDIS.rgb(-3)).isEqualTo(Colormap.VIRIDIS.rgb(0));
        assertThat(Colormap.VIRIDIS.rgb(7)).isEqualTo(Colormap.VIRIDIS.rgb(1));
    }

    @Test
    void lookupByName() {
        assertThat(Colormap.named("Magma")).isSameAs(Colormap.MAGMA);
        assertThat(Colormap.names()).containsExactly("viridis", "magma", "jet", "bwr", "gray");
        assertThatThrownBy(() -> Colormap.named("rainbow")).isInstanceOf(XaiException.class)
                .hasMessageContaining("rainbow").hasMessageContaining("viridis, magma, jet, bwr, gray")
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    private static void assertClose(int rgb, double r, double g, double b) {
        assertThat((double) ((rgb >> 16) & 0xFF)).isCloseTo(r, Offset.offset(2.5));
        assertThat((double) ((rgb >> 8) & 0xFF)).isCloseTo(g, Offset.offset(2.5));
        assertThat((double) (rgb & 0xFF)).isCloseTo(b, Offset.offset(2.5));
    }
}
