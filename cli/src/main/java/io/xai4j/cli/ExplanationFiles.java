package io.xai4j.cli;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import io.xai4j.explain.ExplanationJson;
import io.xai4j.image.Png;
import io.xai4j.io.Npy;
import io.xai4j.render.Heatmap;
import io.xai4j.render.HeatmapStyle;
import io.xai4j.tensor.Tensor;
import io.xai4j.image.CropBox;
import io.xai4j.image.Layout;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes one explanation as {@code attribution.npy}, {@code heatmap.png} and {@code explanation.json}. All
 * three are rendered in memory first; each is then written to a temporary name in the same directory and
 * renamed, so a failure never leaves a half-written file behind.
 */
final class ExplanationFiles {
    static final String ATTRIBUTION = "attribution.npy";
    static final String HEATMAP = "heatmap.png";
    static final String JSON = "explanation.json";
    private static final int MIN_PICTURE_SIDE = 256;

    private ExplanationFiles() {
    }

    /** Writes the files for one example (a batch of one) and returns their paths. */
    static List<Path> write(Explanation explanation, LoadedInput input, HeatmapStyle style, Path dir) {
        Tensor attribution = explanation.attribution();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot create output directory " + dir + ": " + e.getMessage(), e);
        }
        Path npy = dir.resolve(ATTRIBUTION);
        Path png = dir.resolve(HEATMAP);
        Path json = dir.resolve(JSON);
        Tensor row = attribution.row(0);
        style = style.withLayout(layoutOf(explanation, input));
        BufferedImage picture = input.image() != null ? overlay(input, row, style) : Heatmap.render(row, style);
        byte[] data = Npy.toBytes(attribution);
        String text = ExplanationJson.toJson(explanation, ExplanationJson.TensorData.SUMMARY);
        atomically(npy, tmp -> Files.write(tmp, data));
        Png.writeAtomically(picture, png);
        writeText(json, text);
        return List.of(png, npy, json);
    }

    /** Input attributions follow the input's layout; layer maps are always [N,1,h,w]. */
    static Layout layoutOf(Explanation explanation, LoadedInput input) {
        return explanation.provenance().layer() == null ? input.layout() : Layout.NCHW;
    }

    /** The overlay on the original image, enlarged by a whole factor when the image is under 256 pixels. */
    private static BufferedImage overlay(LoadedInput input, Tensor row, HeatmapStyle style) {
        BufferedImage image = input.image();
        int factor = Math.max(1, MIN_PICTURE_SIDE / Math.max(image.getWidth(), image.getHeight()));
        if (factor == 1) {
            return Heatmap.overlay(image, row, input.box(), style);
        }
        BufferedImage large = new BufferedImage(image.getWidth() * factor, image.getHeight() * factor,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = large.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, large.getWidth(), large.getHeight(), null);
        g.dispose();
        CropBox box = input.box() == null ? null : new CropBox(input.box().x() * factor, input.box().y() * factor,
                input.box().width() * factor, input.box().height() * factor);
        return Heatmap.overlay(large, row, box, style);
    }

    /** Writes UTF-8 text atomically. */
    static void writeText(Path file, String text) {
        atomically(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    private interface Writer {
        void write(Path file) throws IOException;
    }

    private static void atomically(Path target, Writer writer) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            writer.write(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                System.err.println("warning: could not remove " + tmp + ": " + e.getMessage());
            }
        }
    }
}
