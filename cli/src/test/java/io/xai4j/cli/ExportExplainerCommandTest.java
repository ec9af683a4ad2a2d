package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.explain.Explanation;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exported explainers on a small ResNet, run in fresh ONNX Runtime sessions on two examples (one for its predicted
 * class, one for class 3), against the Explainer on the same inputs and targets.
 */
class ExportExplainerCommandTest {
    private static final double MAX_ERROR = 1e-5;

    @TempDir
    Path dir;

    static Stream<Arguments> methods() {
        return Stream.of(Arguments.of("saliency", Map.of()), Arguments.of("saliency", Map.of("abs", "false")),
                Arguments.of("input-x-gradient", Map.of()),
                Arguments.of("integrated-gradients", Map.of("steps", "8")),
                Arguments.of("integrated-gradients", Map.of("steps", "6", "method", "riemann_trapezoid",
                        "baseline", "0.5")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("methods")
    void theExportedModelMatchesExplain(String method, Map<String, String> parameters) throws Exception {
        Path model = Fixtures.resnet(dir);
        byte[] original = Files.readAllBytes(model);
        Path out = dir.resolve("sub/explainer.onnx");
        List<String> args = new ArrayList<>(List.of("export-explainer", "--model", model.toString(), "--method", method,
                "--out", out.toString()));
        parameters.forEach((k, v) -> args.addAll(List.of("--param", k + "=" + v)));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out, "target", "attribution", "onnxruntime.InferenceSession");
        assertThat(Files.readAllBytes(model)).isEqualTo(original);

        Tensor x = TestTensors.random(7, 2, 3, 64, 64);
        Map<String, Tensor> exported = ExplainerRuns.run(out, Map.of("input", x), new long[] {-1, 3});
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            Tensor logits = loaded.forward(Map.of("input", x)).get("logits");
            assertThat(ExplainerRuns.maxRelativeError(exported.get("logits"), logits)).isLessThan(MAX_ERROR);
            Explanation expected = ExplainerRuns.explain(loaded, Map.of("input", x), method, parameters, null,
                    "top1;3");
            assertThat(exported.get("target_class").toArray()).containsExactly(argmax(logits.row(0)), 3f);
            assertThat(ExplainerRuns.maxRelativeError(exported.get("attribution"), expected.attribution()))
                    .isLessThan(MAX_ERROR);
            if (method.equals("integrated-gradients")) {
                List<?> deltas = (List<?>) expected.details().get("convergenceDelta");
                Tensor delta = exported.get("convergence_delta");
                assertThat(delta.shape()).containsExactly(2);
                for (int n = 0; n < 2; n++) {
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
    }

    static Stream<Arguments> noiseTunnels() {
        return Stream.of(Arguments.of("smoothgrad", Map.of("samples", "3")),
                Arguments.of("smoothgrad-sq", Map.of("samples", "3", "base", "input-x-gradient")),
                Arguments.of("vargrad", Map.of("samples", "3", "stdevs", "0.2", "base.abs", "false")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("noiseTunnels")
    void aNoiseTunnelWithNoiseAsAnInputMatchesExplain(String method, Map<String, String> parameters) throws Exception {
        Path model = Fixtures.resnet(dir);
        Path out = dir.resolve("noisy.onnx");
        List<String> args = new ArrayList<>(List.of("export-explainer", "--model", model.toString(), "--method", method,
                "--noise-input", "--out", out.toString()));
        parameters.forEach((k, v) -> args.addAll(List.of("--param", k + "=" + v)));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("noise ", "{\"input\": x, \"noise\": noise, \"target\": numpy.full(");

        int samples = Integer.parseInt(parameters.get("samples"));
        Tensor x = TestTensors.random(5, 2, 3, 64, 64);
        Map<String, Tensor> exported = ExplainerRuns.run(out, Map.of("input", x, "noise", explainersNoise(samples, x)),
                new long[] {-1, 3});
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            Explanation expected = ExplainerRuns.explain(loaded, Map.of("input", x), method, parameters, null,
                    "top1;3");
            assertThat(ExplainerRuns.maxRelativeError(exported.get("attribution"), expected.attribution()))
                    .isLessThan(MAX_ERROR);
        }
    }

    @Test
    void generatedNoiseFollowsTheSeed() throws Exception {
        Path model = Fixtures.resnet(dir);
        Tensor x = TestTensors.random(5, 2, 3, 64, 64);
        Tensor[] runs = new Tensor[3];
        for (int i = 0; i < runs.length; i++) {
            Path out = dir.resolve("generated" + i + ".onnx");
            CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", "smoothgrad",
                    "--param", "samples=4", "--seed", i < 2 ? "7" : "8", "--out", out.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            runs[i] = ExplainerRuns.run(out, Map.of("input", x), new long[] {-1, -1}).get("attribution");
        }
        assertThat(runs[0].toArray()).containsExactly(runs[1].toArray());
        assertThat(TestTensors.relativeError(runs[2], runs[0])).isGreaterThan(1e-3);
    }

    /** The standard normal draws the Explainer makes for each example: a stream from the seed 42 per example. */
    private static Tensor explainersNoise(int samples, Tensor x) {
        int examples = x.dim(0);
        int size = x.row(0).size();
        float[] z = new float[samples * examples * size];
        for (int n = 0; n < examples; n++) {
            SplittableRandom random = new SplittableRandom(42);
            for (int s = 0; s < samples; s++) {
                for (int e = 0; e < size; e++) {
                    z[(s * examples + n) * size + e] = (float) random.nextGaussian();
                }
            }
        }
        int[] shape = new int[x.rank() + 1];
        shape[0] = samples;
        System.arraycopy(x.shape(), 0, shape, 1, x.rank());
        return Tensor.of(z, shape);
    }

    @Test
    void aMethodThatCannotBeExportedNamesTheExportableOnes() throws Exception {
        Path model = Fixtures.resnet(dir);
        CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", "rise",
                "--out", dir.resolve("e.onnx").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("rise", "saliency", "integrated-gradients",
                "cam, eigen-cam, score-cam, ablation-cam");
        assertThat(dir.resolve("e.onnx")).doesNotExist();
    }

    @Test
    void anUnsupportedParameterValueIsAUsageErrorNamingTheSupportedOnes() throws Exception {
        Path model = Fixtures.resnet(dir);
        CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", "saliency",
                "--param", "channel-reduction=max", "--out", dir.resolve("e.onnx").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("channel-reduction=max", "abs");
        CliRunner blur = CliRunner.run("export-explainer", "--model", model.toString(), "--method",
                "integrated-gradients", "--param", "baseline=blur", "--out", dir.resolve("e.onnx").toString());
        assertThat(blur.exitCode()).isEqualTo(2);
        assertThat(blur.err()).contains("baseline=zeros, a constant");
    }

    @Test
    void theInputModelIsNeverOverwritten() throws Exception {
        Path model = Fixtures.resnet(dir);
        byte[] original = Files.readAllBytes(model);
        CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", "saliency",
                "--out", model.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is the input model");
        assertThat(Files.readAllBytes(model)).isEqualTo(original);
    }

    private static float argmax(Tensor row) {
        int best = 0;
        for (int i = 1; i < row.size(); i++) {
            if (row.get(i) > row.get(best)) {
                best = i;
            }
        }
        return best;
    }
}
