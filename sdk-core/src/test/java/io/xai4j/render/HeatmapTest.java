package io.xai4j.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.CropBox;
import io.xai4j.image.Images;
import io.xai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import io.xai4j.spi.ValueKind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapTest {
    @TempDir
    Path dir;

    private static BufferedImage original(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 0x204060);
            }
        }
        return img;
    }

    /** [1,4,4] map: left half 1, right half 0. */
    private static Tensor leftHalf() {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i % 4 < 2 ? 1 : 0;
        }
        return Tensor.of(v, 1, 4, 4);
    }

    @Test
    void overlayWritesAPngOfTheOriginalSize() {
        Path file = dir.resolve("overlay.png");
        Heatmap.writeOverlay(original(40, 30), Tensor.full(1, 3, 8, 8), null, HeatmapStyle.defaults(), file);
        BufferedImage read = Images.read(file);
        assertThat(read.getWidth()).isEqualTo(40);
        assertThat(read.getHeight()).isEqualTo(30);
    }

    private static HeatmapStyle style(Colormap colormap, Sign sign, double imageWeight) {
        return HeatmapStyle.defaults().withColormap(colormap).withSign(sign).withOutlierPerc(0)
                .withImageWeight(imageWeight);
    }

    private static BufferedImage overlay(BufferedImage img, Tensor map, CropBox box, HeatmapStyle style,
                                         ValueKind kind) {
        return Heatmap.overlay(img, ScaledMap.of(map, style, kind), box);
    }

    @Test
    void opaqueOverlayShowsTheColormapWhereTheMapIsSignificantAndTheGreyImageElsewhere() {
        BufferedImage out = overlay(original(8, 8), leftHalf(), null, style(Colormap.GRAY, null, 0),
                ValueKind.NON_NEGATIVE);
        assertThat(out.getRGB(0, 3) & 0xFFFFFF).isEqualTo(0xffffff);
        // Zero is no evidence: the image shows, in grey (luminance of 0x204060), not the palette's low end.
        assertThat(out.getRGB(7, 3) & 0xFFFFFF).isEqualTo(0x3a3a3a);
    }

    @Test
    void imageWeightOneKeepsTheImageInGrey() {
        BufferedImage img = original(8, 8);
        BufferedImage none = overlay(img, leftHalf(), null, style(Colormap.GRAY, null, 1), ValueKind.NON_NEGATIVE);
        assertThat(none.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x3a3a3a);
        BufferedImage half = overlay(img, leftHalf(), null, style(Colormap.GRAY, null, 0.5), ValueKind.NON_NEGATIVE);
        assertThat(half.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x9d9d9d);   // (0x3a + 0xff) / 2
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x204060);
    }

    @Test
    void signedMapsDoNotTintTheImageWhereTheyAreZero() {
        float[] v = new float[16];
        v[0] = 1;
        v[15] = -1;
        BufferedImage out = overlay(original(8, 8), Tensor.of(v, 1, 4, 4), null, HeatmapStyle.defaults(),
                ValueKind.SIGNED);
        assertThat(out.getRGB(4, 4) & 0xFFFFFF).isEqualTo(0x3a3a3a);   // grey, not pink
        int positive = out.getRGB(0, 0);
        assertThat(positive >> 16 & 0xFF).isGreaterThan(positive & 0xFF);   // red over blue
        int negative = out.getRGB(7, 7);
        assertThat(negative & 0xFF).isGreaterThan(negative >> 16 & 0xFF);
    }

    @Test
    void cropBoxPlacesTheMapAndLeavesTheRestAlone() {
        BufferedImage img = original(40, 30);
        CropBox box = new CropBox(10, 5, 20, 20);
        BufferedImage out = overlay(img, Tensor.full(1, 1, 4, 4), box, style(Colormap.GRAY, null, 0),
                ValueKind.NON_NEGATIVE);
        assertThat(out.getRGB(9, 15) & 0xFFFFFF).isEqualTo(0x204060);
        assertThat(out.getRGB(10, 15) & 0xFFFFFF).isEqualTo(0xffffff);
        assertThat(out.getRGB(29, 24) & 0xFFFFFF).isEqualTo(0xffffff);
        assertThat(out.getRGB(30, 15) & 0xFFFFFF).isEqualTo(0x204060);
        assertThat(out.getRGB(15, 25) & 0xFFFFFF).isEqualTo(0x204060);
        assertThat(out.getRGB(15, 4) & 0xFFFFFF).isEqualTo(0x204060);
    }

    @Test
    void aOneSidedPlotShowsZeroAtThePalettesLowEnd() {
        Plots.Panel panel = Plots.plot(Tensor.of(new float[] {0, 1, 2, 0, 3, 4}, 2, 3),
                HeatmapStyle.defaults().withOutlierPerc(0), ValueKind.NON_NEGATIVE);
        assertThat(panel.scaled().scale().from()).isZero();
        assertThat(panel.scaled().colormap()).isSameAs(Colormap.VIRIDIS);
        assertThat(colours(panel.image())).contains(Colormap.VIRIDIS.rgb(0), Colormap.VIRIDIS.rgb(1));
        BufferedImage figure = Figure.compose(List.of("title"), panel.image(), panel.scaled());
        assertThat(figure.getWidth()).isGreaterThan(panel.image().getWidth());
        assertThat(colours(figure)).contains(Colormap.VIRIDIS.rgb(0));
    }

    @Test
    void barChartColoursSignsWithADivergingMap() {
        Path file = dir.resolve("bars.png");
        Heatmap.plot(Tensor.of(new float[] {-2, 1, 2, 0.5f}, 1, 4), Colormap.BWR, file);
        Set<Integer> colours = colours(Images.read(file));
        assertThat(colours).contains(0x0000ff, 0xff0000);
    }

    @Test
    void gridShowsEachCellColour() {
        BufferedImage img = Heatmap.plot(Tensor.of(new float[] {-1, 0, 1, 1, 0, -1}, 2, 3), Colormap.BWR);
        assertThat(colours(img)).contains(0x0000ff, Colormap.BWR.rgb(0.5), 0xff0000);
        assertThat(img.getWidth()).isGreaterThan(100);
    }

    @Test
    void plotRejectsImagesAndNonFinite() {
        assertThatThrownBy(() -> Heatmap.plot(Tensor.zeros(2, 2, 3, 4), Colormap.BWR)).isInstanceOf(XaiException.class)
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.SHAPE_MISMATCH);
        assertThatThrownBy(() -> Heatmap.plot(Tensor.of(new float[] {Float.POSITIVE_INFINITY}, 1), Colormap.BWR))
                .isInstanceOf(XaiException.class)
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.NON_FINITE_INPUT);
    }

    @Test
    void styleValidatesItsNumbersAndResolvesByMeaning() {
        assertThatThrownBy(() -> HeatmapStyle.defaults().withImageWeight(1.5))
                .isInstanceOf(XaiException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> HeatmapStyle.defaults().withOutlierPerc(60))
                .isInstanceOf(XaiException.class).hasMessageContaining("60");
        HeatmapStyle signed = HeatmapStyle.defaults().resolve(ValueKind.SIGNED, new float[] {-1, 2});
        assertThat(signed.sign()).isEqualTo(Sign.ALL);
        assertThat(signed.colormap()).isSameAs(Colormap.BWR);
        assertThat(HeatmapStyle.defaults().resolve(ValueKind.SIGNED, new float[] {0, 2}).sign()).isEqualTo(Sign.POSITIVE);
        assertThat(HeatmapStyle.defaults().resolve(ValueKind.SCORE, new float[] {-1, 2}).sign()).isEqualTo(Sign.RANGE);
        assertThat(HeatmapStyle.defaults().withSign(Sign.NEGATIVE).resolve(ValueKind.SCORE, new float[] {1}).sign())
                .isEqualTo(Sign.NEGATIVE);
    }

    private static Set<Integer> colours(BufferedImage img) {
        Set<Integer> out = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                out.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return out;
    }
}
