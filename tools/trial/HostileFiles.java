import io.xai4j.onnx.proto.Onnx;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.onnx.proto.Onnx.TensorShapeProto;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

/**
 * Writes the hostile files of the reliability trial into a folder: damaged, lying and oversized images, NPY files
 * and ONNX models, derived from the embedded demo model and sample. Deterministic (fixed seed).
 * Run with the CLI jar on the class path: {@code java -cp cli/target/xai4j-cli.jar HostileFiles.java DIR}.
 * Sub-folders: {@code image}, {@code npy}, {@code onnx}; a name tells what was done to the file.
 */
public final class HostileFiles {
    private static final String DEMO = "/io/xai4j/cli/demo/";
    private static final int FLIPS = 12;
    private static final Random RANDOM = new Random(15);
    private static Path dir;

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        byte[] png = resource("samples/two-shapes.png");
        BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(png));
        images(root.resolve("image"), png, encode(image, "jpg"), encode(image, "bmp"));
        npys(root.resolve("npy"));
        models(root.resolve("onnx"), resource("shapes-cnn.onnx"));
    }

    private static void images(Path folder, byte[] png, byte[] jpeg, byte[] bmp) throws IOException {
        dir = Files.createDirectories(folder);
        damaged("png", png);
        damaged("jpg", jpeg);
        damaged("bmp", bmp);
        write("png-as-jpg.jpg", png);
        write("bomb-20000x20000.png", pngOfZeros(20000, 20000));
        write("lying-header-100000x100000.png", withPngSize(png, 100000, 100000));
        write("lying-header-0x0.png", withPngSize(png, 0, 0));
        write("lying-header-2000x2000.png", withPngSize(png, 2000, 2000));
        write("lying-header-65500x65500.jpg", withJpegSize(jpeg, 65500, 65500));
        write("lying-header-9000x9000.jpg", withJpegSize(jpeg, 9000, 9000));
        write("near-limit-9000x9000.png", pngOfZeros(9000, 9000));
        BufferedImage large = new BufferedImage(3000, 3000, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3000; y++) {
            for (int x = 0; x < 3000; x++) {
                large.setRGB(x, y, RANDOM.nextInt(1 << 24));
            }
        }
        write("large-3000x3000.png", encode(large, "png"));
    }

    private static void damaged(String ext, byte[] good) throws IOException {
        write("valid." + ext, good);
        write("zero-length." + ext, new byte[0]);
        for (int percent : new int[] {10, 50, 90, 99}) {
            write("truncated-" + percent + "." + ext, Arrays.copyOf(good, good.length * percent / 100));
        }
        write("text-named." + ext, "this is not an image\n".getBytes(StandardCharsets.UTF_8));
        write("magic-then-noise." + ext, withNoiseAfter(good, 16));
        flips(ext, good, 16);
    }

    private static void npys(Path folder) throws IOException {
        dir = Files.createDirectories(folder);
        float[] values = new float[3 * 64 * 64];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) RANDOM.nextGaussian();
        }
        String shape = "(1, 3, 64, 64)";
        byte[] good = npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", floats(values), 1);
        write("valid.npy", good);
        write("zero-length.npy", new byte[0]);
        write("magic-only.npy", Arrays.copyOf(good, 6));
        write("truncated-header.npy", Arrays.copyOf(good, 40));
        write("truncated-data.npy", Arrays.copyOf(good, good.length / 2));
        write("truncated-last-byte.npy", Arrays.copyOf(good, good.length - 1));
        write("extra-data.npy", concat(good, new byte[4096]));
        write("junk-after-dict.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }junk",
                floats(values), 1));
        write("header-length-65535.npy", withHeaderLength(good, 0xFFFF));
        write("v2-header-length-4294967295.npy", npy2HeaderLength(0xFFFFFFFFL));
        write("v2-header-length-2147483648.npy", npy2HeaderLength(0x80000000L));
        write("version-9.npy", withByte(good, 6, (byte) 9));
        for (String[] s : new String[][] {
                {"huge-dims", "(1, 3, 100000, 100000)"}, {"int-overflow-dims", "(1, 3, 65536, 65536)"},
                {"long-overflow-dims", "(99999999999999999999, 3, 64, 64)"}, {"negative-dim", "(1, 3, -64, 64)"},
                {"zero-batch", "(0, 3, 64, 64)"}, {"scalar", "()"}, {"wrong-rank", "(1, 3, 64)"},
                {"non-integer-dim", "(1, 3, 64.5, 64)"}, {"letters-dim", "(1, 3, 'a', 64)"},
                {"nested-shape", "((1, 3), 64, 64)"}, {"batch-1000", "(1000, 3, 64, 64)"}}) {
            write(s[0] + ".npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + s[1] + ", }",
                    floats(values), 1));
        }
        for (String[] d : new String[][] {{"big-endian", ">f4"}, {"object", "|O"}, {"complex", "<c8"},
                {"float16", "<f2"}, {"unicode", "<U8"}, {"empty-descr", ""}}) {
            write("dtype-" + d[0] + ".npy", npy("{'descr': '" + d[1] + "', 'fortran_order': False, 'shape': "
                    + shape + ", }", floats(values), 1));
        }
        write("fortran-order.npy", npy("{'descr': '<f4', 'fortran_order': True, 'shape': " + shape + ", }",
                floats(values), 1));
        write("missing-shape.npy", npy("{'descr': '<f4', 'fortran_order': False, }", floats(values), 1));
        write("missing-descr.npy", npy("{'fortran_order': False, 'shape': " + shape + ", }", floats(values), 1));
        write("not-a-dict.npy", npy("['descr', '<f4']", floats(values), 1));
        write("v3-unicode-header.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape
                + ", 'note': 'überschrift ✓', }", floats(values), 3));
        float[] nan = values.clone();
        nan[100] = Float.NaN;
        write("nan-value.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", floats(nan), 1));
        float[] inf = values.clone();
        inf[7] = Float.POSITIVE_INFINITY;
        write("inf-value.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }", floats(inf), 1));
        float[] huge = values.clone();
        Arrays.fill(huge, 3e38f);
        write("huge-values.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }",
                floats(huge), 1));
        write("text-named.npy", "1 2 3\n".getBytes(StandardCharsets.UTF_8));
        flips("npy", good, 0);
    }

    private static void models(Path folder, byte[] good) throws IOException {
        dir = Files.createDirectories(folder);
        write("valid.onnx", good);
        write("zero-length.onnx", new byte[0]);
        for (int percent : new int[] {1, 10, 50, 90, 99}) {
            write("truncated-" + percent + ".onnx", Arrays.copyOf(good, good.length * percent / 100));
        }
        byte[] noise = new byte[4096];
        RANDOM.nextBytes(noise);
        write("random-bytes.onnx", noise);
        write("text-named.onnx", "ir_version: 8\n".getBytes(StandardCharsets.UTF_8));
        flips("onnx", good, 0);
        ModelProto model = ModelProto.parseFrom(good);
        edit(model, "no-outputs", g -> g.clearOutput());
        edit(model, "no-inputs", g -> g.clearInput());
        edit(model, "no-nodes", g -> g.clearNode());
        edit(model, "cycle", g -> g.setNode(0, g.getNode(0).toBuilder()
                .setInput(0, g.getNode(g.getNodeCount() - 1).getOutput(0))));
        edit(model, "self-loop", g -> g.setNode(1, g.getNode(1).toBuilder().setInput(0, g.getNode(1).getOutput(0))));
        edit(model, "missing-initializer", g -> g.removeInitializer(0));
        edit(model, "dangling-input", g -> g.setNode(2, g.getNode(2).toBuilder().setInput(0, "no_such_tensor")));
        edit(model, "output-not-produced", g -> g.setOutput(0, g.getOutput(0).toBuilder().setName("nowhere")));
        edit(model, "duplicate-node-output", g -> g.setNode(1, g.getNode(1).toBuilder()
                .setOutput(0, g.getNode(0).getOutput(0))));
        edit(model, "unknown-op", g -> g.setNode(1, g.getNode(1).toBuilder().setOpType("NoSuchOp")));
        edit(model, "unknown-domain", g -> g.setNode(1, g.getNode(1).toBuilder().setDomain("com.example.none")));
        edit(model, "huge-dims", g -> inputDims(g, 1, 3, 100000, 100000));
        edit(model, "int-overflow-dims", g -> inputDims(g, 1, 3, 65536, 65536));
        edit(model, "long-overflow-dims", g -> inputDims(g, 1, 3, 1L << 40, 1L << 40));
        edit(model, "negative-dim", g -> inputDims(g, 1, 3, -64, 64));
        edit(model, "zero-dim", g -> inputDims(g, 1, 3, 0, 64));
        edit(model, "rank-1-input", g -> inputDims(g, 12288));
        edit(model, "string-input", g -> g.setInput(0, g.getInput(0).toBuilder().setType(g.getInput(0).getType()
                .toBuilder().setTensorType(g.getInput(0).getType().getTensorType().toBuilder()
                        .setElemType(TensorProto.DataType.STRING_VALUE)))));
        edit(model, "wrong-initializer-size", g -> g.setInitializer(0, g.getInitializer(0).toBuilder()
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[8]))));
        edit(model, "external-data-missing", g -> g.setInitializer(0, external(g.getInitializer(0), "weights.bin")));
        edit(model, "external-data-traversal", g -> g.setInitializer(0, external(g.getInitializer(0),
                "../../../../../../etc/passwd")));
        edit(model, "external-data-dev-zero", g -> g.setInitializer(0, external(g.getInitializer(0), "/dev/zero")));
        write("opset-999.onnx", model.toBuilder().setOpsetImport(0, model.getOpsetImport(0).toBuilder()
                .setVersion(999)).build().toByteArray());
        write("ir-version-99.onnx", model.toBuilder().setIrVersion(99).build().toByteArray());
        write("no-graph.onnx", model.toBuilder().clearGraph().build().toByteArray());
        write("no-opset.onnx", model.toBuilder().clearOpsetImport().build().toByteArray());
    }

    private static void edit(ModelProto model, String name, UnaryOperator<GraphProto.Builder> change)
            throws IOException {
        GraphProto.Builder graph = model.getGraph().toBuilder();
        write(name + ".onnx", model.toBuilder().setGraph(change.apply(graph)).build().toByteArray());
    }

    private static GraphProto.Builder inputDims(GraphProto.Builder g, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        Onnx.ValueInfoProto input = g.getInput(0);
        return g.setInput(0, input.toBuilder().setType(input.getType().toBuilder().setTensorType(
                input.getType().getTensorType().toBuilder().setShape(shape))));
    }

    private static TensorProto external(TensorProto tensor, String location) {
        return tensor.toBuilder().clearRawData().clearFloatData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(Onnx.StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .build();
    }

    /** {@link #FLIPS} copies, each with one random bit flipped at or after byte {@code from}. */
    private static void flips(String ext, byte[] good, int from) throws IOException {
        for (int i = 0; i < FLIPS; i++) {
            byte[] copy = good.clone();
            int at = from + RANDOM.nextInt(good.length - from);
            copy[at] ^= (byte) (1 << RANDOM.nextInt(8));
            write(String.format("bitflip-%02d-at-%d.%s", i, at, ext), copy);
        }
    }

    private static byte[] withNoiseAfter(byte[] good, int keep) {
        byte[] copy = good.clone();
        byte[] noise = new byte[copy.length - keep];
        RANDOM.nextBytes(noise);
        System.arraycopy(noise, 0, copy, keep, noise.length);
        return copy;
    }

    private static byte[] npy(String dict, byte[] data, int version) {
        byte[] header = dict.getBytes(version >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int prefix = version == 1 ? 10 : 12;
        int padded = (prefix + header.length + 1 + 63) / 64 * 64 - prefix;
        ByteBuffer out = ByteBuffer.allocate(prefix + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            out.putShort((short) padded);
        } else {
            out.putInt(padded);
        }
        out.put(header);
        for (int i = header.length; i < padded - 1; i++) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n').put(data);
        return out.array();
    }

    private static byte[] npy2HeaderLength(long length) {
        ByteBuffer out = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt((int) length);
        out.put("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }".getBytes(StandardCharsets.ISO_8859_1));
        return out.array();
    }

    private static byte[] withHeaderLength(byte[] good, int length) {
        byte[] copy = good.clone();
        copy[8] = (byte) length;
        copy[9] = (byte) (length >> 8);
        return copy;
    }

    private static byte[] withByte(byte[] good, int at, byte value) {
        byte[] copy = good.clone();
        copy[at] = value;
        return copy;
    }

    private static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** A grayscale PNG of zeros: a few hundred kB that decode to {@code width * height} pixels. */
    private static byte[] pngOfZeros(int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9), 1 << 16)) {
            byte[] row = new byte[width + 1];
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    /** The PNG with its IHDR width and height replaced (the CRC recomputed, so only the size lies). */
    private static byte[] withPngSize(byte[] png, int width, int height) {
        byte[] copy = png.clone();
        ByteBuffer b = ByteBuffer.wrap(copy);
        b.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(copy, 12, 17);
        b.putInt(29, (int) crc.getValue());
        return copy;
    }

    /** The JPEG with its frame header's size replaced. */
    private static byte[] withJpegSize(byte[] jpeg, int width, int height) {
        byte[] copy = jpeg.clone();
        for (int i = 2; i + 8 < copy.length; i++) {
            if ((copy[i] & 0xFF) == 0xFF && ((copy[i + 1] & 0xFF) == 0xC0 || (copy[i + 1] & 0xFF) == 0xC2)) {
                ByteBuffer.wrap(copy).putShort(i + 5, (short) height).putShort(i + 7, (short) width);
                return copy;
            }
        }
        throw new IllegalStateException("no frame header");
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = HostileFiles.class.getResourceAsStream(DEMO + name)) {
            if (in == null) {
                throw new IOException("the CLI jar lacks the demo resource " + name);
            }
            return in.readAllBytes();
        }
    }

    private static void write(String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes);
    }
}
