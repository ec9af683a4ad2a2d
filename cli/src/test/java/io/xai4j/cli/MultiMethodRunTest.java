package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A method that fails in a run of several methods is reported with its error while the others finish and write
 * their files; the run then exits with the first failure's exit code.
 */
class MultiMethodRunTest {
    @TempDir
    Path temp;

    @Test
    void aFailingMethodDoesNotStopTheOthers() throws IOException {
        Path out = temp.resolve("out");
        CliRunner r = CliRunner.run("explain", "--model", resource("multilayer.onnx").toString(), "--input",
                resource("batch3.npy").toString(), "--method", "saliency,cam,score-cam,occlusion", "--target", "0",
                "--out", out.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: cam on batch3.npy: no layer could be chosen automatically")
                .contains("error: score-cam on batch3.npy: ")
                .contains("error: 2 of 4 explanations failed: cam on batch3.npy (exit 2), score-cam on batch3.npy"
                        + " (exit 2); the others were written. Exit code 2 is the first failure's");
        for (int i = 0; i < 3; i++) {
            assertThat(out.resolve("batch3-" + i + "/saliency/attribution.npy")).exists();
            assertThat(out.resolve("batch3-" + i + "/occlusion/attribution.npy")).exists();
            assertThat(out.resolve("batch3-" + i + "/cam")).doesNotExist();
        }
        assertThat(r.out()).contains("explained class 0 with occlusion");
    }

    @Test
    void theExitCodeIsTheFirstFailures() throws IOException {
        CliRunner r = CliRunner.run("explain", "--model", resource("one_conv.onnx").toString(), "--input",
                resource("one_conv_input.npy").toString(), "--method", "cam,grad-cam,saliency",
                "--param", "grad-cam.top-k=-1", "--out", temp.resolve("out").toString());

        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("error: cam on one_conv_input.npy: cam needs a model whose layer feeds global")
                .contains("error: grad-cam on one_conv_input.npy: ")
                .contains("2 of 3 explanations failed: cam on one_conv_input.npy (exit 4), grad-cam on"
                        + " one_conv_input.npy (exit 2)");
        assertThat(temp.resolve("out/one_conv_input/saliency/attribution.npy")).exists();
    }

    @Test
    void aRunOfOneMethodFailsAsAnyCommand() throws IOException {
        CliRunner r = CliRunner.run("explain", "--model", resource("multilayer.onnx").toString(), "--input",
                resource("occlusion_input.npy").toString(), "--method", "cam", "--out", temp.resolve("out").toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: no layer could be chosen automatically").doesNotContain("explanations failed");
    }

    private Path resource(String name) throws IOException {
        Path file = temp.resolve(name);
        try (InputStream in = MultiMethodRunTest.class.getResourceAsStream("/captum/" + name)) {
            Files.copy(in, file);
        }
        return file;
    }
}
