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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes one explanation as {@code attribution.npy}, {@code heatmap.png} and {@code explanation.json}. Each
 * file is written to a temporary name in the same directory and then renamed, so a failure never leaves a
 * half-written file behind.
 */
final class ExplanationFiles {
    static final String ATTRIBUTION = "attribution.npy";
    static final String HEATMAP = "heatmap.png";
    static final String JSON = "explanation.json";

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
        atomically(npy, tmp -> Npy.write(tmp, attribution));
        Tensor row = attribution.row(0);
        if (input.image() != null) {
            Png.writeAtomically(Heatmap.overlay(input.image(), row, input.box(), style), png);
        } else {
            Png.writeAtomically(Heatmap.plot(row, style.colormap()), png);
        }
        String text = ExplanationJson.toJson(explanation, ExplanationJson.TensorData.SUMMARY);
        atomically(json, tmp -> write(tmp, text));
        return List.of(png, npy, json);
    }

    private interface Writer {
        void write(Path file) throws IOException;
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
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
