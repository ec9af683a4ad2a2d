package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --input DIR}: every image and .npy below it, one JSON Lines record each, bad files skipped. */
class FolderInputTest {
    @TempDir
    Path tmp;

    @Test
    void explainsEveryFileRecordsEachAndSkipsBadOnesWithoutOverwriting() throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in.resolve("a"));
        Files.createDirectories(in.resolve("b"));
        Files.copy(sample("circle.png"), in.resolve("a/shape.png"));
        Files.copy(sample("square.png"), in.resolve("b/shape.png"));
        Files.writeString(in.resolve("broken.png"), "not a png");
        Files.writeString(in.resolve("notes.txt"), "ignored");
        Path out = tmp.resolve("out");

        CliRunner r = CliRunner.run("explain", "--model", demo("shapes-cnn.onnx").toString(), "--input", in.toString(),
                "--labels", demo("labels.txt").toString(), "--preprocess", "imagenet", "--method", "grad-cam", "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("skipped").contains("broken.png");
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("explanations.jsonl"))) {
            records.add(new ObjectMapper().readTree(line));
        }
        assertThat(records).extracting(n -> Path.of(n.get("input").asText()).getFileName().toString())
                .containsExactly("shape.png", "shape.png", "broken.png");
        assertThat(records.get(0).get("ok").asBoolean()).isTrue();
        assertThat(records.get(0).at("/predictions/0/label").asText()).isEqualTo("circle");
        assertThat(records.get(1).at("/predictions/0/label").asText()).isEqualTo("square");
        assertThat(records.get(2).get("ok").asBoolean()).isFalse();
        assertThat(records.get(2).at("/error/code").asText()).isEqualTo("CORRUPT_FILE");
        Path first = Path.of(records.get(0).at("/explanations/0/files/0").asText());
        Path second = Path.of(records.get(1).at("/explanations/0/files/0").asText());
        assertThat(first).exists().isNotEqualTo(second);
        assertThat(second).exists();
        assertThat(out.resolve("a_shape_png/grad-cam/heatmap.png")).exists();
        assertThat(out.resolve("b_shape_png/grad-cam/heatmap.png")).exists();
    }

    private static Path sample(String name) throws Exception {
        return demo("samples/" + name);
    }

    private static Path demo(String name) throws Exception {
        return Path.of(FolderInputTest.class.getResource("/io/xai4j/cli/demo/" + name).toURI());
    }
}
