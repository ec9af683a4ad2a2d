package io.xai4j.image;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.IoErrors;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads images into 8-bit RGB {@link BufferedImage}s. */
public final class Images {
    /** The formats {@link #read(Path)} is documented to support. */
    public static final String SUPPORTED_FORMATS = "PNG, JPEG, BMP";
    /** The system property that sets the largest image, in pixels, that is decoded. */
    public static final String MAX_PIXELS_PROPERTY = "xai4j.maxPixels";
    /** The default largest image: 100 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(Images.class);

    private Images() {
    }

    /**
     * Reads a PNG, JPEG or BMP file as an RGB image ({@link BufferedImage#TYPE_INT_RGB}). Grayscale and
     * palette images are expanded to RGB; an alpha channel is dropped (the colour values are kept).
     *
     * @throws XaiException {@code INVALID_INPUT} when the file is missing, {@code CORRUPT_FILE} when it is
     *     not a readable image, {@code IO_ERROR} when the file system fails
     */
    public static BufferedImage read(Path file) {
        if (!Files.exists(file)) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "image file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "not a regular file: " + file + "; expected an image ("
                    + SUPPORTED_FORMATS + ")");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw IoErrors.of("read", file, e);
        }
        return decode(bytes, file.toString());
    }

    /**
     * Decodes image bytes; {@code source} names the data in error messages. The size is read from the header
     * first: an image above {@link #maxPixels()} is refused before any pixel is decoded. A damaged image that still
     * decodes (a truncated JPEG) is logged as a warning.
     */
    public static BufferedImage decode(byte[] bytes, String source) {
        // An in-memory stream holds no resources.
        ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw corrupt(source, "not a recognised image format", null);
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        BufferedImage image;
        try {
            reader.setInput(in, true, true);
            checkSize(source, reader.getWidth(0), reader.getHeight(0));
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            image = reader.read(0);
        } catch (XaiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(source, "cannot decode it (" + why(e) + ")", e);
        } finally {
            reader.dispose();
        }
        if (!warnings.isEmpty()) {
            LOG.warn("image {} may be damaged: {}", source, String.join("; ", warnings));
        }
        return toRgb(image);
    }

    /** The largest image decoded, in pixels: the system property {@value #MAX_PIXELS_PROPERTY}, or 100 million. */
    public static long maxPixels() {
        return Long.getLong(MAX_PIXELS_PROPERTY, DEFAULT_MAX_PIXELS);
    }

    private static void checkSize(String source, int width, int height) {
        long pixels = (long) width * height;
        if (width < 1 || height < 1 || pixels > maxPixels()) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "image " + source + " is " + width + "x" + height + " = "
                    + pixels + " pixels, " + (pixels > 0 ? "above the limit of " + maxPixels() + " (raise it with"
                    + " --max-pixels or -D" + MAX_PIXELS_PROPERTY + ")" : "which is empty"));
        }
    }

    /**
     * Converts any image to {@link BufferedImage#TYPE_INT_RGB}. Returns {@code image} itself when it already
     * has that type; never modifies it.
     */
    public static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        ColorModel cm = image.getColorModel();
        if (cm instanceof ComponentColorModel && cm.getNumColorComponents() == 1) {
            // Read gray samples directly: getRGB would apply the linear-gray to sRGB conversion.
            Raster raster = image.getRaster();
            double max = (1L << cm.getComponentSize(0)) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int g = (int) Math.round(row[x] * 255.0 / max);
                    px[y * w + x] = (g << 16) | (g << 8) | g;
                }
            }
        } else if (cm instanceof ComponentColorModel && isEightBitSrgb(cm)) {
            // Read the samples directly, as getRGB would give them, without its per-pixel colour-model calls.
            Raster raster = image.getRaster();
            int bands = raster.getNumBands();
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0, i = 0; x < w; x++, i += bands) {
                    px[y * w + x] = (row[i] << 16) | (row[i + 1] << 8) | row[i + 2];
                }
            }
        } else {
            image.getRGB(0, 0, w, h, px, 0, w);
            for (int i = 0; i < px.length; i++) {
                px[i] &= 0xFFFFFF;
            }
        }
        return out;
    }

    /** Whether the colour model holds red, green and blue (and maybe a straight alpha) as 8-bit sRGB samples. */
    private static boolean isEightBitSrgb(ColorModel cm) {
        if (!cm.getColorSpace().isCS_sRGB() || cm.getNumColorComponents() != 3 || cm.isAlphaPremultiplied()) {
            return false;
        }
        for (int size : cm.getComponentSize()) {
            if (size != 8) {
                return false;
            }
        }
        return true;
    }

    /** Why decoding failed, in words also when the decoder gave none (a file that ends early). */
    private static String why(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return "the data ends early";
            }
            if (t.getMessage() != null) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static XaiException corrupt(String source, String why, Throwable cause) {
        return new XaiException(ErrorCode.CORRUPT_FILE, "cannot read image " + source + ": " + why
                + "; supported formats: " + SUPPORTED_FORMATS, cause);
    }
}
