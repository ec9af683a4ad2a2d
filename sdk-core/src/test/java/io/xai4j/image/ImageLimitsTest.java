package io.xai4j.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Images are sized from their header before decoding; damaged images that still decode are reported. */
class ImageLimitsTest {

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() {
        byte[] bomb = pngHeaderOnly(20000, 20000);
        long start = System.nanoTime();
        assertThatThrownBy(() -> Images.decode(bomb, "bomb.png")).isInstanceOfSatisfying(XaiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessage("image bomb.png is 20000x20000 = 400000000 pixels, above the limit of 100000000 (raise it"
                        + " with --max-pixels or -Dxai4j.maxPixels)");
        assertThat((System.nanoTime() - start) / 1e9).as("refused without decoding").isLessThan(2);
    }

    @Test
    void theLimitIsAProperty() throws IOException {
        byte[] png = png(new BufferedImage(100, 50, BufferedImage.TYPE_INT_RGB), "png");
        String before = System.getProperty(Images.MAX_PIXELS_PROPERTY);
        try {
            System.setProperty(Images.MAX_PIXELS_PROPERTY, "4999");
            assertThatThrownBy(() -> Images.decode(png, "small.png")).hasMessageContaining("above the limit of 4999");
            System.setProperty(Images.MAX_PIXELS_PROPERTY, "5000");
            assertThat(Images.decode(png, "small.png").getWidth()).isEqualTo(100);
        } finally {
            if (before == null) {
                System.clearProperty(Images.MAX_PIXELS_PROPERTY);
            } else {
                System.setProperty(Images.MAX_PIXELS_PROPERTY, before);
            }
        }
    }

    @Test
    void aTruncatedJpegDecodesWithAWarning() throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64 * 64; i++) {
            image.setRGB(i % 64, i / 64, (i * 2654435761L) > 0 ? 0x336699 * i : i);
        }
        byte[] jpeg = png(image, "jpeg");
        byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Images.decode(half, "half.jpg").getWidth()).isEqualTo(64);
        } finally {
            System.setErr(original);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("image half.jpg may be damaged");
    }

    private static byte[] png(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    /** A PNG signature, an IHDR of the given size, a tiny IDAT and IEND: a few dozen bytes that claim a huge image. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
