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
import java.util.HashSet;
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

    @Test
    void opaqueOverlayShowsTheColormap() {
        BufferedImage out = Heatmap.overlay(original(8, 8), leftHalf(), null, Colormap.GRAY, Normalization.minMax(), 1);
        assertThat(out.getRGB(0, 3) & 0xFFFFFF).isEqualTo(0xffffff);
        assertThat(out.getRGB(7, 3) & 0xFFFFFF).isEqualTo(0x000000);
        // At the boundary the upsampled map is halfway.
        assertThat(out.getRGB(3, 3) & 0xFF).isBetween(0x70, 0xff);
    }

    @Test
    void alphaBlendsAndZeroAlphaKeepsTheOriginal() {
        BufferedImage img = original(8, 8);
        BufferedImage none = Heatmap.overlay(img, leftHalf(), null, Colormap.GRAY, Normalization.minMax(), 0);
        assertThat(none.getRGB(0, 0)).isEqualTo(img.getRGB(0, 0));
        BufferedImage half = Heatmap.overlay(img, leftHalf(), null, Colormap.GRAY, Normalization.minMax(), 0.5);
        // (0x20 + 0xff) / 2, (0x40 + 0xff) / 2, (0x60 + 0xff) / 2, rounded.
        assertThat(half.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x90a0b0);
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x204060);
    }

    @Test
    void cropBoxPlacesTheMapAndLeavesTheRestAlone() {
        BufferedImage img = original(40, 30);
        CropBox box = new CropBox(10, 5, 20, 20);
        BufferedImage out = Heatmap.overlay(img, Tensor.full(1, 1, 4, 4), box, Colormap.GRAY,
                Normalization.percentile(99), 1);
        assertThat(out.getRGB(9, 15) & 0xFFFFFF).isEqualTo(0x204060);
        assertThat(out.getRGB(10, 15) & 0xFFFFFF).isEqualTo(0xffffff);
        assertThat(out.getRGB(29, 24) & 0xFFFFFF).isEqualTo(0xffffff);
        assertThat(out.getRGB(30, 15) & 0xFFFFFF).isEqualTo(0x204060);
        assertThat(out.getRGB(15, 25) & 0xFFFFFF).isEqualTo(0x204060);
        assertThat(out.getRGB(15, 4) & 0xFFFFFF).isEqualTo(0x204060);
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
        assertThat(colours(img)).contains(0x0000ff, 0xffffff, 0xff0000);
        assertThat(img.getWidth()).isGreaterThan(100);
    }

    @Test
    void plotRejectsImagesAndNonFinite() {
        assertThatThrownBy(() -> Heatmap.plot(Tensor.zeros(2, 3, 4), Colormap.BWR)).isInstanceOf(XaiException.class)
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.SHAPE_MISMATCH);
        assertThatThrownBy(() -> Heatmap.plot(Tensor.of(new float[] {Float.POSITIVE_INFINITY}, 1), Colormap.BWR))
                .isInstanceOf(XaiException.class)
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.NON_FINITE_INPUT);
    }

    @Test
    void styleValidatesAlpha() {
        assertThatThrownBy(() -> HeatmapStyle.of(Colormap.JET, Normalization.minMax(), 1.5))
                .isInstanceOf(XaiException.class).hasMessageContaining("1.5");
        assertThat(HeatmapStyle.of(Colormap.BWR, Normalization.signed(), 0.5).reduction()).isEqualTo(Reduction.SUM);
        assertThat(HeatmapStyle.defaults().reduction()).isEqualTo(Reduction.ABS_SUM);
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
