package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.explain.Explanation;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.inject.Xai4j;
import io.xai4j.io.Npy;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.explain.ExplainerExport;
import io.xai4j.onnx.explain.ExplainerModel;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exported relevance methods (guided backpropagation, deconvnet, DeepLift, guided Grad-CAM) and gradients under a
 * chosen rule set, on the small ResNet, the demo CNN, the ViT and the LSTM, in fresh ONNX Runtime sessions on three
 * examples (predicted class, class 1, class 3) against the Explainer.
 */
class ExportedRelevanceTest {
    private static final double MAX_ERROR = 1e-5;
    private static final MethodRegistry METHODS = Xai4j.injector().getInstance(MethodRegistry.class);

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        Stream<Arguments> everywhere = Stream.of("resnet", "demo", "vit", "lstm").flatMap(model -> Stream.of(
                Arguments.of(model, "guided-backprop", Map.of()),
                Arguments.of(model, "deconvnet", Map.of()),
                Arguments.of(model, "deeplift", Map.of())));
        return Stream.concat(everywhere, Stream.of(
                Arguments.of("resnet", "deeplift", Map.of("baseline", "0.25")),
                Arguments.of("resnet", "deeplift-shap", Map.of("baseline", "0.25")),
                Arguments.of("resnet", "guided-grad-cam", Map.of()),
                Arguments.of("demo", "guided-grad-cam", Map.of())));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void theExportMatchesExplain(String modelName, String method, Map<String, String> parameters) throws Exception {
        Path model = model(modelName);
        Path out = dir.resolve(modelName + "." + method + ".onnx");
        ExplainerExport.write(model, ModelOptions.defaults(), new ExplainerExport.Request(
                METHODS.get(method), parameters, null, GradientRequest.EXACT), out);
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            ExplainerRuns.Agreement runs = ExplainerRuns.agreement(loaded, out, method, parameters,
                    ExplainerRuns.threeExamples(loaded, 13), Map.of(), MAX_ERROR);
            if (method.startsWith("deeplift")) {
                assertDeltas(runs.exported().get("convergence_delta"), runs.expected());
            }
        }
    }

    @Test
    void aBaselineFileIsFixedAtExport() throws Exception {
        Path model = model("resnet");
        Path baseline = dir.resolve("baseline.npy");
        Npy.write(baseline, TestTensors.random(3, 3, 64, 64));
        Map<String, String> parameters = Map.of("baseline", baseline.toString());
        Path out = dir.resolve("deeplift.onnx");
        CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", "deeplift",
                "--param", "baseline=" + baseline, "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("usage (Python): sess = onnxruntime.InferenceSession(\"deeplift.onnx\");"
                + " attribution, convergence_delta = sess.run([\"attribution\", \"convergence_delta\"], {\"input\": x,"
                + " \"target\": numpy.full(len(x), -1, dtype=numpy.int64)})");
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            Tensor x = examples(loaded, 2);
            Map<String, Tensor> exported = ExplainerRuns.run(out, Map.of("input", x), new long[] {-1, 3});
            Explanation expected = ExplainerRuns.explain(loaded, Map.of("input", x), "deeplift", parameters, null,
                    "top1;3");
            assertThat(ExplainerRuns.maxRelativeError(exported.get("attribution"), expected.attribution()))
                    .isLessThan(MAX_ERROR);
            assertDeltas(exported.get("convergence_delta"), expected);
        }
        Path wrong = dir.resolve("wrong.npy");
        Npy.write(wrong, TestTensors.random(3, 3, 32, 32));
        CliRunner mismatch = CliRunner.run("export-explainer", "--model", model.toString(), "--method", "deeplift",
                "--param", "baseline=" + wrong, "--out", dir.resolve("w.onnx").toString());
        assertThat(mismatch.exitCode()).isEqualTo(3);
        assertThat(mismatch.err()).contains("[3, 32, 32]", "[batch, 3, 64, 64]");
    }

    /** DeepLift SHAP over three baselines: each example with each baseline as row pairs of one batch. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("distributionModels")
    void deepLiftShapAveragesOverTheDistribution(String modelName) throws Exception {
        Path model = model(modelName);
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            String input = loaded.signature().firstInput().name();
            Path distribution = dir.resolve("distribution.npy");
            Npy.write(distribution, examples(loaded, 3));
            Map<String, String> parameters = Map.of("baseline-distribution", distribution.toString());
            Path out = dir.resolve("deeplift-shap.onnx");
            ExplainerExport.write(model, ModelOptions.defaults(), new ExplainerExport.Request(
                    METHODS.get("deeplift-shap"), parameters, null, GradientRequest.EXACT), out);
            int[] shape = examples(loaded, 2).shape();
            Tensor x = TestTensors.random(23, shape);
            Map<String, Tensor> exported = ExplainerRuns.run(out, Map.of(input, x), new long[] {-1, 3});
            Explanation expected = ExplainerRuns.explain(loaded, Map.of(input, x), "deeplift-shap", parameters, null,
                    "top1;3");
            assertThat(ExplainerRuns.maxRelativeError(exported.get("attribution"), expected.attribution()))
                    .isLessThan(MAX_ERROR);
            assertDeltas(exported.get("convergence_delta"), expected);
        }
    }

    static Stream<String> distributionModels() {
        return Stream.of("resnet", "lstm");
    }

    /** Guided Grad-CAM's two backward passes share the forward pass: only the layer's backward pass is added. */
    @Test
    void guidedGradCamRunsTheForwardPassOnce() throws Exception {
        try (OnnxModel loaded = OnnxModel.load(model("resnet"), ModelOptions.defaults())) {
            ExplainerModel exported = ExplainerExport.build(loaded,
                    ExplainerExport.Request.of(METHODS.get("guided-grad-cam")));
            List<NodeProto> nodes = exported.model().getGraph().getNodeList();
            long forwardConvs = loaded.proto().getGraph().getNodeList().stream()
                    .filter(n -> n.getOpType().equals("Conv")).count();
            assertThat(nodes).filteredOn(n -> n.getName().startsWith("grad-cam/"))
                    .isNotEmpty().allMatch(n -> n.getName().startsWith("grad-cam/grad/"));
            assertThat(nodes.stream().filter(n -> n.getOpType().equals("Conv") && !n.getName().contains("grad/"))
                    .count()).isEqualTo(forwardConvs);
        }
    }

    /** Saliency exported under a rule set equals the method of that rule set. */
    @Test
    void rulesChangeTheGradientsOfAnyMethod() throws Exception {
        Path model = model("resnet");
        Path out = dir.resolve("guided-saliency.onnx");
        CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", "saliency",
                "--param", "abs=false", "--rules", "guided-backprop", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            Tensor x = examples(loaded, 2);
            Map<String, Tensor> exported = ExplainerRuns.run(out, Map.of("input", x), new long[] {-1, 3});
            Explanation guided = ExplainerRuns.explain(loaded, Map.of("input", x), "guided-backprop", Map.of(), null,
                    "top1;3");
            Explanation exact = ExplainerRuns.explain(loaded, Map.of("input", x), "saliency", Map.of("abs", "false"),
                    null, "top1;3");
            assertThat(ExplainerRuns.maxRelativeError(exported.get("attribution"), guided.attribution()))
                    .isLessThan(MAX_ERROR);
            assertThat(ExplainerRuns.maxRelativeError(exported.get("attribution"), exact.attribution()))
                    .isGreaterThan(1e-2);
        }
    }

    @Test
    void rulesThatDoNotFitTheMethodAreUsageErrors() throws Exception {
        Path model = model("resnet");
        for (List<String> args : List.of(List.of("saliency", "deeplift"), List.of("guided-backprop", "deconvnet"))) {
            CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", args.get(0),
                    "--rules", args.get(1), "--out", dir.resolve("e.onnx").toString());
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains("'" + args.get(1) + "'");
            assertThat(dir.resolve("e.onnx")).doesNotExist();
        }
    }

    private Path model(String name) throws Exception {
        return Fixtures.named(name, dir);
    }

    private static Tensor examples(OnnxModel model, int count) {
        String input = model.signature().firstInput().name();
        int[] shape = model.unitInputShapes().get(input);
        shape[0] = count;
        return TestTensors.random(13, shape);
    }

    /** Each exported delta against the Explainer's, relative to the example's attribution mass. */
    private static void assertDeltas(Tensor delta, Explanation expected) {
        List<?> deltas = (List<?>) expected.details().get("convergenceDelta");
        int examples = expected.attribution().dim(0);
        assertThat(delta.shape()).containsExactly(examples);
        for (int n = 0; n < examples; n++) {
            double scale = 0;
            Tensor row = expected.attribution().row(n);
            for (int i = 0; i < row.size(); i++) {
                scale += Math.abs(row.get(i));
            }
            assertThat((double) delta.get(n)).isCloseTo(((Number) deltas.get(n)).doubleValue(),
                    within(MAX_ERROR * scale));
        }
    }
}
