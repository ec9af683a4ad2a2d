package io.xai4j.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
    @TempDir
    Path dir;

    private static BufferedImage sample() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int[] colors = {0xff0000, 0x00ff00, 0x0000ff, 0x102030, 0xfefdfc, 0x000000};
        for (int i = 0; i < colors.length; i++) {
            img.setRGB(i % 3, i / 3, colors[i]);
        }
        return img;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void pngRoundTripIsExact() {
        Path file = dir.resolve("a.png");
        Png.writeAtomically(sample(), file);
        BufferedImage read = Images.read(file);
        assertThat(read.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(pixels(read)).containsExactly(pixels(sample()));
    }

    @Test
    void bmpRoundTripIsExact() throws IOException {
        Path file = dir.resolve("a.bmp");
        assertThat(ImageIO.write(sample(), "bmp", file.toFile())).isTrue();
        assertThat(pixels(Images.read(file))).containsExactly(pixels(sample()));
    }

    @Test
    void jpegRoundTripIsClose() throws IOException {
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 256; i++) {
            img.setRGB(i % 16, i / 16, 0x4080c0);
        }
        Path file = dir.resolve("a.jpg");
        assertThat(ImageIO.write(img, "jpeg", file.toFile())).isTrue();
        BufferedImage read = Images.read(file);
        assertThat(read.getWidth()).isEqualTo(16);
        int p = read.getRGB(7, 7);
        assertThat((p >> 16) & 0xFF).isCloseTo(0x40, org.assertj.core.data.Offset.offset(4));
        assertThat((p >> 8) & 0xFF).isCloseTo(0x80, org.assertj.core.data.Offset.offset(4));
        assertThat(p & 0xFF).isCloseTo(0xc0, org.assertj.core.data.Offset.offset(4));
    }

    @Test
    void grayscaleKeepsItsValues() throws IOException {
        BufferedImage gray = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 255});
        Path file = dir.resolve("g.png");
        ImageIO.write(gray, "png", file.toFile());
        assertThat(pixels(Images.read(file))).containsExactly(0xff000000, 0xff646464, 0xffffffff);
    }

    @Test
    void paletteImageBecomesRgb() throws IOException {
        IndexColorModel palette = new IndexColorModel(1, 2, new byte[] {10, (byte) 200}, new byte[] {20, 0},
                new byte[] {30, 50});
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        img.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {1, 0});
        Path file = dir.resolve("p.png");
        ImageIO.write(img, "png", file.toFile());
        assertThat(pixels(Images.read(file))).containsExactly(0xffc80032, 0xff0a141e);
    }

    @Test
    void alphaIsDroppedKeepingColour() throws IOException {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x80112233);
        Path file = dir.resolve("alpha.png");
        ImageIO.write(img, "png", file.toFile());
        assertThat(Images.read(file).getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x112233);
    }

    @Test
    void missingFileIsInvalidInput() {
        Path file = dir.resolve("nope.png");
        assertThatThrownBy(() -> Images.read(file)).isInstanceOf(XaiException.class)
                .hasMessageContaining("nope.png")
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT);
    }

    @Test
    void aTruncatedBmpSaysItsDataEndsEarly() throws IOException {
        Path good = dir.resolve("a.bmp");
        assertThat(ImageIO.write(sample(), "bmp", good.toFile())).isTrue();
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.bmp"), Arrays.copyOf(bytes, bytes.length / 10 + 54));
        assertThatThrownBy(() -> Images.read(cut)).isInstanceOf(XaiException.class)
                .hasMessageContaining("cut.bmp: cannot decode it (the data ends early)")
                .hasMessageNotContaining("null");
    }

    @Test
    void garbageIsCorruptFile() throws IOException {
        Path file = Files.write(dir.resolve("bad.png"), "definitely not an image".getBytes());
        assertThatThrownBy(() -> Images.read(file)).isInstanceOf(XaiException.class)
                .hasMessageContaining("bad.png").hasMessageContaining("PNG, JPEG, BMP")
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.CORRUPT_FILE);
    }

    @Test
    void truncatedPngIsCorruptFile() throws IOException {
        Path good = dir.resolve("good.png");
        Png.writeAtomically(sample(), good);
        byte[] bytes = Files.readAllBytes(good);
        Path file = Files.write(dir.resolve("cut.png"), Arrays.copyOf(bytes, 40));
        assertThatThrownBy(() -> Images.read(file)).isInstanceOf(XaiException.class)
                .hasMessageContaining("cut.png")
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.CORRUPT_FILE);
    }

    @Test
    void atomicWriteReplacesAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("sub/out.png");
        Png.writeAtomically(new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB), file);
        Png.writeAtomically(sample(), file);
        assertThat(Images.read(file).getWidth()).isEqualTo(3);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void colourImagesOfEveryByteLayoutConvertAsGetRgbGivesThem() throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
                BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_USHORT_565_RGB}) {
            BufferedImage image = new BufferedImage(13, 7, type);
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 13; x++) {
                    image.setRGB(x, y, random.nextInt());
                }
            }
            // and as a PNG decoder builds it (a custom RGB or RGBA component model)
            Path png = dir.resolve(type + ".png");
            ImageIO.write(image, "png", png.toFile());
            for (BufferedImage source : new BufferedImage[] {image, ImageIO.read(png.toFile())}) {
                BufferedImage rgb = Images.toRgb(source);
                for (int y = 0; y < 7; y++) {
                    for (int x = 0; x < 13; x++) {
                        assertThat(rgb.getRGB(x, y) & 0xFFFFFF).as("type %d (%d,%d)", source.getType(), x, y)
                                .isEqualTo(source.getRGB(x, y) & 0xFFFFFF);
                    }
                }
            }
        }
    }
}
