package io.xai4j.io;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes files so that readers see the old content or the whole new one, never a part: the content goes to a
 * temporary file beside the target, which is then renamed over it. A failure leaves no temporary file behind.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Writes the whole content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code file} atomically, creating its folder. A folder or a special file (a device such as
     * {@code /dev/full}, a pipe) of that name is refused: the rename would replace it.
     *
     * @throws XaiException {@link ErrorCode#IO_ERROR} naming the file when writing fails
     */
    public static void write(Path file, Content content) {
        Path target = file.toAbsolutePath();
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot write " + file + ": it is " + (Files.isDirectory(target)
                    ? "a folder" : "not a regular file (a device or a pipe)") + "; name a new or regular file");
        }
        // Not Files.createTempFile: that would give the result owner-only permissions.
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        boolean created = false;
        try {
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                created = true;
                content.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            XaiException error = IoErrors.of("write", file, e);
            if (created) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException cleanup) {
                    error.addSuppressed(cleanup);
                }
            }
            throw error;
        }
    }

    /** Writes bytes atomically. */
    public static void write(Path file, byte[] bytes) {
        write(file, out -> out.write(bytes));
    }

    /** Writes UTF-8 text atomically. */
    public static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
