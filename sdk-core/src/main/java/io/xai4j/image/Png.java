package io.xai4j.image;

import io.xai4j.io.AtomicFiles;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Writes PNG files. */
public final class Png {
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
        AtomicFiles.write(file, out -> write(image, out));
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
