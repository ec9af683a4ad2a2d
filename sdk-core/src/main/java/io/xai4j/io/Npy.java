package io.xai4j.io;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NumPy {@code .npy} files (format versions 1-3, C order). Reads little-endian float32, float64, int64,
 * int32 and uint8 (converted to float32); writes float32.
 */
public final class Npy {
    private static final Logger LOG = LoggerFactory.getLogger(Npy.class);
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** The system property that sets the largest .npy file read, in bytes. */
    public static final String MAX_BYTES_PROPERTY = "xai4j.maxNpyBytes";
    /** The default largest .npy file: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private Npy() {
    }

    /**
     * Reads a regular .npy file of at most {@value #MAX_BYTES_PROPERTY} bytes (1 GiB by default).
     *
     * @throws XaiException {@link ErrorCode#INVALID_INPUT} for a missing, special (a device, a folder) or too
     *                      large file, {@code CORRUPT_FILE} for a malformed one
     */
    public static Tensor read(Path file) {
        if (!Files.exists(file)) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "NPY file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "not a regular file: " + file + "; expected an .npy file");
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            long max = Long.getLong(MAX_BYTES_PROPERTY, DEFAULT_MAX_BYTES);
            if (size > max) {
                throw new XaiException(ErrorCode.INVALID_INPUT, "NPY file " + file + " has " + size + " bytes, above"
                        + " the limit of " + max + " (raise it with -D" + MAX_BYTES_PROPERTY + ")");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw IoErrors.of("read", file, e);
        }
        return read(bytes, file.toString());
    }

    /** Parses NPY bytes; {@code source} names the data in error messages. */
    public static Tensor read(byte[] bytes, String source) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
            if (!buf.hasRemaining() || buf.get() != m) {
                throw corrupt(source, "missing the NPY magic bytes");
            }
        }
        if (buf.remaining() < 2) {
            throw corrupt(source, "truncated header");
        }
        int major = buf.get();
        buf.get();
        if (major < 1 || major > 3) {
            throw corrupt(source, "unsupported format version " + major + " (supported: 1, 2, 3)");
        }
        if (buf.remaining() < (major == 1 ? 2 : 4)) {
            throw corrupt(source, "truncated header");
        }
        long headerLength = major == 1 ? Short.toUnsignedInt(buf.getShort()) : Integer.toUnsignedLong(buf.getInt());
        if (headerLength > buf.remaining()) {
            throw corrupt(source, "header length " + headerLength + " exceeds the file");
        }
        String header = new String(bytes, buf.position(), (int) headerLength,
                major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        buf.position(buf.position() + (int) headerLength);
        String afterDictionary = header.substring(header.lastIndexOf('}') + 1);
        if (!header.strip().startsWith("{") || !afterDictionary.isBlank()) {
            throw corrupt(source, "the header is not a dictionary followed by padding (found "
                    + quoted(afterDictionary.isBlank() ? header : afterDictionary) + ")");
        }
        String descr = group(DESCR, header, source, "descr");
        if ("True".equals(group(FORTRAN, header, source, "fortran_order"))) {
            throw corrupt(source, "Fortran-order arrays are not supported; save with C order");
        }
        int[] shape = parseShape(group(SHAPE, header, source, "shape"), source);
        int n;
        try {
            n = Tensor.sizeOf(shape);
        } catch (IllegalArgumentException e) {
            throw corrupt(source, "bad shape " + Arrays.toString(shape) + ": " + e.getMessage());
        }
        int width = switch (descr) {
            case "<f4" -> 4;
            case "<f8", "<i8" -> 8;
            case "<i4" -> 4;
            case "|u1", "<u1", "|b1" -> 1;
            default -> throw new XaiException(ErrorCode.INVALID_INPUT, "unsupported NPY dtype '" + descr + "' in "
                    + source + "; supported: <f4 (float32), <f8 (float64), <i8 (int64), <i4 (int32), |u1 (uint8)");
        };
        if ((long) n * width > buf.remaining()) {
            throw corrupt(source, "expected " + ((long) n * width) + " data bytes, found " + buf.remaining());
        }
        long extra = buf.remaining() - (long) n * width;
        if (extra > 0) {
            LOG.warn("NPY file {} has {} bytes after the {} its header declares; they are ignored (is the shape {} right?)",
                    source, extra, (long) n * width, Arrays.toString(shape));
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = switch (descr) {
                case "<f4" -> buf.getFloat();
                case "<f8" -> (float) buf.getDouble();
                case "<i8" -> buf.getLong();
                case "<i4" -> buf.getInt();
                default -> Byte.toUnsignedInt(buf.get());
            };
        }
        return Tensor.of(data, shape);
    }

    /** Writes a float32 C-order array, atomically. */
    public static void write(Path file, Tensor tensor) {
        AtomicFiles.write(file, toBytes(tensor));
    }

    private static String quoted(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    public static byte[] toBytes(Tensor tensor) {
        int[] shape = tensor.shape();
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        if (shape.length > 1) {
            dims.setLength(dims.length() - 2);
        } else if (shape.length == 1) {
            dims.setLength(dims.length() - 1);
        }
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }");
        int total = MAGIC.length + 4 + header.length() + 1;
        header.append(" ".repeat((64 - total % 64) % 64)).append('\n');
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + 4 * tensor.size())
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.asFloatBuffer().put(tensor.array(), tensor.offset(), tensor.size());
        return out.array();
    }

    private static int[] parseShape(String text, String source) {
        String[] parts = text.split(",");
        int count = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) {
            String t = p.trim().replace("L", "");
            if (!t.isEmpty()) {
                try {
                    shape[count++] = Integer.parseInt(t);
                } catch (NumberFormatException e) {
                    throw corrupt(source, "bad shape (" + text + ")");
                }
            }
        }
        return Arrays.copyOf(shape, count);
    }

    private static String group(Pattern p, String header, String source, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw corrupt(source, "header lacks '" + key + "'");
        }
        return m.group(1);
    }

    private static XaiException corrupt(String source, String why) {
        return new XaiException(ErrorCode.CORRUPT_FILE, "corrupt NPY file " + source + ": " + why);
    }
}
