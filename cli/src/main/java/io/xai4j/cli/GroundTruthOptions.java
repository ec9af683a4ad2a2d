package io.xai4j.cli;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.InputFiles;
import io.xai4j.io.LoadedInput;
import io.xai4j.metric.localisation.GroundTruth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The true regions the localisation metrics compare with ({@code --boxes}, {@code --masks}), for evaluate and compare. */
final class GroundTruthOptions {
    @Option(names = "--boxes", paramLabel = "FILE", description = "True boxes: JSON from image file name to "
            + "[{\"box\": [x0, y0, x1, y1], \"class\": NAME}], in the original image's pixels.")
    Path boxes;

    @Option(names = "--masks", paramLabel = "DIR", description = "True regions as mask images (bright inside), one per "
            + "input with the input's file stem (any image extension).")
    Path masks;

    /** Refuses a {@code --masks} that is not a folder, before any work. */
    void check() {
        if (masks != null && !Files.isDirectory(masks)) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "--masks " + masks + (Files.exists(masks) ? " is not a folder"
                    : " does not exist") + "; give the folder of mask images, one per input named after its stem");
        }
    }

    /** The true boxes by image file name: those of {@code --boxes}, else of {@code fallback} (may be null), else none. */
    Map<String, GroundTruth> boxes(Path fallback) {
        Path file = boxes != null ? boxes : fallback;
        return file != null ? GroundTruth.readBoxes(file) : Map.of();
    }

    /** The input's true region: its boxes by file name, or its mask image in {@code --masks}; null when neither. */
    GroundTruth truthOf(Path file, Map<String, GroundTruth> truths) {
        GroundTruth boxed = truths.get(file.getFileName().toString());
        if (boxed != null || masks == null) {
            return boxed;
        }
        String stem = InputFiles.stem(file);
        for (String ext : LoadedInput.IMAGE_EXTENSIONS) {
            Path mask = masks.resolve(stem + "." + ext);
            if (Files.isRegularFile(mask)) {
                return GroundTruth.readMask(mask);
            }
        }
        return null;
    }
}
