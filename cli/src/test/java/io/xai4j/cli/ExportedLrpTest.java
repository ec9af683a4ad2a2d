package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.image.Preprocessing;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.inject.Xai4j;
import io.xai4j.io.Npy;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.explain.ExplainerExport;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.io.InputStream;
import java.nio.file.Files;
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
 * Exported {@code lrp}: the relevance and the conservation error of the exported model in a fresh ONNX Runtime
 * session against the Explainer's, for each built-in composite on the small ResNet, on the demo CNN, the ViT, the LSTM
 * and a ResNet whose BatchNormalization nodes the rules fold, on three examples (predicted class, class 1, class 3);
 * and on the latter against Zennit.
 */
class ExportedLrpTest {
    private static final double MAX_ERROR = 1e-5;
    private static final MethodRegistry METHODS = Xai4j.injector().getInstance(MethodRegistry.class);

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        Stream<Arguments> composites = Stream.of("epsilon-plus", "epsilon-gamma-box", "epsilon-alpha2-beta1",
                "epsilon", "gamma", "flat", "w-square").map(c -> Arguments.of("resnet", Map.of("composite", c)));
        return Stream.concat(composites, Stream.of(
                Arguments.of("resnet", Map.of("composite", "first:box;Conv:gamma;default:epsilon", "gamma", "0.5",
                        "low", "-1", "high", "2", "epsilon", "0.01")),
                Arguments.of("resnet", Map.of("composite", "alpha-beta", "alpha", "1", "beta", "0")),
                Arguments.of("demo", Map.of()),
                Arguments.of("vit", Map.of()),
                Arguments.of("lstm", Map.of()),
                Arguments.of("batchnorm", Map.of()),
                Arguments.of("batchnorm", Map.of("composite", "epsilon-gamma-box"))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void theExportMatchesExplain(String modelName, Map<String, String> parameters) throws Exception {
        Path model = model(modelName);
        byte[] before = Files.readAllBytes(model);
        Path out = dir.resolve(modelName + ".lrp.onnx");
        ExplainerExport.write(model, ModelOptions.defaults(), new ExplainerExport.Request(METHODS.get("lrp"),
                parameters, null, GradientRequest.EXACT), out);
        assertThat(Files.readAllBytes(model)).isEqualTo(before);
        assertMatchesExplain(model, out, parameters);
    }

    /**
     * The exported BatchNormalization ResNet against Zennit, whose ResNetCanonizer merges the normalisations into the
     * convolutions ({@link LrpZennitFixturesTest}): the export folds them too.
     */
    @Test
    void theExportFoldsBatchNormalizationAsZennitMergesIt() throws Exception {
        Path model = model("batchnorm");
        Tensor x = Npy.read(resource("input.npy"), "input.npy");
        Path out = dir.resolve("batchnorm.lrp.onnx");
        ExplainerExport.write(model, ModelOptions.defaults(), new ExplainerExport.Request(METHODS.get("lrp"),
                Map.of("composite", "epsilon-gamma-box"), null, GradientRequest.EXACT), out);
        long target = new ObjectMapper().readTree(resource("manifest.json")).get("target").asLong();
        Tensor relevance = ExplainerRuns.run(out, Map.of("input", x), new long[] {target}).get("attribution");
        Tensor zennit = Npy.read(resource("epsilon_gamma_box.npy"), "epsilon_gamma_box.npy");
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < zennit.size(); i++) {
            difference += Math.pow(relevance.get(i) - zennit.get(i), 2);
            norm += Math.pow(zennit.get(i), 2);
        }
        assertThat(Math.sqrt(difference / norm)).isLessThan(1e-4);
    }

    /** From the command line: a JSON composite, and the box bounds from {@code --preprocess}. */
    @Test
    void theCommandTakesACompositeFileAndTheBoundsFromThePreprocessing() throws Exception {
        Path model = model("resnet");
        Path composite = dir.resolve("composite.json");
        Files.writeString(composite, "{\"first\": \"box\", \"Conv\": \"gamma\", \"default\": \"epsilon\"}");
        String preprocess = "scale=0.00392156862745098,mean=0.5,std=0.25";
        Path out = dir.resolve("lrp.onnx");
        CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", "lrp",
                "--param", "composite=" + composite, "--preprocess", preprocess, "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("attribution, conservation_error = sess.run([\"attribution\","
                + " \"conservation_error\"]");
        String[] range = Preprocessing.parse(preprocess).valueRangeText();
        assertThat(range[0]).isEqualTo("-2.0");
        assertMatchesExplain(model, out, Map.of("composite", composite.toString(), "low", range[0], "high",
                range[1]));
    }

    @Test
    void aParameterOutsideItsRangeIsAUsageError() throws Exception {
        CliRunner r = CliRunner.run("export-explainer", "--model", model("resnet").toString(), "--method", "lrp",
                "--param", "composite=nonsense", "--out", dir.resolve("e.onnx").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("nonsense", "epsilon-plus");
        assertThat(dir.resolve("e.onnx")).doesNotExist();
    }

    @Test
    void preprocessingForAMethodWithoutAValueRangeIsAUsageError() throws Exception {
        CliRunner r = CliRunner.run("export-explainer", "--model", model("resnet").toString(), "--method", "saliency",
                "--preprocess", "imagenet", "--out", dir.resolve("e.onnx").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--preprocess", "'saliency'");
        assertThat(dir.resolve("e.onnx")).doesNotExist();
    }

    private static void assertMatchesExplain(Path model, Path exportedModel, Map<String, String> parameters)
            throws Exception {
        try (OnnxModel loaded = OnnxModel.load(model, ModelOptions.defaults())) {
            ExplainerRuns.Agreement runs = ExplainerRuns.agreement(loaded, exportedModel, "lrp", parameters,
                    ExplainerRuns.threeExamples(loaded, 13), Map.of(), MAX_ERROR);
            List<?> errors = (List<?>) runs.expected().details().get("conservationError");
            Tensor error = runs.exported().get("conservation_error");
            assertThat(error.shape()).containsExactly(3);
            for (int n = 0; n < 3; n++) {
                double want = ((Number) errors.get(n)).doubleValue();
                assertThat((double) error.get(n)).as("example %d", n)
                        .isCloseTo(want, within(1e-4 * Math.max(1, want)));
            }
        }
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = ExportedLrpTest.class.getResourceAsStream("/lrp/" + name)) {
            return in.readAllBytes();
        }
    }

    /** A test model; {@code batchnorm} is the BasicBlock ResNet with BatchNormalization of the Zennit fixtures. */
    private Path model(String name) throws Exception {
        if (!name.equals("batchnorm")) {
            return Fixtures.named(name, dir);
        }
        Path model = dir.resolve("batchnorm.onnx");
        Files.write(model, resource("resnet.onnx"));
        return model;
    }
}
