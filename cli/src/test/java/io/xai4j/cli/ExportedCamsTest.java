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
 * Gradient CAMs exported with the Java API ({@link ExplainerExport#write}) on the small ResNet and the demo CNN, run
 * in fresh ONNX Runtime sessions on two examples (predicted class, class 1), against the Explainer; the
 * {@code heatmap} output against the layer map resized with {@link ScalarMap#resize} and min-max normalised.
 */
class ExportedCamsTest {
    private static final double MAX_ERROR = 1e-5;
    private static final MethodRegistry METHODS = Xai4j.injector().getInstance(MethodRegistry.class);

    @TempDir
    Path dir;

    static Stream<Arguments> cams() {
        return Stream.of("resnet", "demo").flatMap(model -> Stream.of("grad-cam", "xgrad-cam", "grad-cam-plus-plus",
                "hires-cam", "layer-cam", "activation-map").map(method -> Arguments.of(model, method)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cams")
    void theExportedCamMatchesExplain(String modelName, String method) throws Exception {
        Path model = modelName.equals("demo") ? Demo.extract().model() : Fixtures.resnet(dir);
        Path out = dir.resolve(method + ".onnx");
        ExplainerModel exported = ExplainerExport.write(model, ModelOptions.defaults(),
                ExplainerExport.Request.of(METHODS.get(method)), out);
        assertThat(exported.outputs()).contains("attribution", "heatmap", "target_class");
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            String input = loaded.signature().firstInput().name();
            int[] shape = loaded.unitInputShapes().get(input);
            shape[0] = 2;
            Tensor x = TestTensors.random(11, shape);
            Map<String, Tensor> outputs = ExplainerRuns.run(out, Map.of(input, x), new long[] {-1, 1});
            Explanation expected = ExplainerRuns.explain(loaded, Map.of(input, x), method, Map.of(), null, "top1;1");
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
    void aTokenLayerIsRejectedWithTheLayoutItNeeds() throws Exception {
        Path model = Fixtures.resnet(dir);
        ExplainerExport.Request request = new ExplainerExport.Request(METHODS.get("grad-cam"), Map.of(),
                "logits", "exact");
        assertThatThrownBy(() -> ExplainerExport.write(model, ModelOptions.defaults(), request, dir.resolve("e.onnx")))
                .isInstanceOf(XaiException.class).hasMessageContaining("[N,C,H,W]")
                .satisfies(e -> assertThat(((XaiException) e).code()).isEqualTo(ErrorCode.UNKNOWN_LAYER));
    }
}
