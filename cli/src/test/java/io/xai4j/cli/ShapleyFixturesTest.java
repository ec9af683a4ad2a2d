package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import io.xai4j.tensor.Tensor;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Shapley methods and feature ablation on an exported MLP with interactions, against Captum's exact
 * {@code ShapleyValues} and {@code FeatureAblation} in float64 ({@code tools/fixtures/make_shapley_fixtures.py}):
 * a mask of 4 groups over 6 features, a constant baseline, two examples.
 */
class ShapleyFixturesTest {
    private static final String DIR = "/shapley/";

    private static JsonNode manifest;
    private static Model model;
    private static Explainer explainer;

    @BeforeAll
    static void openModel() throws Exception {
        try (InputStream in = ShapleyFixturesTest.class.getResourceAsStream(DIR + "manifest.json")) {
            manifest = new ObjectMapper().readTree(in);
        }
        Injector injector = Xai4j.injector();
        explainer = injector.getInstance(Explainer.class);
        model = injector.getInstance(ModelOpener.class).open(resource("model"), ModelOptions.defaults());
    }

    @AfterAll
    static void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "shapley          |                 | shapley          | 2e-5",
        "kernel-shap      | samples=14      | shapley          | 2e-5",
        "shapley-sampling | permutations=2000 | shapley        | 0.01",
        "feature-ablation |                 | feature_ablation | 2e-5"})
    void matchesCaptum(String method, String parameter, String reference, double tolerance) throws Exception {
        ExplainOptions.Builder options = ExplainOptions.builder(method).target(manifest.get("target").asText())
                .param("mask", Npy.read(resource("mask"))).param("baseline", manifest.get("baseline").asDouble());
        if (parameter != null) {
            options.param(parameter.split("=")[0], parameter.split("=")[1]);
        }
        List<Explanation> explanations = explainer.explain(model, Map.of("x", Npy.read(resource("input"))),
                options.build());

        Tensor actual = explanations.get(0).attribution();
        Tensor expected = Npy.read(resource(reference));
        assertThat(actual.shape()).containsExactly(expected.shape());
        for (int e = 0; e < expected.size(); e++) {
            assertThat(actual.get(e)).as("%s element %d", method, e).isCloseTo(expected.get(e), within((float) tolerance));
        }
        if (!method.equals("feature-ablation")) {
            List<?> errors = (List<?>) explanations.get(0).details().get("additivityError");
            assertThat(errors).hasSize(2).allSatisfy(error -> assertThat((Double) error).isCloseTo(0, within(1e-5)));
        }
    }

    /**
     * Feature permutation explains a batch from Java; the command line explains one example per input, so there it
     * is a usage error that says why.
     */
    @Test
    void featurePermutationNeedsABatch(@TempDir Path dir) throws Exception {
        List<Explanation> batch = explainer.explain(model, Map.of("x", Npy.read(resource("input"))),
                ExplainOptions.builder("feature-permutation").target("2").param("mask", Npy.read(resource("mask")))
                        .build());
        assertThat(batch.get(0).attribution().shape()).containsExactly(2, 6);

        Path one = dir.resolve("one.npy");
        Npy.write(one, Npy.read(resource("input")).rows(0, 1).copy());
        CliRunner single = CliRunner.run("explain", "--model", resource("model").toString(), "--input", one.toString(),
                "--method", "feature-permutation", "--target", "2", "--out", dir.resolve("out").toString());
        assertThat(single.exitCode()).isEqualTo(2);
        assertThat(single.err()).contains("needs at least 2 examples, got 1");
    }

    /** Too few samples for the mask's groups: the warning is printed under the explanation and shown in a report. */
    @Test
    void warningsAreShownOnTheConsoleAndInTheReport(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one.npy");
        Npy.write(one, Npy.read(resource("input")).rows(0, 1).copy());
        String[] common = {"--model", resource("model").toString(), "--input", one.toString(), "--method",
            "kernel-shap", "--param", "mask=" + resource("mask"), "--param", "samples=2"};
        String warning = "warning: kernel-shap: 4 feature groups but only 2 samples, too few to resolve every group";
        CliRunner explained = CliRunner.run(concat(new String[] {"explain", "--out", dir.resolve("e").toString()},
                common));
        assertThat(explained.exitCode()).as(explained.err()).isZero();
        assertThat(explained.out()).contains(warning);
        CliRunner compared = CliRunner.run(concat(new String[] {"compare", "--out", dir.resolve("c").toString()},
                common));
        assertThat(compared.exitCode()).as(compared.err()).isZero();
        assertThat(compared.out()).contains(warning);
        assertThat(Files.readString(dir.resolve("c").resolve("report.html")))
                .contains("<dt>warnings</dt><dd class=\"error\">kernel-shap: 4 feature groups but only 2 samples");
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b))
                .toArray(String[]::new);
    }

    private static Path resource(String key) throws URISyntaxException {
        return Path.of(ShapleyFixturesTest.class.getResource(DIR + manifest.get(key).asText()).toURI());
    }
}
