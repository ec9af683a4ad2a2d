package io.xai4j.image;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Writes PNG files. */
public final class Png {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Png() {
    }

    /**
     * Writes {@code image} as a PNG to {@code file} atomically: to a temporary file in the same directory,
     * then renamed over the target, so readers never see a partial file. Missing parent directories are
     * created.
     *
     * @throws XaiException {@code IO_ERROR} when writing fails; no temporary file is left behind
     */
    public static void writeAtomically(RenderedImage image, Path file) {
        Path target = file.toAbsolutePath();
        // Not Files.createTempFile: that would give the result owner-only permissions.
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        boolean created = false;
        try {
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                created = true;
                write(image, out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            XaiException error = new XaiException(ErrorCode.IO_ERROR, "cannot write PNG " + file + ": " + e, e);
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

    /** Encodes {@code image} as PNG onto {@code out} (not closed). */
    public static void write(RenderedImage image, OutputStream out) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(image);
        } finally {
            writer.dispose();
        }
    }
}
