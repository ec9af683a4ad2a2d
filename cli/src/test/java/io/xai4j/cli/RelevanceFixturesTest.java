package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Injector;
import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.ModelOpener;
import io.xai4j.explain.Explanation;
import io.xai4j.inject.Xai4j;
import io.xai4j.io.Npy;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.target.TargetParser;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relevance methods through the public API on small VGG-, ResNet- and MobileNet-style CNNs, against Captum's
 * attributions in float64 ({@code tools/fixtures/make_relevance_fixtures.py}; {@code relevance/manifest.json}
 * names each model's target class, Grad-CAM layer and fixtures).
 */
class RelevanceFixturesTest {
    private static final String DIR = "/relevance/";
    private static final double MAX_RELATIVE_L2 = 1e-4;

    private static JsonNode manifest;
    private static Explainer explainer;
    private static Tensor input;
    private static final Map<String, Model> MODELS = new HashMap<>();

    @BeforeAll
    static void readManifest() throws Exception {
        manifest = readTree();
        explainer = Xai4j.injector().getInstance(Explainer.class);
        input = Npy.read(resource(manifest.get("input_file").asText()));
    }

    @AfterAll
    static void closeModels() throws Exception {
        for (Model m : MODELS.values()) {
            m.close();
        }
    }

    static Stream<Arguments> fixtures() throws IOException {
        List<Arguments> out = new ArrayList<>();
        readTree().get("models").fields().forEachRemaining(m -> m.getValue().get("fixtures").fieldNames()
                .forEachRemaining(f -> out.add(Arguments.of(m.getKey(), f))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixtures")
    void attributionMatchesCaptum(String modelName, String fixtureName) throws Exception {
        JsonNode entry = manifest.get("models").get(modelName);
        JsonNode fixture = entry.get("fixtures").get(fixtureName);
        ExplainOptions.Builder options = ExplainOptions.builder(fixture.get("method").asText())
                .target(TargetParser.parse(entry.get("target_class").asText()))
                .layer(fixture.get("method").asText().equals("guided-grad-cam") ? entry.get("layer").asText() : null);
        for (Map.Entry<String, JsonNode> p : (Iterable<Map.Entry<String, JsonNode>>) fixture.get("parameters")::fields) {
            String value = p.getValue().asText();
            options.param(p.getKey(), value.endsWith(".npy") ? resource(value).toString() : value);
        }
        Explanation explanation = explainer.explain(model(modelName, entry), Map.of("input", input), options.build())
                .get(0);
        Tensor expected = Npy.read(resource(fixture.get("file").asText()));
        Tensor actual = explanation.attribution();

        assertThat(actual.shape()).containsExactly(expected.shape());
        assertThat(TestTensors.relativeError(actual, expected)).as("%s %s: relative L2 error against Captum",
                modelName, fixtureName).isLessThan(MAX_RELATIVE_L2);
        if (fixture.has("convergence_delta")) {
            // Captum's delta is float64 rounding (about 1e-17); xai4j's is float32 rounding of the same sums.
            double delta = ((Number) ((List<?>) explanation.details().get("convergenceDelta")).get(0)).doubleValue();
            double scale = 0;
            for (int i = 0; i < actual.size(); i++) {
                scale += Math.abs(actual.get(i));
            }
            assertThat(Math.abs(delta)).as("%s %s: summation-to-delta error", modelName, fixtureName)
                    .isLessThan(1e-5 * scale);
        }
    }

    /** A noise tunnel over guided backpropagation uses its base's rule set: noise-free, it gives the base's result. */
    @Test
    void smoothGradOverGuidedBackpropUsesItsRules() throws Exception {
        JsonNode entry = manifest.get("models").get("resnet");
        ExplainOptions options = ExplainOptions.builder("smoothgrad")
                .target(TargetParser.parse(entry.get("target_class").asText()))
                .param("base", "guided-backprop").param("samples", "1").param("stdevs", "0").build();
        Tensor actual = explainer.explain(model("resnet", entry), Map.of("input", input), options).get(0).attribution();
        Tensor expected = Npy.read(resource(entry.get("fixtures").get("guided_backprop").get("file").asText()));
        assertThat(TestTensors.relativeError(actual, expected)).isLessThan(MAX_RELATIVE_L2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modelNames")
    void referencesOfTheRuleSetsDiffer(String modelName) throws Exception {
        // Guards the fixtures: guided backpropagation and deconvnet must be distinguishable at this tolerance.
        JsonNode fixtures = manifest.get("models").get(modelName).get("fixtures");
        Tensor guided = Npy.read(resource(fixtures.get("guided_backprop").get("file").asText()));
        Tensor deconvnet = Npy.read(resource(fixtures.get("deconvnet").get("file").asText()));
        assertThat(TestTensors.relativeError(guided, deconvnet)).isGreaterThan(100 * MAX_RELATIVE_L2);
    }

    static Stream<String> modelNames() throws IOException {
        List<String> names = new ArrayList<>();
        readTree().get("models").fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    private static Model model(String name, JsonNode entry) {
        return MODELS.computeIfAbsent(name, n -> {
            try {
                return Xai4j.injector().getInstance(ModelOpener.class).open(resource(entry.get("model").asText()),
                        ModelOptions.defaults());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static JsonNode readTree() throws IOException {
        try (InputStream in = RelevanceFixturesTest.class.getResourceAsStream(DIR + "manifest.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(RelevanceFixturesTest.class.getResource(DIR + name).toURI());
    }
}
