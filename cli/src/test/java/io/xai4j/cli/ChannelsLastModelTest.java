package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.ModelOpener;
import io.xai4j.explain.Explanation;
import io.xai4j.inject.Xai4j;
import io.xai4j.io.Npy;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.target.TargetParser;
import io.xai4j.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model laid out as tf2onnx exports Keras models ({@code tools/fixtures/make_channels_last_fixture.py}): the
 * map before the head, {@code t4}, is channels-last {@code [N,H,W,C]}, a Transpose of the channels-first
 * {@code r4}. Layer methods must read it as such: the same map for either tensor, and {@code r4} when chosen
 * automatically.
 */
class ChannelsLastModelTest {
    private static final String CHANNELS_FIRST = "r4";
    private static final String CHANNELS_LAST = "t4";

    private static Model model;
    private static Explainer explainer;
    private static Tensor input;

    @BeforeAll
    static void openModel() throws Exception {
        explainer = Xai4j.injector().getInstance(Explainer.class);
        model = Xai4j.injector().getInstance(ModelOpener.class).open(resource("channels_last.onnx"),
                ModelOptions.defaults());
        input = Npy.read(resource("channels_last.input.npy"));
    }

    @AfterAll
    static void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grad-cam", "cam", "ablation-cam", "score-cam", "eigen-cam", "activation-map"})
    void theChannelsLastMapGivesTheSameMapAsItsChannelsFirstTwin(String method) {
        Tensor channelsFirst = explain(method, CHANNELS_FIRST).attribution();
        Explanation last = explain(method, CHANNELS_LAST);
        Tensor channelsLast = last.attribution();

        assertThat(channelsFirst.shape()).containsExactly(1, 1, 16, 16);
        assertThat(channelsLast.shape()).containsExactly(1, 1, 16, 16);
        double largest = 0;
        for (int i = 0; i < channelsFirst.size(); i++) {
            largest = Math.max(largest, Math.abs(channelsFirst.get(i)));
        }
        assertThat(largest).as("a map with signal").isGreaterThan(1e-6);
        for (int i = 0; i < channelsFirst.size(); i++) {
            assertThat((double) Math.abs(channelsLast.get(i) - channelsFirst.get(i))).as("cell %d", i)
                    .isLessThanOrEqualTo(1e-5 * largest);
        }
        assertThat(last.details().get("layerLayout")).isEqualTo("16x16x32 (channels last) as 32x16x16");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grad-cam", "cam"})
    void theAutomaticLayerIsTheChannelsFirstMap(String method) {
        Explanation e = explain(method, null);
        assertThat(e.details().get("layer")).isEqualTo(CHANNELS_FIRST);
        assertThat(e.attribution().shape()).containsExactly(1, 1, 16, 16);
    }

    /** The same model fed bytes: gradients are taken at the Cast to float, 255 times smaller than at the floats. */
    @Test
    void aByteInputIsAttributedAtItsCastToFloat() throws Exception {
        Tensor bytes = Tensor.zeros(input.shape());
        Tensor scaled = Tensor.zeros(input.shape());
        for (int i = 0; i < input.size(); i++) {
            bytes.set(i, Math.round(255 * input.get(i)));
            scaled.set(i, bytes.get(i) / 255f);
        }
        try (Model fedBytes = Xai4j.injector().getInstance(ModelOpener.class).open(
                resource("channels_last_uint8.onnx"), ModelOptions.defaults())) {
            ExplainOptions options = ExplainOptions.builder("saliency").param("abs", "false")
                    .target(TargetParser.parse("4")).build();
            Explanation atCast = explainer.explain(fedBytes, Map.of("image_u8", bytes), options).get(0);
            Tensor atFloats = explainer.explain(model, Map.of("input_1", scaled), options).get(0).attribution();
            assertThat((String) atCast.details().get("layerSelection")).contains("Cast of the UINT8 input 'image_u8'");
            assertThat(atCast.attribution().shape()).containsExactly(input.shape());
            for (int i = 0; i < input.size(); i++) {
                assertThat((double) atCast.attribution().get(i) * 255).isCloseTo(atFloats.get(i),
                        within(1e-4 * Math.abs(atFloats.get(i)) + 1e-9));
            }
        }
    }

    @Test
    void anExplicitImageLayoutIsHonouredOrRefusedNamingTheInputsShape(@TempDir Path out) throws Exception {
        Path image = Path.of(ChannelsLastModelTest.class.getResource("/io/xai4j/cli/demo/samples/circle.png").toURI());
        String modelFile = resource("channels_last.onnx").toString();
        CliRunner refused = CliRunner.run("explain", "--model", modelFile, "--input", image.toString(), "--method",
                "saliency", "--preprocess", "imagenet,layout=nchw", "--out", out.resolve("nchw").toString());
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("layout=nchw was asked for", "'input_1' [", ",64,64,3]", "layout=nhwc");
        assertThat(out.resolve("nchw")).doesNotExist();
        for (String spec : List.of("imagenet,layout=nhwc", "imagenet")) {
            Path dir = out.resolve(spec.replace(',', '-').replace('=', '-'));
            CliRunner run = CliRunner.run("explain", "--model", modelFile, "--input", image.toString(), "--method",
                    "saliency", "--preprocess", spec, "--out", dir.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(Files.readString(dir.resolve("explanation.json"))).contains("layout=nhwc");
        }
    }

    private static Explanation explain(String method, String layer) {
        ExplainOptions.Builder options = ExplainOptions.builder(method);
        if (layer != null) {
            options.layer(layer);
        }
        List<Explanation> explanations = explainer.explain(model, Map.of("input_1", input), options.build());
        assertThat(explanations).hasSize(1);
        return explanations.get(0);
    }

    private static Path resource(String name) throws Exception {
        return Path.of(ChannelsLastModelTest.class.getResource("/fixtures/" + name).toURI());
    }
}
