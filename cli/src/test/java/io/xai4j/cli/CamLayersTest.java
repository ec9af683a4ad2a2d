package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CAM methods on the layers Captum's LayerGradCam accepts besides maps: a flat {@code [N,C]} layer and a model
 * input. On Captum's BasicModel_MultiLayer with input [0, 100, 0] and target 0, {@code linear0} is the identity, so
 * its activations are the input {@code a = [0, 100, 0]}, and all four hidden units are active, so every gradient
 * is {@code g = 4}; the closed forms follow (Grad-CAM itself is checked against Captum in {@link CaptumParityTest}).
 */
class CamLayersTest {
    private static final String LINEAR0 = "/linear0/Gemm_output_0";

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "hires-cam, 400",                  // ReLU(sum_c g a) = 4 * 100
        "layer-cam, 400",                  // ReLU(sum_c ReLU(g) a)
        "xgrad-cam, 400",                  // w = sum(g a) / sum(a) = g
        "grad-cam-plus-plus, 0.99502488",  // w = g * g^2 / (2 g^2 + a g^3) = 4 * 16 / 6432, times a = 100
        "activation-map, 33.3333333",      // the channel mean 100 / 3
        "ablation-cam, 99.4897959"})       // (392 - 2) / 392 * 100: zeroing a_1 takes y0 from 392 to 2
    void flatLayersGiveOneValuePerExample(String method, double expected) throws IOException {
        Tensor map = explain(method, "multilayer.onnx", "grad_cam_input.npy", LINEAR0, 0);

        assertThat(map.shape()).containsExactly(1, 1);
        assertThat((double) map.get(0)).isCloseTo(expected, within(1e-4 * expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"eigen-cam", "score-cam", "cam"})
    void methodsThatNeedPositionsRefuseFlatLayers(String method) throws IOException {
        CliRunner r = run(method, "multilayer.onnx", "grad_cam_input.npy", LINEAR0);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("method '" + method + "' needs a layer with positions ([N,C,H,W] maps or [N,T,C]"
                + " tokens), but layer '" + LINEAR0 + "' has shape [1, 3], features at a single position");
    }

    @ParameterizedTest
    @ValueSource(strings = {"activation-map", "hires-cam", "eigen-cam", "score-cam", "ablation-cam"})
    void aModelInputIsALayer(String method) throws IOException {
        Tensor map = explain(method, "one_conv.onnx", "one_conv_input.npy", "x", 0);

        assertThat(map.shape()).containsExactly(1, 1, 4, 4);
        if (method.equals("activation-map")) {
            assertThat(map.toArray()).containsExactly(Npy.read(resource("one_conv_input.npy")).toArray());
        }
    }

    @Test
    void gradientMethodsAttributeToAModelInputAsToTheInput() throws IOException {
        Tensor atInput = explain("saliency", "one_conv.onnx", "one_conv_input.npy", "x", 0);
        Tensor plain = explain("saliency", "one_conv.onnx", "one_conv_input.npy", null, 1);

        assertThat(atInput.toArray()).containsExactly(plain.toArray());
    }

    private Tensor explain(String method, String model, String input, String layer, int run) throws IOException {
        CliRunner r = run(method, model, input, layer, "--out", temp.resolve("out" + run).toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return Npy.read(temp.resolve("out" + run).resolve("attribution.npy"));
    }

    private CliRunner run(String method, String model, String input, String layer, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("explain", "--model", resource(model).toString(), "--input",
                resource(input).toString(), "--method", method, "--target", "0"));
        if (layer != null) {
            args.addAll(List.of("--layer", layer));
        }
        args.addAll(more.length > 0 ? List.of(more) : List.of("--out", temp.resolve("out").toString()));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private Path resource(String name) throws IOException {
        Path file = temp.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = CamLayersTest.class.getResourceAsStream("/captum/" + name)) {
                Files.copy(in, file);
            }
        }
        return file;
    }
}
