package io.xai4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** The local Spark session and the embedded demo data shared by the tests. */
final class SparkTests {
    static final List<String> DEMO_IMAGES = List.of("circle.png", "square.png", "triangle.png", "cross.png",
            "star.png", "two-shapes.png", "two-shapes-2.png", "two-shapes-3.png");

    private SparkTests() {
    }

    /** Local mode with 2 threads; a failed task is tried twice. */
    static SparkSession localSpark() {
        return SparkSession.builder().master("local[2,2]").appName("xai4j-tests").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    /** The demo model, copied into {@code dir}. */
    static Path demoModel(Path dir) {
        return copy("shapes-cnn.onnx", dir.resolve("shapes-cnn.onnx"));
    }

    /** The demo model's class names, copied into {@code dir}. */
    static Path demoLabels(Path dir) {
        return copy("labels.txt", dir.resolve("labels.txt"));
    }

    /** The demo images, copied into {@code dir/a} and {@code dir/b} (half each), and the folder. */
    static Path demoImages(Path dir) {
        for (int i = 0; i < DEMO_IMAGES.size(); i++) {
            String name = DEMO_IMAGES.get(i);
            copy("samples/" + name, dir.resolve(i % 2 == 0 ? "a" : "b").resolve(name));
        }
        return dir;
    }

    private static Path copy(String resource, Path to) {
        try (InputStream in = SparkTests.class.getResourceAsStream("/io/xai4j/cli/demo/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("demo resource missing: " + resource);
            }
            Files.createDirectories(to.getParent());
            Files.copy(in, to);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
