package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.io.Npy;
import io.xai4j.plugin.ThirdParty;
import io.xai4j.testing.TestTensors;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backward rule set from a plugin folder, through which no gradient passes a Relu, used by every command that
 * builds gradients. Every path through the ResNet fixture passes a Relu, so its gradients become zero.
 */
class PluginRuleSetsTest {
    private static final String RULES = ThirdParty.ZERO_RELU_NAME;

    @TempDir
    Path dir;
    private Path plugins;
    private Path model;
    private Path input;

    @BeforeEach
    void setUp() throws Exception {
        plugins = PluginJars.folder(dir);
        model = Fixtures.resnet(dir);
        input = dir.resolve("x.npy");
        Npy.write(input, TestTensors.random(5, 3, 64, 64));
    }

    @Test
    void explainUsesThePluginRuleSetAndRecordsIt() throws Exception {
        Path exact = dir.resolve("exact");
        Path zero = dir.resolve("zero");
        CliRunner byDefault = CliRunner.run("explain", "--model", model.toString(), "--input", input.toString(),
                "--method", "saliency", "--out", exact.toString(), "--plugins", plugins.toString());
        CliRunner plugin = CliRunner.run("explain", "--model", model.toString(), "--input", input.toString(),
                "--method", "saliency", "--out", zero.toString(), "--plugins", plugins.toString(), "--rules", RULES);

        assertThat(byDefault.exitCode()).as(byDefault.err()).isZero();
        assertThat(plugin.exitCode()).as(plugin.err()).isZero();
        assertThat(Npy.read(exact.resolve("attribution.npy")).toArray()).as("exact").isNotEqualTo(new float[3 * 64 * 64]);
        assertThat(Npy.read(zero.resolve("attribution.npy")).toArray()).containsOnly(0f).hasSize(3 * 64 * 64);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(exact.resolve("explanation.json").toFile()).at("/provenance/ruleSet").asText())
                .isEqualTo("exact");
        assertThat(json.readTree(zero.resolve("explanation.json").toFile()).at("/provenance/ruleSet").asText())
                .isEqualTo(RULES);
    }

    @Test
    void anUnknownRuleSetIsAUsageErrorListingTheAvailableOnes() {
        CliRunner unknown = CliRunner.run("explain", "--model", model.toString(), "--input", input.toString(),
                "--method", "occlusion", "--plugins", plugins.toString(), "--rules", "zero-rel");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown backward rule set 'zero-rel'; available: deconvnet, deeplift, exact, "
                + "guided-backprop, lrp, test-wrong-relu, zero-relu");

        CliRunner withoutPlugins = CliRunner.run("explain", "--model", model.toString(), "--input", input.toString(),
                "--method", "saliency", "--rules", RULES);
        assertThat(withoutPlugins.exitCode()).isEqualTo(2);
        assertThat(withoutPlugins.err()).contains("unknown backward rule set '" + RULES + "'; available: deconvnet,"
                + " deeplift, exact, guided-backprop, lrp, test-wrong-relu");
    }

    @Test
    void exportGradientsWritesThePluginRuleSetsGradients() throws Exception {
        Path out = dir.resolve("resnet.grad.onnx");
        CliRunner r = CliRunner.run("export-gradients", "--model", model.toString(), "--wrt", "input", "--out",
                out.toString(), "--rules", RULES, "--plugins", plugins.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] x = Npy.read(input).toArray();
        float[] seed = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        try (OrtSession session = env.createSession(out.toString(), new OrtSession.SessionOptions());
                OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, 64, 64});
                OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(seed), new long[] {1, 10});
                OrtSession.Result result = session.run(Map.of("input", xt, "seed", st), Set.of("grad:input"))) {
            FloatBuffer gradient = ((OnnxTensor) result.get(0)).getFloatBuffer();
            assertThat(gradient.remaining()).isEqualTo(x.length);
            while (gradient.hasRemaining()) {
                assertThat(gradient.get()).isZero();
            }
        }

        CliRunner withoutPlugins = CliRunner.run("export-gradients", "--model", model.toString(), "--wrt", "input",
                "--out", dir.resolve("other.onnx").toString(), "--rules", RULES);
        assertThat(withoutPlugins.exitCode()).isEqualTo(2);
        assertThat(withoutPlugins.err()).contains("unknown backward rule set '" + RULES + "'");
    }

    @Test
    void exportExplainerBuildsOnThePluginRuleSet() throws Exception {
        Path out = dir.resolve("resnet.saliency.onnx");
        CliRunner r = CliRunner.run("export-explainer", "--model", model.toString(), "--method", "saliency",
                "--rules", RULES, "--plugins", plugins.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        io.xai4j.tensor.Tensor x = Npy.read(input);
        io.xai4j.tensor.Tensor batch = io.xai4j.tensor.Tensor.of(x.toArray(), 1, 3, 64, 64);
        assertThat(ExplainerRuns.run(out, Map.of("input", batch), new long[] {-1}).get("attribution").toArray())
                .hasSize(3 * 64 * 64).containsOnly(0f);

        CliRunner withoutPlugins = CliRunner.run("export-explainer", "--model", model.toString(), "--method",
                "saliency", "--rules", RULES, "--out", dir.resolve("other.onnx").toString());
        assertThat(withoutPlugins.exitCode()).isEqualTo(2);
        assertThat(withoutPlugins.err()).contains("unknown backward rule set '" + RULES + "'");
    }

    /** The exact gradient passes on this input ({@link GradcheckCommandTest}); zeroed Relu gradients fail. */
    @Test
    void gradcheckChecksThePluginRuleSet() {
        CliRunner r = CliRunner.run("gradcheck", "--model", model.toString(), "--input", input.toString(),
                "--rules", RULES, "--plugins", plugins.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(Cli.GRADCHECK_FAILED);
        assertThat(r.out()).contains("(rules " + RULES + ",").containsPattern("input +max relative error \\S+ +FAIL");
    }
}
