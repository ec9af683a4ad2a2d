package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.inject.MethodRegistry;
import io.xai4j.inject.Xai4j;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.explain.ExplainerExport;
import io.xai4j.onnx.explain.ExplainerModel;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exported occlusion (all windows of an example as rows of one forward pass) on the small ResNet, the demo CNN, the
 * ViT and the LSTM, in fresh ONNX Runtime sessions on three examples (predicted class, class 1, class 3) against the
 * Explainer, with default and given windows, both borders and a constant baseline.
 */
class ExportedOcclusionTest {
    private static final double MAX_ERROR = 1e-5;
    private static final MethodRegistry METHODS = Xai4j.injector().getInstance(MethodRegistry.class);

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("resnet", Map.of()),
                Arguments.of("resnet", Map.of("window", "3,12,12", "stride", "7", "border", "shift", "baseline", "0.5")),
                Arguments.of("resnet", Map.of("window", "10,10", "stride", "6,4")),
                Arguments.of("demo", Map.of()),
                Arguments.of("vit", Map.of("window", "8,8")),
                Arguments.of("lstm", Map.of()),
                Arguments.of("lstm", Map.of("window", "2,5", "stride", "1")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void theExportMatchesExplain(String modelName, Map<String, String> parameters) throws Exception {
        Path model = model(modelName);
        Path out = dir.resolve(modelName + ".occlusion.onnx");
        ExplainerModel written = ExplainerExport.write(model, ModelOptions.defaults(), new ExplainerExport.Request(
                METHODS.get("occlusion"), parameters, null, GradientRequest.EXACT), out);
        assertThat(written.model().getGraph().getNodeList()).noneMatch(n -> n.getName().startsWith("grad/"));
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            String input = loaded.signature().firstInput().name();
            Tensor x = ExplainerRuns.threeExamples(loaded, 17);
            Map<String, Tensor> exported = ExplainerRuns.agreement(loaded, out, "occlusion", parameters, x, Map.of(),
                    MAX_ERROR).exported();
            String output = loaded.signature().firstOutput().name();
            assertThat(ExplainerRuns.maxRelativeError(exported.get(output), loaded.forward(Map.of(input, x))
                    .get(output))).isLessThan(MAX_ERROR);
        }
    }

    @Test
    void windowsBeyondTheMemoryBudgetAreRefusedWithTheSize() throws Exception {
        Path model = model("resnet");
        CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", "occlusion",
                "--param", "window=1,1", "--param", "stride=1", "--out", dir.resolve("e.onnx").toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("4096 windows", "4097 rows per example", "MiB", "1024 MiB budget",
                "larger window or stride");
        assertThat(dir.resolve("e.onnx")).doesNotExist();
    }

    @Test
    void featureGroupsAreNotExported() throws Exception {
        CliRunner r = CliRunner.run("export-explainer", "--model", model("resnet").toString(), "--method", "occlusion",
                "--param", "grid=8,8", "--out", dir.resolve("e.onnx").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("grid=8,8", "supports baseline, border, stride, window", "mask unset")
                .doesNotContain("=null");
    }

    private Path model(String name) throws Exception {
        return Fixtures.named(name, dir);
    }
}
