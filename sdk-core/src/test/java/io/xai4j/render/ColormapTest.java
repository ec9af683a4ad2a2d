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
        assertClose(Colormap.VIRIDIS.rgb(0.5), 0x21, 0x91, 0x8c);
        assertThat(Colormap.MAGMA.rgb(0)).isEqualTo(0x000004);
        assertThat(Colormap.MAGMA.rgb(1)).isEqualTo(0xfcfdbf);
        assertThat(Colormap.JET.rgb(0)).isEqualTo(0x000080);
        assertThat(Colormap.JET.rgb(1)).isEqualTo(0x800000);
        assertThat(Colormap.BWR.rgb(0)).isEqualTo(0x0000ff);
        assertClose(Colormap.BWR.rgb(0.5), 255, 255, 255);
        assertThat(Colormap.BWR.rgb(1)).isEqualTo(0xff0000);
        assertClose(Colormap.GRAY.rgb(0.5), 128, 128, 128);
        assertThat(Colormap.INFERNO.rgb(1)).isEqualTo(0xfcffa4);
        assertThat(Colormap.SEISMIC.rgb(0)).isEqualTo(0x00004c);
        assertThat(Colormap.RDBU.rgb(0)).isEqualTo(0x67001f);
        assertThat(Colormap.GIST_EARTH.rgb(0)).isEqualTo(0x000000);
    }

    @Test
    void matchesMatplotlibsTables() {
        // matplotlib's entries at 100/255 and 200/255, scaled to 0..255.
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
        assertThat(Colormap.named("rdbu")).isSameAs(Colormap.RDBU);
        assertThat(Colormap.names()).containsExactly("viridis", "magma", "inferno", "jet", "gist_earth", "gray", "bwr",
                "seismic", "RdBu");
        assertThat(Colormap.names().stream().filter(n -> Colormap.named(n).diverging()))
                .containsExactly("bwr", "seismic", "RdBu");
        assertThatThrownBy(() -> Colormap.named("rainbow")).isInstanceOf(XaiException.class)
                .hasMessageContaining("rainbow").hasMessageContaining("viridis, magma, inferno, jet")
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    private static void assertClose(int rgb, double r, double g, double b) {
        assertThat((double) ((rgb >> 16) & 0xFF)).isCloseTo(r, Offset.offset(2.5));
        assertThat((double) ((rgb >> 8) & 0xFF)).isCloseTo(g, Offset.offset(2.5));
        assertThat((double) (rgb & 0xFF)).isCloseTo(b, Offset.offset(2.5));
    }
}
