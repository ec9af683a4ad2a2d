package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.ModelOpener;
import io.xai4j.explain.Explanation;
import io.xai4j.inject.Xai4j;
import io.xai4j.io.ExplanationFiles;
import io.xai4j.io.Npy;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.target.TargetParser;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient methods on a model of token ids with a second input (a mask): they attribute at the word-embedding
 * lookup, with the mask fixed, against float64 PyTorch references of Captum's layer methods
 * ({@code tools/fixtures/make_text_fixtures.py}).
 */
class TokenModelTest {
    private static final String DIR = "/text/";
    private static final double MAX_RELATIVE_L2 = 1e-4;

    private static JsonNode manifest;
    private static Model model;
    private static Explainer explainer;
    private static Map<String, Tensor> inputs;

    @BeforeAll
    static void openModel() throws Exception {
        try (InputStream in = TokenModelTest.class.getResourceAsStream(DIR + "manifest.json")) {
            manifest = new ObjectMapper().readTree(in);
        }
        explainer = Xai4j.injector().getInstance(Explainer.class);
        model = Xai4j.injector().getInstance(ModelOpener.class).open(resource(manifest.get("model").asText()),
                ModelOptions.defaults());
        inputs = Map.of("ids", Npy.read(resource("ids.npy")), "mask", Npy.read(resource("mask.npy")));
    }

    @AfterAll
    static void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    static Stream<String> fixtures() throws Exception {
        List<String> names = new ArrayList<>();
        try (InputStream in = TokenModelTest.class.getResourceAsStream(DIR + "manifest.json")) {
            new ObjectMapper().readTree(in).get("fixtures").fieldNames().forEachRemaining(names::add);
        }
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void layerAttributionsMatchTheFloat64Reference(String name) throws Exception {
        JsonNode fixture = manifest.get("fixtures").get(name);
        ExplainOptions.Builder options = ExplainOptions.builder(fixture.get("method").asText())
                .target(TargetParser.parse(manifest.get("target_class").asText()));
        fixture.get("parameters").fields().forEachRemaining(p -> options.param(p.getKey(), p.getValue().asText()));
        Explanation e = explainer.explain(model, inputs, options.build()).get(0);

        String embedding = manifest.get("embedding_tensor").asText();
        assertThat(e.details()).containsEntry("layer", embedding);
        assertThat((String) e.details().get("layerSelection")).contains("embedding lookup of the token input 'ids'");
        assertThat(e.attributions()).containsOnlyKeys(embedding);
        Tensor expected = Npy.read(resource(fixture.get("file").asText()));
        Tensor actual = e.attribution();
        assertThat(actual.shape()).containsExactly(expected.shape());
        assertThat(TestTensors.relativeError(actual, expected)).as(name).isLessThan(MAX_RELATIVE_L2);

        List<?> perToken = (List<?>) ((List<?>) e.details().get("attributionPerToken")).get(0);
        assertThat(perToken).hasSize(expected.dim(1));
        for (int t = 0; t < expected.dim(1); t++) {
            double sum = 0;
            for (int d = 0; d < expected.dim(2); d++) {
                sum += actual.at(0, t, d);
            }
            assertThat(((Number) perToken.get(t)).doubleValue()).isCloseTo(sum, within(1e-6));
        }
        if (fixture.has("convergence_delta")) {
            double delta = ((Number) ((List<?>) e.details().get("convergenceDelta")).get(0)).doubleValue();
            double reference = fixture.get("convergence_delta").asDouble();
            assertThat(Math.abs(delta - reference)).isLessThan(1e-3 * Math.abs(reference));
        }
    }

    @Test
    void aBatchOfExamplesIsAttributedExampleByExample() throws Exception {
        Tensor ids = inputs.get("ids");
        Tensor mask = inputs.get("mask");
        Tensor zeroIds = Tensor.zeros(ids.shape());
        Tensor fullMask = Tensor.full(1f, mask.shape());
        Explanation e = explainer.explain(model, Map.of("ids", Tensor.concat(List.of(zeroIds, ids)), "mask",
                Tensor.concat(List.of(fullMask, mask))), ExplainOptions.builder("integrated-gradients")
                .target(TargetParser.parse(manifest.get("target_class").asText())).param("steps", "16").build()).get(0);
        Tensor attribution = e.attribution();
        assertThat(attribution.dim(0)).isEqualTo(2);
        for (int i = 0; i < attribution.row(0).size(); i++) {
            assertThat(attribution.row(0).get(i)).as("the baseline itself has nothing to attribute").isZero();
        }
        Tensor expected = Npy.read(resource("layer_ig.npy"));
        assertThat(TestTensors.relativeError(attribution.row(1), expected.row(0))).isLessThan(MAX_RELATIVE_L2);
    }

    @Test
    void saliencyReducesOverTheEmbeddingDimension() throws Exception {
        Explanation e = explainer.explain(model, inputs, ExplainOptions.builder("saliency")
                .target(TargetParser.parse(manifest.get("target_class").asText()))
                .param("channel-reduction", "sum").build()).get(0);
        Tensor gradient = Npy.read(resource("layer_saliency.npy"));
        Tensor reduced = e.attribution();
        assertThat(reduced.shape()).containsExactly(1, gradient.dim(1), 1);
        for (int t = 0; t < gradient.dim(1); t++) {
            double sum = 0;
            for (int d = 0; d < gradient.dim(2); d++) {
                sum += Math.abs(gradient.at(0, t, d));
            }
            assertThat((double) reduced.at(0, t, 0)).isCloseTo(sum, within(1e-4 * sum));
        }
    }

    @Test
    void theCommandLineFeedsTheOtherInputsAndNamesTheMissingOnes(@TempDir Path dir) throws Exception {
        String modelFile = resource("text.onnx").toString();
        String ids = resource("ids.npy").toString();
        CliRunner missing = CliRunner.run("explain", "--model", modelFile, "--input", ids, "--method", "saliency",
                "--out", dir.toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("needs input [mask]").contains("--feed NAME=FILE");

        CliRunner r = CliRunner.run("explain", "--model", modelFile, "--input", ids, "--feed",
                "mask=" + resource("mask.npy"), "--method", "integrated-gradients", "--param", "steps=16",
                "--target", manifest.get("target_class").asText(), "--out", dir.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("layer:   " + manifest.get("embedding_tensor").asText());
        Tensor expected = Npy.read(resource("layer_ig.npy"));
        assertThat(TestTensors.relativeError(Npy.read(dir.resolve(ExplanationFiles.ATTRIBUTION)), expected)).isLessThan(MAX_RELATIVE_L2);
    }


    private static Path resource(String name) throws Exception {
        return Path.of(TokenModelTest.class.getResource(DIR + name).toURI());
    }
}
