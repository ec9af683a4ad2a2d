package io.xai4j.cli;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The embedded demo: a small CNN trained on generated coloured shapes (see tools/demo), its labels and
 * sample images, copied out of the jar into a temporary directory that is removed at exit.
 *
 * @param model         the ONNX file
 * @param labels        class names, index order
 * @param defaultSample the sample explained when no input is given
 * @param preprocessing the preprocessing the model was trained with
 */
record Demo(Path model, List<String> labels, Path defaultSample, String preprocessing) {
    private static final String ROOT = "/io/xai4j/cli/demo/";
    static final String MODEL = "shapes-cnn.onnx";
    static final String DEFAULT_SAMPLE = "two-shapes.png";
    static final List<String> SAMPLES = List.of("two-shapes.png", "two-shapes-2.png", "two-shapes-3.png", "circle.png",
            "square.png", "triangle.png", "cross.png", "star.png");
    static final String PREPROCESSING = "imagenet";

    static Demo extract() {
        try {
            Path dir = Files.createTempDirectory("xai4j-demo");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            Path model = copy(MODEL, dir);
            Path labels = copy("labels.txt", dir);
            Files.createDirectories(dir.resolve("samples"));
            for (String sample : SAMPLES) {
                copy("samples/" + sample, dir);
            }
            List<String> names = Files.readAllLines(labels, StandardCharsets.UTF_8).stream()
                    .map(String::trim).filter(s -> !s.isEmpty()).toList();
            return new Demo(model, names, dir.resolve("samples").resolve(DEFAULT_SAMPLE), PREPROCESSING);
        } catch (IOException e) {
            throw new XaiException(ErrorCode.IO_ERROR, "cannot unpack the embedded demo: " + e.getMessage(), e);
        }
    }

    static Path copy(String resource, Path dir) throws IOException {
        try (InputStream in = Demo.class.getResourceAsStream(ROOT + resource)) {
            if (in == null) {
                throw new XaiException(ErrorCode.INTERNAL, "the embedded demo lacks " + resource);
            }
            Path target = dir.resolve(resource);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("warning: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
