package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {
    @TempDir
    Path tmp;

    @Test
    void explainsTheEmbeddedDemoByDefault() throws Exception {
        Path out = tmp.resolve("out");
        CliRunner r = CliRunner.run("explain", "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("embedded demo").contains("heatmap.png");
        assertThat(Npy.read(out.resolve("attribution.npy")).shape()).containsExactly(1, 3, 64, 64);
        assertThat(Files.size(out.resolve("heatmap.png"))).isPositive();
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(json.at("/method").asText()).isEqualTo("occlusion");
        assertThat(json.at("/predictions/0")).hasSize(5);
        assertThat(json.at("/provenance/modelSha256").asText()).hasSize(64);
        assertThat(json.at("/provenance/preprocessing").asText()).contains("mean=0.485");
        assertThat(leftovers(out)).isZero();
    }

    @Test
    void severalMethodsAndTopKTargetsGetTheirOwnDirectories() {
        Path out = tmp.resolve("out");
        CliRunner r = CliRunner.run("explain", "--out", out.toString(), "--method", "occlusion,rise",
                "--param", "window=16,16", "--param", "rise.masks=40", "--target", "top:2");

        assertThat(r.exitCode()).as(r.err()).isZero();
        Path occlusion = out.resolve("two-shapes").resolve("rise");
        try (Stream<Path> dirs = Files.list(occlusion)) {
            assertThat(dirs.filter(Files::isDirectory).count()).isEqualTo(2);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(out.resolve("two-shapes").resolve("occlusion")).isDirectory();
    }

    @Test
    void explainsANonImageTensor() throws Exception {
        Path model = resource("fixtures/sequence.onnx");
        Path input = tmp.resolve("sequence.npy");
        Npy.write(input, Npy.read(resource("fixtures/sequence.input.npy")).row(0));
        Path out = tmp.resolve("seq");
        CliRunner r = CliRunner.run("explain", "--model", model.toString(), "--input", input.toString(),
                "--target", "logits[0:16,1]", "--param", "window=4,1", "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        Tensor attribution = Npy.read(out.resolve("attribution.npy"));
        assertThat(attribution.shape()).containsExactly(1, 20, 4);
        assertThat(Files.size(out.resolve("heatmap.png"))).isPositive();
    }

    @Test
    void layerMethodsWriteTheMapAtLayerResolutionAndNameTheLayer() throws Exception {
        Path out = tmp.resolve("cam");
        CliRunner r = CliRunner.run("explain", "--out", out.toString(), "--method", "grad-cam", "--layer", "features.15");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("layer:   /features/features.15/Relu_output_0");
        assertThat(Npy.read(out.resolve("attribution.npy")).shape()).containsExactly(1, 1, 16, 16);
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(json.at("/provenance/layer").asText()).isEqualTo("/features/features.15/Relu_output_0");
        assertThat(json.at("/details/channelWeights/0")).isNotEmpty();
    }

    @Test
    void repeatedTargetsCompareTheExitsOfAMultiExitModel() throws Exception {
        Path input = tmp.resolve("x.npy");
        Npy.write(input, Npy.read(resource("fixtures/multi_head.input.npy")).row(0));
        Path out = tmp.resolve("exits");
        CliRunner r = CliRunner.run("explain", "--model", resource("fixtures/multi_head.onnx").toString(),
                "--input", input.toString(), "--method", "saliency", "--target", "exit1:1", "--target", "exit2:1",
                "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(out.resolve("exit1_1_class_1/attribution.npy")).exists();
        assertThat(out.resolve("exit2_1_class_1/attribution.npy")).exists();
        assertThat(r.out()).containsPattern("exit1:1 class 1 vs exit2:1 class 1: -?[01]\\.\\d{3}");
        JsonNode agreement = new ObjectMapper().readTree(out.resolve("agreement.json").toFile());
        assertThat(agreement.at("/pairs/0/correlation").asDouble()).isBetween(-1.0, 1.0);
    }

    @Test
    void perExampleTargetsGiveOneTargetPerInput() throws Exception {
        Path out = tmp.resolve("out");
        CliRunner r = CliRunner.run("explain", "--out", out.toString(), "--target", "2;1",
                "--input", demoSample("circle.png").toString(), "--input", demoSample("square.png").toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode circle = new ObjectMapper().readTree(out.resolve("circle/occlusion/explanation.json").toFile());
        JsonNode square = new ObjectMapper().readTree(out.resolve("square/occlusion/explanation.json").toFile());
        assertThat(circle.at("/target/labels/0").asText()).contains("triangle");
        assertThat(square.at("/target/labels/0").asText()).contains("square");
    }

    @Test
    void perExampleTargetsMustMatchTheInputs() throws Exception {
        CliRunner r = CliRunner.run("explain", "--out", tmp.resolve("out").toString(), "--target", "2;1;0",
                "--input", demoSample("circle.png").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("3 targets for 1 example;");
    }

    private static Path demoSample(String name) throws Exception {
        return resource("io/xai4j/cli/demo/samples/" + name);
    }

    private static Path resource(String name) throws Exception {
        return Path.of(ExplainCommandTest.class.getResource("/" + name).toURI());
    }

    private static long leftovers(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".")).count();
        }
    }
}
