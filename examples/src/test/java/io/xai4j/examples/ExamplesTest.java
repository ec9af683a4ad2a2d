package io.xai4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.io.ExplanationFiles;
import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's examples on the demo model and the text fixture, and checks that the README shows them, and the
 * example plugin's sources, as they are.
 */
class ExamplesTest {
    private static final Path ROOT = Path.of("..");
    private static final Path DEMO = ROOT.resolve("cli/src/main/resources/io/xai4j/cli/demo");
    private static final Path TEXT_MODEL = ROOT.resolve("cli/src/test/resources/text/text.onnx");

    @Test
    void explainImageWritesTheOverlayOfTheCircle(@TempDir Path out) throws IOException {
        String printed = run(() -> ExplainImage.main(new String[] {DEMO.resolve("shapes-cnn.onnx").toString(),
                DEMO.resolve("samples/circle.png").toString(), out.toString()}));
        assertThat(Files.readAllLines(DEMO.resolve("labels.txt")).get(0)).isEqualTo("circle");
        assertThat(printed).startsWith("top-1 (class 0) at layer ");
        BufferedImage heatmap = ImageIO.read(out.resolve(ExplanationFiles.HEATMAP).toFile());
        assertThat(heatmap.getWidth()).isGreaterThanOrEqualTo(256);
        Tensor map = Npy.read(out.resolve(ExplanationFiles.ATTRIBUTION));
        assertThat(map.rank()).isEqualTo(4);
        assertThat(map.dim(1)).isEqualTo(1);
        assertThat(Files.readString(out.resolve(ExplanationFiles.JSON))).contains("\"method\" : \"grad-cam\"")
                .contains("circle.png");
    }

    @Test
    void explainTokensPrintsOneScorePerToken() {
        String printed = run(() -> ExplainTokens.main(new String[] {TEXT_MODEL.toString()}));
        Matcher numbers = Pattern.compile("-?\\d+\\.\\d+(E-?\\d+)?").matcher(printed);
        int count = 0;
        while (numbers.find()) {
            count++;
        }
        assertThat(count).as(printed).isEqualTo(10);
    }

    @Test
    void theReadmeShowsTheExamplesAsTheyAre() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        for (Path source : new Path[] {Path.of("src/main/java/io/xai4j/examples/ExplainImage.java"),
                Path.of("src/main/java/io/xai4j/examples/ExplainTokens.java"),
                ROOT.resolve("example-plugin/src/main/java/com/example/xai/PositiveGradCam.java"),
                ROOT.resolve("example-plugin/src/main/java/com/example/xai/SmoothReluGradients.java")}) {
            String code = Files.readString(source, StandardCharsets.UTF_8);
            assertThat(readme).as("README.md must show " + source + " verbatim in a ```java block")
                    .contains("```java\n" + code + "```");
        }
    }

    private static String run(Runnable main) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
