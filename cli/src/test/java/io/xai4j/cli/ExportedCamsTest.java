package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.inject.Xai4j;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.explain.ExplainerExport;
import io.xai4j.onnx.explain.ExplainerModel;
import io.xai4j.render.ScalarMap;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CAMs exported with the Java API ({@link ExplainerExport#write}) on the small ResNet and the demo CNN (Eigen-CAM,
 * Score-CAM and Ablation-CAM also on further ResNet layers and the ViT's patch embedding), run in fresh ONNX Runtime
 * sessions on two examples (predicted class, class 1), against the Explainer; the {@code heatmap} output against the
 * layer map resized with {@link ScalarMap#resize} and min-max normalised.
 */
class ExportedCamsTest {
    private static final double MAX_ERROR = 1e-5;
    private static final MethodRegistry METHODS = Xai4j.injector().getInstance(MethodRegistry.class);

    @TempDir
    Path dir;

    static Stream<Arguments> cams() {
        Stream<Arguments> automatic = Stream.of("resnet", "demo").flatMap(model -> Stream.of("grad-cam", "xgrad-cam",
                "grad-cam-plus-plus", "hires-cam", "layer-cam", "activation-map", "cam", "eigen-cam", "score-cam",
                "ablation-cam").map(method -> Arguments.of(model, method, null)));
        // Eigen-CAM's Gram matrix over the cells (layer3: 32 channels, 4x4) and over the channels (layer1: 16x16)
        return Stream.concat(automatic, Stream.of(
                Arguments.of("resnet", "eigen-cam", "/layer3/layer3.0/relu_1/Relu_output_0"),
                Arguments.of("resnet", "eigen-cam", "/layer1/layer1.0/relu_1/Relu_output_0"),
                Arguments.of("vit", "eigen-cam", "/patch_embed/Conv_output_0"),
                Arguments.of("resnet", "ablation-cam", "/layer3/layer3.0/relu_1/Relu_output_0"),
                Arguments.of("vit", "score-cam", "/patch_embed/Conv_output_0"),
                Arguments.of("vit", "ablation-cam", "/patch_embed/Conv_output_0")));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cams")
    void theExportedCamMatchesExplain(String modelName, String method, String layer) throws Exception {
        Path model = Fixtures.named(modelName, dir);
        Path out = dir.resolve(method + ".onnx");
        ExplainerModel exported = ExplainerExport.write(model, ModelOptions.defaults(), new ExplainerExport.Request(
                METHODS.get(method), Map.of(), layer, "exact"), out);
        assertThat(exported.outputs()).contains("attribution", "heatmap", "target_class");
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            String input = loaded.signature().firstInput().name();
            int[] shape = loaded.unitInputShapes().get(input);
            shape[0] = 2;
            Tensor x = TestTensors.random(11, shape);
            Map<String, Tensor> outputs = ExplainerRuns.run(out, Map.of(input, x), new long[] {-1, 1});
            Explanation expected = ExplainerRuns.explain(loaded, Map.of(input, x), method, Map.of(), layer, "top1;1");
            Tensor map = outputs.get("attribution");
            assertThat(ExplainerRuns.maxRelativeError(map, expected.attribution())).isLessThan(MAX_ERROR);

            Tensor heatmap = outputs.get("heatmap");
            assertThat(heatmap.shape()).containsExactly(2, 1, shape[2], shape[3]);
            for (int n = 0; n < 2; n++) {
                Tensor row = map.row(n);
                float[] reference = new ScalarMap(row.dim(1), row.dim(2), row.toArray()).resize(shape[2], shape[3])
                        .values();
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (float v : reference) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                float[] got = heatmap.row(n).toArray();
                for (int i = 0; i < got.length; i++) {
                    double scaled = max > min ? (reference[i] - min) / (max - min) : 0;
                    assertThat((double) got[i]).isCloseTo(scaled, within(MAX_ERROR));
                }
            }
        }
    }

    @Test
    void theActivationMapLeavesTheUnusedBackwardPassOut() throws Exception {
        Path model = Fixtures.resnet(dir);
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            ExplainerModel activations = ExplainerExport.build(loaded,
                    ExplainerExport.Request.of(METHODS.get("activation-map")));
            assertThat(activations.model().getGraph().getNodeList()).noneMatch(n -> n.getName().startsWith("grad/"));
            ExplainerModel gradCam = ExplainerExport.build(loaded,
                    ExplainerExport.Request.of(METHODS.get("grad-cam")));
            assertThat(gradCam.model().getGraph().getNodeList()).anyMatch(n -> n.getName().startsWith("grad/"));
        }
    }

    @Test
    void camRefusesALayerThatDoesNotFeedGlobalPoolingAndALinearLayer() throws Exception {
        Path model = Fixtures.resnet(dir);
        ExplainerExport.Request request = new ExplainerExport.Request(METHODS.get("cam"), Map.of(),
                "/layer3/layer3.0/relu_1/Relu_output_0", "exact");
        assertThatThrownBy(() -> ExplainerExport.write(model, ModelOptions.defaults(), request, dir.resolve("e.onnx")))
                .isInstanceOf(XaiException.class).hasMessageContaining("global average pooling")
                .hasMessageContaining("grad-cam")
                .satisfies(e -> assertThat(((XaiException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_OP));
        assertThat(dir.resolve("e.onnx")).doesNotExist();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsWithoutMaps")
    void activationCamsRefuseModelsWithoutAChannelsFirstMap(String modelName, String method) throws Exception {
        Path model = Fixtures.named(modelName, dir);
        assertThatThrownBy(() -> ExplainerExport.write(model, ModelOptions.defaults(),
                ExplainerExport.Request.of(METHODS.get(method)), dir.resolve("e.onnx")))
                .isInstanceOf(XaiException.class).hasMessageContaining("[N,C,H,W]")
                .satisfies(e -> assertThat(((XaiException) e).code()).isEqualTo(ErrorCode.UNKNOWN_LAYER));
    }

    static Stream<Arguments> modelsWithoutMaps() {
        return Stream.of("vit", "lstm").flatMap(model -> Stream.of("cam", "eigen-cam", "score-cam", "ablation-cam")
                .map(method -> Arguments.of(model, method)));
    }

    @Test
    void ablationCamRefusesALayerWithASkipConnectionAroundIt() throws Exception {
        Path model = Fixtures.resnet(dir);
        ExplainerExport.Request request = new ExplainerExport.Request(METHODS.get("ablation-cam"),
                Map.of(), "/layer4/layer4.0/relu/Relu_output_0", "exact");
        assertThatThrownBy(() -> ExplainerExport.write(model, ModelOptions.defaults(), request, dir.resolve("e.onnx")))
                .isInstanceOf(XaiException.class).hasMessageContaining("still needs model input [input] for output"
                        + " 'logits'").hasMessageContaining("choose a later layer")
                .satisfies(e -> assertThat(((XaiException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_OP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("perturbationCams")
    void perturbationCamsBeyondTheMemoryBudgetAreRefusedWithTheSize(String method, String what) throws Exception {
        Path model = Fixtures.wideConvModel(dir, 1024, 256);
        CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", method,
                "--out", dir.resolve("e.onnx").toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(what + " each of the 1024 channels of layer 'conv'", "1025 rows per example",
                "MiB", "1024 MiB budget", "fewer channels");
        assertThat(dir.resolve("e.onnx")).doesNotExist();
    }

    static Stream<Arguments> perturbationCams() {
        return Stream.of(Arguments.of("score-cam", "masks the input with"), Arguments.of("ablation-cam", "zeroes"));
    }

    @Test
    void aTokenLayerIsRejectedWithTheLayoutItNeeds() throws Exception {
        Path model = Fixtures.resnet(dir);
        ExplainerExport.Request request = new ExplainerExport.Request(METHODS.get("grad-cam"), Map.of(),
                "logits", "exact");
        assertThatThrownBy(() -> ExplainerExport.write(model, ModelOptions.defaults(), request, dir.resolve("e.onnx")))
                .isInstanceOf(XaiException.class).hasMessageContaining("[N,C,H,W]")
                .satisfies(e -> assertThat(((XaiException) e).code()).isEqualTo(ErrorCode.UNKNOWN_LAYER));
    }
}
