package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.inject.MethodRegistry;
import io.xai4j.inject.Xai4j;
import io.xai4j.io.Npy;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.explain.ExplainerExport;
import io.xai4j.onnx.explain.ExplainerModel;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exported gradient-shap on the small ResNet, the demo CNN, the ViT and the LSTM, in fresh ONNX Runtime sessions on
 * three examples (predicted class, class 1, class 3) against the Explainer, with the noise and path positions
 * the Explainer draws fed as the {@code noise} and {@code alpha} inputs.
 */
class ExportedGradientShapTest {
    private static final double MAX_ERROR = 1e-5;
    private static final MethodRegistry METHODS = Xai4j.injector().getInstance(MethodRegistry.class);

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("resnet", Map.of("samples", "3", "stdevs", "0.1", "baseline", "0.5")),
                Arguments.of("resnet", Map.of("samples", "4")),
                Arguments.of("demo", Map.of("samples", "2", "stdevs", "0.2")),
                Arguments.of("vit", Map.of("samples", "3", "stdevs", "0.1")),
                Arguments.of("lstm", Map.of("samples", "3", "stdevs", "0.1", "baseline", "-0.2")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void theExportWithGivenDrawsMatchesExplain(String modelName, Map<String, String> parameters) throws Exception {
        Path model = Fixtures.named(modelName, dir);
        Path out = dir.resolve(modelName + ".gradient-shap.onnx");
        ExplainerModel written = ExplainerExport.write(model, ModelOptions.defaults(), new ExplainerExport.Request(
                METHODS.get("gradient-shap"), parameters, null, GradientRequest.EXACT, 42, true), out);
        assertThat(written.model().getGraph().getInputList()).anyMatch(v -> v.getName().equals("alpha"));
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            Tensor x = ExplainerRuns.threeExamples(loaded, 19);
            int samples = Integer.parseInt(parameters.get("samples"));
            boolean noisy = Double.parseDouble(parameters.getOrDefault("stdevs", "0")) > 0;
            Tensor[] draws = explainersDraws(samples, x, noisy);
            ExplainerRuns.agreement(loaded, out, "gradient-shap", parameters, x, Map.of("noise", draws[0], "alpha",
                    draws[1]), MAX_ERROR);
        }
    }

    @Test
    void generatedDrawsFollowTheSeed() throws Exception {
        Path model = Fixtures.resnet(dir);
        Tensor x = TestTensors.random(5, 2, 3, 64, 64);
        Tensor[] runs = new Tensor[3];
        for (int i = 0; i < runs.length; i++) {
            Path out = dir.resolve("generated" + i + ".onnx");
            CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", "gradient-shap",
                    "--param", "samples=4", "--param", "stdevs=0.1", "--seed", i < 2 ? "7" : "8", "--out",
                    out.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
            runs[i] = ExplainerRuns.run(out, Map.of("input", x), new long[] {-1, -1}).get("attribution");
        }
        assertThat(runs[0].toArray()).containsExactly(runs[1].toArray());
        assertThat(TestTensors.relativeError(runs[2], runs[0])).isGreaterThan(1e-3);
    }

    @Test
    void aBaselineDistributionIsNotExported() throws Exception {
        Path baselines = dir.resolve("b.npy");
        Npy.write(baselines, TestTensors.random(3, 2, 3, 64, 64));
        CliRunner r = CliRunner.run("export-explainer", "--model", Fixtures.resnet(dir).toString(), "--method",
                "gradient-shap", "--param", "baseline-distribution=" + baselines, "--out",
                dir.resolve("e.onnx").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("baseline-distribution", "supports baseline, samples, stdevs");
        assertThat(dir.resolve("e.onnx")).doesNotExist();
    }

    /**
     * The Explainer's draws for each example, from a stream seeded with 42 per example: per sample, the standard
     * normal noise of every element (only when {@code noisy}), then the path position. Returns the noise
     * {@code [samples, N, ...]} (zeros when not noisy) and the positions {@code [samples, N]}.
     */
    private static Tensor[] explainersDraws(int samples, Tensor x, boolean noisy) {
        int examples = x.dim(0);
        int size = x.row(0).size();
        float[] z = new float[samples * examples * size];
        float[] alpha = new float[samples * examples];
        for (int n = 0; n < examples; n++) {
            SplittableRandom random = new SplittableRandom(42);
            for (int s = 0; s < samples; s++) {
                for (int e = 0; noisy && e < size; e++) {
                    z[(s * examples + n) * size + e] = (float) random.nextGaussian();
                }
                alpha[s * examples + n] = (float) random.nextDouble();
            }
        }
        int[] shape = new int[x.rank() + 1];
        shape[0] = samples;
        System.arraycopy(x.shape(), 0, shape, 1, x.rank());
        return new Tensor[] {Tensor.of(z, shape), Tensor.of(alpha, samples, examples)};
    }
}
