package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code through-softmax} is a parameter of every gradient method and gradient CAM, recorded in the provenance,
 * with what was differentiated in the details; the noise tunnel hands it to its base. The numbers against Captum
 * are in {@link CaptumParityTest}; here, that they depend on it.
 */
class ThroughSoftmaxTest {
    @TempDir
    Path temp;

    @Test
    void everyGradientMethodTakesItAndNoOtherDoes() throws IOException {
        CliRunner r = CliRunner.run("methods", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> with = new ArrayList<>();
        for (JsonNode method : new ObjectMapper().readTree(r.out())) {
            boolean takes = false;
            for (JsonNode p : method.get("parameters")) {
                takes |= p.get("name").asText().equals("through-softmax");
            }
            if (takes) {
                with.add(method.get("name").asText());
            }
        }
        assertThat(with).containsExactlyInAnyOrder("saliency", "input-x-gradient", "integrated-gradients",
                "gradient-shap", "smoothgrad", "smoothgrad-sq", "vargrad", "grad-cam", "grad-cam-plus-plus",
                "xgrad-cam", "hires-cam", "layer-cam");
    }

    @Test
    void theChoiceIsRecordedAndChangesTheResult() throws IOException {
        Tensor logits = explain("logits", "saliency");
        Tensor softmax = explain("softmax", "saliency", "through-softmax=true");
        Tensor captum = Npy.read(resource("softmax_saliency.npy")).rows(0, 1);

        assertThat(maxDifference(softmax, captum)).isLessThan(1e-6);
        assertThat(maxDifference(logits, captum)).isGreaterThan(1e-2);
        JsonNode on = json("softmax");
        JsonNode off = json("logits");
        assertThat(on.at("/provenance/parameters/through-softmax").asText()).isEqualTo("true");
        assertThat(off.at("/provenance/parameters/through-softmax").asText()).isEqualTo("false");
        assertThat(on.at("/details/differentiated").asText()).isEqualTo("output 'y', through its Softmax");
        assertThat(off.at("/details/differentiated").asText())
                .isEqualTo("the logits of output 'y': the input of its Softmax (through-softmax=false)");
    }

    @Test
    void theNoiseTunnelHandsItToItsBaseUnlessTheBaseIsGivenItsOwn() throws IOException {
        Tensor logits = explain("saliency", "saliency");
        Tensor tunnel = explain("tunnel", "smoothgrad", "stdevs=0", "samples=2", "through-softmax=true");
        Tensor overridden = explain("overridden", "smoothgrad", "stdevs=0", "samples=2", "through-softmax=true",
                "base.through-softmax=false");

        assertThat(maxDifference(tunnel, Npy.read(resource("softmax_saliency.npy")).rows(0, 1))).isLessThan(1e-6);
        assertThat(maxDifference(overridden, logits)).isLessThan(1e-6);
        assertThat(json("tunnel").at("/details/differentiated").asText())
                .isEqualTo("output 'y', through its Softmax");
    }

    @Test
    void gradientCamsRecordItToo() throws IOException {
        explain("cam", "grad-cam", "through-softmax=true");

        assertThat(json("cam").at("/details/differentiated").asText())
                .isEqualTo("output 'y', through its Softmax");
    }

    /** The first example of the softmax model's input, target class 2, with extra {@code --param}s. */
    private Tensor explain(String name, String method, String... params) throws IOException {
        Tensor input = Npy.read(resource("convnet_input.npy")).rows(0, 1);
        Path file = temp.resolve("first.npy");
        Npy.write(file, input);
        List<String> args = new ArrayList<>(List.of("explain", "--model", resource("convnet_softmax.onnx").toString(),
                "--input", file.toString(), "--method", method, "--target", "2", "--out",
                temp.resolve(name).toString()));
        if (method.equals("grad-cam")) {
            args.addAll(List.of("--layer", "/conv2/Conv_output_0"));
        }
        for (String p : params) {
            args.addAll(List.of("--param", p));
        }
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return Npy.read(temp.resolve(name).resolve("attribution.npy"));
    }

    private JsonNode json(String name) throws IOException {
        return new ObjectMapper().readTree(temp.resolve(name).resolve("explanation.json").toFile());
    }

    private Path resource(String name) throws IOException {
        Path file = temp.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = ThroughSoftmaxTest.class.getResourceAsStream("/captum/" + name)) {
                Files.copy(in, file);
            }
        }
        return file;
    }

    private static double maxDifference(Tensor a, Tensor b) {
        assertThat(a.shape()).containsExactly(b.shape());
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            max = Math.max(max, Math.abs(a.get(i) - b.get(i)));
        }
        return max;
    }
}
