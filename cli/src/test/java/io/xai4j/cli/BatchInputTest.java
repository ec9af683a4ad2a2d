package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An .npy of several examples is explained as a batch, one directory per example, with one target per example,
 * whether the model's batch is symbolic or fixed; an .npy whose examples do not fit gets a message that names the
 * example shape (numbers against Captum are in {@link CaptumParityTest}).
 */
class BatchInputTest {
    @TempDir
    Path temp;

    @Test
    void eachExampleGetsItsOwnDirectoryTargetAndDetails() throws IOException {
        Path out = temp.resolve("out");
        CliRunner r = CliRunner.run("explain", "--model", captum("multilayer_fixed3.onnx").toString(), "--input",
                captum("batch3.npy").toString(), "--method", "integrated-gradients", "--target", "0;1;0",
                "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("batch3.npy[0]: ", "batch3.npy[2]: ");
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 3; i++) {
            JsonNode e = json.readTree(out.resolve("batch3-" + i + "/integrated-gradients/explanation.json").toFile());
            assertThat(e.at("/target/labels").size()).isEqualTo(1);
            assertThat(e.at("/target/labels/0").asText()).isEqualTo("class " + (i == 1 ? 1 : 0));
            assertThat(e.at("/predictions").size()).isEqualTo(1);
            assertThat(e.at("/details/convergenceDelta").size()).isEqualTo(1);
            assertThat(e.at("/provenance/inputSources/0").asText()).isEqualTo("batch3.npy[" + i + "]");
            assertThat(Npy.read(out.resolve("batch3-" + i + "/integrated-gradients/attribution.npy")).shape())
                    .containsExactly(1, 3);
        }
    }

    @Test
    void perExampleTargetsCountTheExamplesOfEveryInput() throws IOException {
        CliRunner r = CliRunner.run("explain", "--model", captum("multilayer.onnx").toString(), "--input",
                captum("batch3.npy").toString(), "--input", captum("occlusion_input.npy").toString(),
                "--method", "saliency", "--target", "0;1;0", "--out", temp.resolve("out").toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'0;1;0' gives 3 targets for 4 examples (3 + 1 in the 2 inputs)");
    }

    @Test
    void examplesOfTheWrongShapeAreRefusedWithTheExampleShape() throws IOException {
        Path wrong = temp.resolve("wrong.npy");
        Npy.write(wrong, Tensor.zeros(6, 2));
        CliRunner r = CliRunner.run("explain", "--model", captum("basic_fixed6.onnx").toString(), "--input",
                wrong.toString(), "--method", "saliency", "--out", temp.resolve("out").toString());

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("has shape [6, 2], but model input 'x' [batch,1] takes examples of shape [1]: give"
                + " one example [1] or a batch [N,1]");
    }

    @Test
    void otherInputsOfOneRowServeEveryExample() throws IOException {
        Tensor ids = Npy.read(text("ids.npy"));
        Path batch = temp.resolve("ids2.npy");
        Npy.write(batch, Tensor.concat(java.util.List.of(ids, ids)));
        Path out = temp.resolve("out");
        CliRunner r = CliRunner.run("explain", "--model", text("text.onnx").toString(), "--input", batch.toString(),
                "--feed", "mask=" + text("mask.npy"), "--method", "saliency", "--param", "abs=false", "--target", "2",
                "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        Tensor expected = Npy.read(text("layer_saliency.npy"));
        float maxAbs = 0;
        for (int e = 0; e < expected.size(); e++) {
            maxAbs = Math.max(maxAbs, Math.abs(expected.get(e)));
        }
        for (int i = 0; i < 2; i++) {
            Tensor actual = Npy.read(out.resolve("ids2-" + i + "/saliency/attribution.npy"));
            assertThat(actual.shape()).containsExactly(expected.shape());
            for (int e = 0; e < actual.size(); e++) {
                assertThat(actual.get(e)).isCloseTo(expected.get(e), within(1e-4f * maxAbs));
            }
        }
    }

    private Path captum(String name) throws IOException {
        return resource("captum", name);
    }

    private Path text(String name) throws IOException {
        return resource("text", name);
    }

    private Path resource(String dir, String name) throws IOException {
        Path file = temp.resolve(dir).resolve(name);
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            try (InputStream in = BatchInputTest.class.getResourceAsStream("/" + dir + "/" + name)) {
                Files.copy(in, file);
            }
        }
        return file;
    }
}
