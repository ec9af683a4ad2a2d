package io.xai4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExplainJobTest {
    @BeforeAll
    static void master() {
        System.setProperty("spark.master", "local[2]");
        System.setProperty("spark.ui.enabled", "false");
    }

    @AfterAll
    static void clear() {
        System.clearProperty("spark.master");
        System.clearProperty("spark.ui.enabled");
    }

    @Test
    void explainsAFolderOfImagesIntoFilesAndASummary(@TempDir Path dir) throws Exception {
        Path model = SparkTests.demoModel(dir);
        Path images = SparkTests.demoImages(dir.resolve("images"));
        Files.writeString(images.resolve("a/notes.txt"), "not an image");
        Path out = dir.resolve("out");

        int exit = run("--model", model.toString(), "--input", images.toString(), "--out", out.toString(),
                "--method", "grad-cam", "--partitions", "2", "--labels", SparkTests.demoLabels(dir).toString());

        assertThat(exit).isZero();
        try (Stream<Path> pngs = Files.walk(out.resolve("files"))) {
            assertThat(pngs.filter(p -> p.getFileName().toString().equals("heatmap.png")))
                    .hasSize(SparkTests.DEMO_IMAGES.size());
        }
        try (Stream<Path> parts = Files.list(out.resolve("summary"))) {
            List<String> lines = new ArrayList<>();
            for (Path p : parts.filter(p -> p.toString().endsWith(".json")).toList()) {
                lines.addAll(Files.readAllLines(p));
            }
            assertThat(lines).hasSize(SparkTests.DEMO_IMAGES.size());
            assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"prediction_label\":\"circle\""))
                    .allSatisfy(line -> assertThat(line).contains("\"explanation\":\"{\\\"method\\\":"));
        }
    }

    @Test
    void anUnknownMethodExitsWithTheUsageCode(@TempDir Path dir) {
        Path model = SparkTests.demoModel(dir);
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new ExplainJob()).setErr(new PrintWriter(err));
        line.setExecutionExceptionHandler(ExplainJob.ERRORS);
        int exit = line.execute("--model", model.toString(), "--input", dir.toString(), "--out",
                dir.resolve("out").toString(), "--method", "gradcam");
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("gradcam").contains("grad-cam");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private static int run(String... args) {
        CommandLine line = new CommandLine(new ExplainJob());
        line.setExecutionExceptionHandler(ExplainJob.ERRORS);
        return line.execute(args);
    }
}
