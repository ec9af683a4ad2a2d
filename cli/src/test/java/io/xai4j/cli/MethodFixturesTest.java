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
import java.util.Iterator;
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
 * Whole gradient methods, run through the public API on an exported CNN (ReLU, max pooling, batch norm, a
 * residual add, a linear head), against float64 PyTorch references computed with Captum's formulas by
 * {@code tools/fixtures/make_method_fixtures.py}; {@code methods/manifest.json} gives each method's
 * parameters and, for integrated gradients, the reference convergence delta.
 */
class MethodFixturesTest {
    private static final String DIR = "/methods/";
    private static final double MAX_RELATIVE_L2 = 1e-4;
    private static final double MAX_DELTA_RELATIVE_ERROR = 1e-3;

    private static JsonNode manifest;
    private static Model model;
    private static Explainer explainer;
    private static Tensor input;

    @BeforeAll
    static void openModel() throws Exception {
        try (InputStream in = MethodFixturesTest.class.getResourceAsStream(DIR + "manifest.json")) {
            manifest = new ObjectMapper().readTree(in);
        }
        Injector injector = Xai4j.injector();
        explainer = injector.getInstance(Explainer.class);
        model = injector.getInstance(ModelOpener.class).open(resource(manifest.get("model").asText()),
                ModelOptions.defaults());
        input = Npy.read(resource(manifest.get("input_file").asText()));
    }

    @AfterAll
    static void closeModel() throws Exception {
        if (model != null) {
            model.close();
        }
    }

    static Stream<Arguments> fixtures() throws IOException {
        JsonNode fixtures;
        try (InputStream in = MethodFixturesTest.class.getResourceAsStream(DIR + "manifest.json")) {
            fixtures = new ObjectMapper().readTree(in).get("fixtures");
        }
        List<Arguments> out = new ArrayList<>();
        fixtures.fieldNames().forEachRemaining(name -> out.add(Arguments.of(name)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void attributionMatchesTheFloat64Reference(String name) throws Exception {
        JsonNode fixture = manifest.get("fixtures").get(name);
        Explanation explanation = explain(fixture);
        Tensor expected = Npy.read(resource(fixture.get("file").asText()));
        Tensor actual = explanation.attribution();

        assertThat(actual.shape()).containsExactly(expected.shape());
        double error = TestTensors.relativeError(actual, expected);
        assertThat(error).as("%s: relative L2 error against the reference", name).isLessThan(MAX_RELATIVE_L2);

        if (fixture.has("convergence_delta")) {
            double expectedDelta = fixture.get("convergence_delta").asDouble();
            Object reported = explanation.details().get("convergenceDelta");
            assertThat(reported).as("%s: convergenceDelta in the details", name).isInstanceOf(List.class);
            List<?> deltas = (List<?>) reported;
            assertThat(deltas).hasSize(1);
            double delta = ((Number) deltas.get(0)).doubleValue();
            double deltaError = Math.abs(delta - expectedDelta) / Math.abs(expectedDelta);
            assertThat(deltaError).as("%s: convergence delta %s against the reference %s", name, delta,
                    expectedDelta).isLessThan(MAX_DELTA_RELATIVE_ERROR);
        }
    }

    @Test
    void modelReproducesTheReferenceLogits() throws Exception {
        Tensor expected = Npy.read(resource(manifest.get("logits_file").asText()));
        Tensor logits = model.forward(Map.of(manifest.get("input").asText(), input))
                .get(manifest.get("output").asText());
        assertThat(TestTensors.relativeError(logits, expected)).isLessThan(1e-5);
    }

    @Test
    void integrationRulesGiveDifferentAttributions() throws Exception {
        // Guards the fixture itself: the five rules must be distinguishable at this tolerance, or a method that
        // ignored the rule parameter would pass.
        List<Tensor> references = new ArrayList<>();
        for (Iterator<String> it = manifest.get("fixtures").fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.startsWith("ig_")) {
                references.add(Npy.read(resource(manifest.get("fixtures").get(name).get("file").asText())));
            }
        }
        assertThat(references).hasSize(5);
        for (int i = 0; i < references.size(); i++) {
            for (int j = i + 1; j < references.size(); j++) {
                assertThat(TestTensors.relativeError(references.get(i), references.get(j))).isGreaterThan(100 * MAX_RELATIVE_L2);
            }
        }
    }

    private static Explanation explain(JsonNode fixture) {
        ExplainOptions.Builder options = ExplainOptions.builder(fixture.get("method").asText())
                .target(TargetParser.parse(manifest.get("target_class").asText()));
        fixture.get("parameters").fields().forEachRemaining(p -> options.param(p.getKey(), p.getValue().asText()));
        List<Explanation> explanations = explainer.explain(model, Map.of(manifest.get("input").asText(), input),
                options.build());
        assertThat(explanations).hasSize(1);
        return explanations.get(0);
    }


    private static Path resource(String name) throws URISyntaxException {
        return Path.of(MethodFixturesTest.class.getResource(DIR + name).toURI());
    }
}
