package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.io.ExplanationFiles;
import io.xai4j.io.Npy;
import io.xai4j.plugin.PluginLoader;
import io.xai4j.plugin.PluginReport;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.MethodConformance;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin (module example-plugin) as a user installs it: its jar alone in a plugin folder, not on the
 * class path. The CLI lists it, runs its method and its rule set, and the plugin passes the conformance kit.
 */
class ExamplePluginTest {
    private static final Path JAR_FOLDER = Path.of("target", "example-plugins");

    @TempDir
    Path dir;

    private static Path pluginFolder() throws IOException {
        try (Stream<Path> jars = Files.list(JAR_FOLDER)) {
            assertThat(jars.filter(p -> p.toString().endsWith(".jar")).count()).as("the example plugin jar in "
                    + JAR_FOLDER + " (copied by the build)").isEqualTo(1);
        }
        return JAR_FOLDER;
    }

    @Test
    void theExamplePluginIsNotOnTheClassPath() {
        assertThat(CliRunner.run("methods").out()).doesNotContain("positive-grad-cam");
        assertThat(getClass().getClassLoader().getResource("com/example/xai/PositiveGradCam.class")).isNull();
    }

    @Test
    void pluginsListsTheJarWithItsMethodAndRuleSet() throws IOException {
        CliRunner r = CliRunner.run("plugins", "--plugins", pluginFolder().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().replace(System.lineSeparator(), "\n"))
                .containsPattern("Plugin jars:\n  \\S*xai4j-example-plugin\\S*\\.jar\n"
                        + "    methods:         positive-grad-cam\n    rule sets:       example-smooth-relu\n"
                        + "    metrics:         sparseness\n")
                .contains("Problems: none");
    }

    @Test
    void evaluateListsAndRunsThePluginMetricFromItsFolder() throws Exception {
        String folder = pluginFolder().toString();
        assertThat(CliRunner.run("evaluate", "--list-metrics").out()).doesNotContain("sparseness");
        assertThat(CliRunner.run("evaluate", "--list-metrics", "--plugins", folder).out())
                .contains("sparseness  (complexity)", "deletion");
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.copy(Path.of(getClass().getResource("/io/xai4j/cli/demo/evalset/shapes-000.jpg").toURI()),
                images.resolve("shapes-000.jpg"));
        Path out = dir.resolve("evaluated");
        CliRunner r = CliRunner.run("evaluate", "--plugins", folder, "--input", images.toString(), "--method",
                "saliency,grad-cam", "--metric", "sparseness,deletion", "--metric-param", "steps=5", "--out",
                out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve(EvaluateCommand.REPORT).toFile()).get("summary");
        for (String method : List.of("saliency", "grad-cam")) {
            JsonNode sparseness = summary.get(method).get("sparseness");
            assertThat(sparseness.get("examples").asInt()).isEqualTo(1);
            assertThat(sparseness.get("mean").asDouble()).isBetween(0.0, 1.0);
            assertThat(sparseness.get("better").asText()).isEqualTo("higher");
        }
        assertThat(r.out()).contains("sparseness");
    }

    @Test
    void explainRunsThePluginMethodOnTheDemo() throws IOException {
        Path out = dir.resolve("out");
        CliRunner r = CliRunner.run("explain", "--plugins", pluginFolder().toString(), "--method", "positive-grad-cam",
                "--target", "0", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Tensor map = Npy.read(out.resolve(ExplanationFiles.ATTRIBUTION));
        assertThat(map.rank()).isEqualTo(4);
        double max = 0;
        for (int i = 0; i < map.size(); i++) {
            assertThat(map.get(i)).isGreaterThanOrEqualTo(0f);
            max = Math.max(max, map.get(i));
        }
        assertThat(max).isPositive();
        assertThat(json(out).at("/provenance/method").asText()).isEqualTo("positive-grad-cam");
    }

    @Test
    void explainUsesThePluginRuleSetAndRecordsIt() throws IOException {
        Path exact = dir.resolve("exact");
        Path smooth = dir.resolve("smooth");
        String folder = pluginFolder().toString();
        assertThat(CliRunner.run("explain", "--plugins", folder, "--method", "saliency", "--param", "abs=false",
                "--target", "0", "--out", exact.toString()).exitCode()).isZero();
        CliRunner r = CliRunner.run("explain", "--plugins", folder, "--method", "saliency", "--param", "abs=false",
                "--target", "0", "--rules", "example-smooth-relu", "--out", smooth.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(json(smooth).at("/provenance/ruleSet").asText()).isEqualTo("example-smooth-relu");
        assertThat(json(exact).at("/provenance/ruleSet").asText()).isEqualTo("exact");
        Tensor a = Npy.read(exact.resolve(ExplanationFiles.ATTRIBUTION));
        Tensor b = Npy.read(smooth.resolve(ExplanationFiles.ATTRIBUTION));
        double difference = 0;
        for (int i = 0; i < a.size(); i++) {
            difference = Math.max(difference, Math.abs(a.get(i) - b.get(i)));
        }
        assertThat(difference).as("smoothed Relu gradients differ from exact ones").isGreaterThan(1e-6);
    }

    /** On y = relu(x) the exported gradient is exactly the rule's formula, seed * sigmoid(10 x). */
    @Test
    void theExportedRuleSetComputesItsFormula() throws Exception {
        Path model = Fixtures.unaryModel(dir, "Relu");
        Path out = dir.resolve("relu.grad.onnx");
        CliRunner r = CliRunner.run("export-gradients", "--plugins", pluginFolder().toString(), "--model",
                model.toString(), "--wrt", "x", "--rules", "example-smooth-relu", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        float[] x = {-0.3f, 0.05f, 0.4f};
        float[] seed = {2f, -1f, 0.5f};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(out.toString(), new OrtSession.SessionOptions());
                OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3});
                OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(seed), new long[] {1, 3});
                OrtSession.Result result = session.run(Map.of("x", xt, "seed", st), Set.of("grad:x"))) {
            FloatBuffer gradient = ((OnnxTensor) result.get(0)).getFloatBuffer();
            for (int i = 0; i < x.length; i++) {
                assertThat((double) gradient.get(i)).isCloseTo(seed[i] / (1 + Math.exp(-10.0 * x[i])), within(1e-6));
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> thePluginMethodLoadedFromItsFolderConforms() throws IOException {
        PluginReport report = PluginLoader.discover(List.of(pluginFolder()));
        AttributionMethod method = report.methods().stream().filter(m -> m.name().equals("positive-grad-cam"))
                .findFirst().orElseThrow().method();
        assertThat(method.getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());
        return MethodConformance.of(method).tests();
    }

    private static JsonNode json(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve(ExplanationFiles.JSON).toFile());
    }
}
