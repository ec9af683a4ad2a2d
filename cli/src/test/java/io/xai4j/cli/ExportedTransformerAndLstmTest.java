package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.explain.Explanation;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.inject.Xai4j;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.explain.ExplainerExport;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exported gradient methods on a small ViT (patch embedding, attention, LayerNormalization, GELU; input
 * [N,3,32,32]) and an LSTM classifier (input [N,6,5]), the fixtures of the gradient tests, in fresh ONNX Runtime
 * sessions against the Explainer, on three examples (predicted class, class 2, class 7).
 */
class ExportedTransformerAndLstmTest {
    private static final double MAX_ERROR = 1e-5;
    private static final MethodRegistry METHODS = Xai4j.injector().getInstance(MethodRegistry.class);

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of("vit", "lstm").flatMap(model -> Stream.of(
                Arguments.of(model, "saliency", Map.of()),
                Arguments.of(model, "input-x-gradient", Map.of()),
                Arguments.of(model, "integrated-gradients", Map.of("steps", "5"))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void theExportMatchesExplain(String modelName, String method, Map<String, String> parameters) throws Exception {
        Path model = dir.resolve(modelName + ".onnx");
        try (InputStream in = getClass().getResourceAsStream("/models/" + modelName + ".onnx")) {
            Files.copy(in, model);
        }
        Path out = dir.resolve(modelName + "." + method + ".onnx");
        ExplainerExport.write(model, ModelOptions.defaults(), new ExplainerExport.Request(
                METHODS.get(method), parameters, null, GradientRequest.EXACT), out);
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            String input = loaded.signature().firstInput().name();
            int[] shape = loaded.unitInputShapes().get(input);
            shape[0] = 3;
            Tensor x = TestTensors.random(13, shape);
            Map<String, Tensor> exported = ExplainerRuns.run(out, Map.of(input, x), new long[] {-1, 2, 7});
            Explanation expected = ExplainerRuns.explain(loaded, Map.of(input, x), method, parameters, null,
                    "top1;2;7");
            assertThat(ExplainerRuns.maxRelativeError(exported.get("attribution"), expected.attribution()))
                    .isLessThan(MAX_ERROR);
        }
    }
}
