package io.xai4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {
    @TempDir
    Path dir;

    /** Builds an NPY file by hand: magic, version, header length, padded header, data. */
    private static byte[] npy(int major, String header, byte[] data) {
        int lengthBytes = major == 1 ? 2 : 4;
        int unpadded = 6 + 2 + lengthBytes + header.length() + 1;
        String padded = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(6 + 2 + lengthBytes + padded.length() + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (major == 1) {
            buf.putShort((short) padded.length());
        } else {
            buf.putInt(padded.length());
        }
        buf.put(padded.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return buf.array();
    }

    private static String header(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    }

    private static byte[] little(int bytesPerValue, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            if (bytesPerValue == 8) {
                b.putLong(v);
            } else if (bytesPerValue == 4) {
                b.putInt((int) v);
            } else {
                b.put((byte) v);
            }
        }
        return b.array();
    }

    private static ErrorCode codeOf(Throwable e) {
        return ((XaiException) e).code();
    }

    @Test
    void roundTripsSeveralShapes() {
        int[][] shapes = {{}, {5}, {2, 3}, {2, 1, 4}, {1, 2, 2, 3}, {0}};
        for (int[] shape : shapes) {
            float[] data = new float[Tensor.sizeOf(shape)];
            for (int i = 0; i < data.length; i++) {
                data[i] = i * 0.5f - 1;
            }
            Tensor t = Tensor.of(data, shape);
            Path file = dir.resolve("t" + shape.length + "_" + data.length + ".npy");
            Npy.write(file, t);
            Tensor back = Npy.read(file);
            assertThat(back.shape()).as(Arrays.toString(shape)).containsExactly(shape);
            assertThat(back).isEqualTo(t);
        }
    }

    @Test
    void headerIsPaddedAndShapesUsePythonTupleSyntax() {
        byte[] scalar = Npy.toBytes(Tensor.of(new float[] {7}));
        byte[] vector = Npy.toBytes(Tensor.zeros(3));
        for (byte[] bytes : new byte[][] {scalar, vector}) {
            int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
            assertThat((10 + headerLength) % 64).isZero();
        }
        assertThat(new String(scalar, StandardCharsets.ISO_8859_1)).contains("'shape': ()");
        assertThat(new String(vector, StandardCharsets.ISO_8859_1)).contains("'shape': (3,)");
    }

    @Test
    void writesOnlyTheViewedRows() {
        Tensor batch = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor back = Npy.read(Npy.toBytes(batch.row(1)), "row");
        assertThat(back).isEqualTo(Tensor.of(new float[] {3, 4}, 2));
    }

    @Test
    void readsFloat64() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2.25);
        Tensor t = Npy.read(npy(1, header("<f8", "(2,)"), b.array()), "f8");
        assertThat(t).isEqualTo(Tensor.of(new float[] {1.5f, -2.25f}, 2));
    }

    @Test
    void readsInt64Int32AndUint8() {
        assertThat(Npy.read(npy(1, header("<i8", "(1, 3)"), little(8, -7, 0, 1L << 40)), "i8"))
                .isEqualTo(Tensor.of(new float[] {-7, 0, (float) (1L << 40)}, 1, 3));
        assertThat(Npy.read(npy(1, header("<i4", "(2,)"), little(4, -1, 123456)), "i4"))
                .isEqualTo(Tensor.of(new float[] {-1, 123456}, 2));
        assertThat(Npy.read(npy(1, header("|u1", "(2, 2)"), little(1, 0, 1, 128, 255)), "u1"))
                .isEqualTo(Tensor.of(new float[] {0, 1, 128, 255}, 2, 2));
    }

    @Test
    void readsVersion2And3Headers() {
        byte[] data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(3.5f).array();
        assertThat(Npy.read(npy(2, header("<f4", "(1,)"), data), "v2")).isEqualTo(Tensor.of(new float[] {3.5f}, 1));
        assertThat(Npy.read(npy(3, header("<f4", "()"), data), "v3")).isEqualTo(Tensor.of(new float[] {3.5f}));
    }

    @Test
    void missingFileIsInvalidInput() {
        assertThatThrownBy(() -> Npy.read(dir.resolve("none.npy"))).isInstanceOf(XaiException.class)
                .hasMessageContaining("none.npy")
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.INVALID_INPUT));
    }

    @Test
    void unsupportedDtypeIsInvalidInputListingTheSupportedOnes() {
        assertThatThrownBy(() -> Npy.read(npy(1, header("<f2", "(1,)"), new byte[2]), "half"))
                .isInstanceOf(XaiException.class).hasMessageContaining("<f2").hasMessageContaining("<f4 (float32)")
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.INVALID_INPUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"magic", "empty", "version", "v2-truncated", "header-length", "no-shape", "fortran",
        "short-data", "negative-dim", "bad-dim", "huge", "junk-after-header", "v2-header-length"})
    void corruptFilesAreReported(String kind) {
        byte[] good = npy(1, header("<f4", "(2,)"), new byte[8]);
        byte[] bytes = switch (kind) {
            case "magic" -> {
                byte[] b = good.clone();
                b[1] = 'X';
                yield b;
            }
            case "empty" -> new byte[0];
            case "version" -> {
                byte[] b = good.clone();
                b[6] = 9;
                yield b;
            }
            case "v2-truncated" -> new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 10, 0};
            case "header-length" -> {
                byte[] b = good.clone();
                b[8] = (byte) 0xff;
                b[9] = (byte) 0x7f;
                yield b;
            }
            case "no-shape" -> npy(1, "{'descr': '<f4', 'fortran_order': False, }", new byte[8]);
            case "fortran" -> npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", new byte[8]);
            case "short-data" -> Arrays.copyOf(good, good.length - 1);
            case "negative-dim" -> npy(1, header("<f4", "(-2,)"), new byte[8]);
            case "bad-dim" -> npy(1, header("<f4", "(two,)"), new byte[8]);
            case "junk-after-header" -> npy(1, header("<f4", "(2,)") + "junk", new byte[8]);
            case "v2-header-length" -> {
                byte[] b = npy(2, header("<f4", "(2,)"), new byte[8]);
                b[8] = (byte) 0xf0;
                b[9] = b[10] = b[11] = (byte) 0xff;
                yield b;
            }
            default -> npy(1, header("<f4", "(100000, 100000)"), new byte[8]);
        };
        assertThatThrownBy(() -> Npy.read(bytes, "x.npy")).isInstanceOf(XaiException.class)
                .hasMessageContaining("x.npy")
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.CORRUPT_FILE));
    }

    @Test
    void bytesAfterTheDataAreReadWithAWarning() {
        byte[] good = Npy.toBytes(Tensor.of(new float[] {1, 2, 3}, 3));
        byte[] longer = Arrays.copyOf(good, good.length + 8);
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Npy.read(longer, "longer.npy").toArray()).containsExactly(1, 2, 3);
            assertThat(Npy.read(good, "good.npy").toArray()).containsExactly(1, 2, 3);
        } finally {
            System.setErr(original);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("NPY file longer.npy has 8 bytes after the 12 its header declares").doesNotContain("good.npy");
    }

    @Test
    void headerLengthsAreUnsignedAndJunkIsQuoted() {
        byte[] b = npy(2, header("<f4", "(2,)"), new byte[8]);
        b[8] = (byte) 0xf0;
        b[9] = b[10] = b[11] = (byte) 0xff;
        assertThatThrownBy(() -> Npy.read(b, "x.npy")).hasMessageContaining("header length 4294967280 exceeds");
        assertThatThrownBy(() -> Npy.read(npy(1, header("<f4", "(2,)") + "junk", new byte[8]), "x.npy"))
                .hasMessageContaining("(found 'junk");
    }

    @Test
    void specialAndOversizedFilesAreRefusedBeforeReading() throws Exception {
        Path device = dir.resolve("zero.npy");
        java.nio.file.Files.createSymbolicLink(device, Path.of("/dev/zero"));
        assertThatThrownBy(() -> Npy.read(device)).satisfies(e -> assertThat(codeOf(e)).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessage("not a regular file: " + device + "; expected an .npy file");
        assertThatThrownBy(() -> Npy.read(dir)).hasMessageContaining("not a regular file");

        Path file = dir.resolve("a.npy");
        Npy.write(file, Tensor.zeros(4, 4));
        String before = System.getProperty(Npy.MAX_BYTES_PROPERTY);
        try {
            System.setProperty(Npy.MAX_BYTES_PROPERTY, "100");
            assertThatThrownBy(() -> Npy.read(file)).satisfies(e -> assertThat(codeOf(e))
                    .isEqualTo(ErrorCode.INVALID_INPUT)).hasMessageContaining("has 192 bytes, above the limit of 100");
        } finally {
            if (before == null) {
                System.clearProperty(Npy.MAX_BYTES_PROPERTY);
            } else {
                System.setProperty(Npy.MAX_BYTES_PROPERTY, before);
            }
        }
        assertThat(Npy.read(file).shape()).containsExactly(4, 4);
    }

    @Test
    void manualBuilderMatchesTheWriter() {
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).array();
        assertThat(Npy.toBytes(Tensor.of(new float[] {1, 2}, 2))).isEqualTo(npy(1, header("<f4", "(2,)"), data));
    }
}
