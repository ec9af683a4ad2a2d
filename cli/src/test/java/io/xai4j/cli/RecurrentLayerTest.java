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
 * CAM layers of a recurrent classifier: a 2-layer bidirectional LSTM over [1, 6, 5] with a linear head on the last
 * step ({@code tools/fixtures/make_gradient_fixtures.py}). Its LSTM nodes output [T, directions, N, H], whose first
 * axis is not the batch; the automatic choice is the batch-first [N, T, 2H] sequence the head reads, for which the
 * fixture holds PyTorch's activations and gradients (target class 3).
 */
class RecurrentLayerTest {
    private static final String SEQUENCE = "/rnn/Transpose_3_output_0";

    @TempDir
    Path temp;

    @Test
    void gradCamChoosesTheBatchFirstSequenceAndMatchesItsClosedForm() throws IOException {
        Path out = temp.resolve("out");
        CliRunner r = CliRunner.run("explain", "--model", fixture("lstm.onnx").toString(), "--input",
                fixture("lstm.input.npy").toString(), "--method", "grad-cam", "--param", "relu=false", "--target", "3",
                "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(json.at("/details/layer").asText()).isEqualTo(SEQUENCE);
        assertThat(json.at("/details/layerSelection").asText()).contains("over the input's 6 time steps");
        // Grad-CAM over the time steps: w_c = mean_t g[t, c], map_t = sum_c w_c a[t, c]
        Tensor a = Npy.read(fixture("lstm.inner.npy")).row(0);
        Tensor g = Npy.read(fixture("lstm.grad_inner.npy")).row(0);
        Tensor map = Npy.read(out.resolve("attribution.npy"));
        assertThat(map.shape()).containsExactly(1, 1, 1, 6);
        int steps = a.dim(0);
        int channels = a.dim(1);
        for (int t = 0; t < steps; t++) {
            double expected = 0;
            for (int c = 0; c < channels; c++) {
                double w = 0;
                for (int s = 0; s < steps; s++) {
                    w += g.at(s, c) / steps;
                }
                expected += w * a.at(t, c);
            }
            assertThat((double) map.get(t)).as("step %d", t).isCloseTo(expected, within(1e-4));
        }
    }

    @Test
    void aLayerWhoseFirstAxisIsNotTheBatchIsAUsageError() throws IOException {
        CliRunner r = CliRunner.run("explain", "--model", fixture("lstm.onnx").toString(), "--input",
                fixture("lstm.input.npy").toString(), "--method", "grad-cam", "--layer", "/rnn/LSTM_output_0",
                "--out", temp.resolve("out").toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("layer '/rnn/LSTM_output_0' has shape [6, 2, 1, 7] for a batch of 1: its first"
                + " axis is not the batch");
    }

    @Test
    void aRunOfSeveralMethodsFinishesOnARecurrentModel() throws IOException {
        Path out = temp.resolve("out");
        CliRunner r = CliRunner.run("explain", "--model", fixture("lstm.onnx").toString(), "--input",
                fixture("lstm.input.npy").toString(), "--method", "grad-cam,saliency,occlusion", "--out",
                out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String method : new String[] {"grad-cam", "saliency", "occlusion"}) {
            assertThat(out.resolve("lstm.input/" + method + "/attribution.npy")).exists();
        }
    }

    private Path fixture(String name) throws IOException {
        Path file = temp.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = RecurrentLayerTest.class.getResourceAsStream("/fixtures/" + name)) {
                Files.copy(in, file);
            }
        }
        return file;
    }
}
