package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captum's unit-test models exported to ONNX, run through {@code xai4j explain}, against what Captum computes for
 * them ({@code tools/fixtures/make_captum_fixtures.py}, {@code captum/manifest.json}). Inputs of several examples
 * are explained as a batch and written one directory per example ({@code <stem>-<i>/<method>}); each example's
 * {@code attribution.npy} must
 * match its row of Captum's result within the case's tolerance, relative to the largest reference value.
 */
class CaptumParityTest {
    private static final String DIR = "/captum/";

    @TempDir
    Path temp;

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesCaptum() throws IOException {
        JsonNode cases;
        try (InputStream in = CaptumParityTest.class.getResourceAsStream(DIR + "manifest.json")) {
            cases = new ObjectMapper().readTree(in).get("cases");
        }
        List<DynamicTest> tests = new ArrayList<>();
        cases.forEach(c -> tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c))));
        return tests.stream();
    }

    private void check(JsonNode c) throws IOException {
        Path out = temp.resolve(c.get("name").asText());
        List<String> args = new ArrayList<>(List.of("explain", "--model", copy(c.get("model").asText()).toString(),
                "--input", copy(c.get("input").asText()).toString(), "--method", c.get("method").asText(),
                "--target", c.get("target").asText(), "--out", out.toString()));
        if (!c.get("layer").isNull()) {
            args.addAll(List.of("--layer", c.get("layer").asText()));
        }
        c.get("params").fields().forEachRemaining(p -> args.addAll(List.of("--param", p.getKey() + "="
                + p.getValue().asText())));

        CliRunner run = CliRunner.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        Tensor expected = Npy.read(copy(c.get("expected").asText()));
        double tolerance = c.get("tolerance").asDouble() * maxAbs(expected);
        String stem = c.get("input").asText().replace(".npy", "");
        int examples = expected.dim(0);
        for (int i = 0; i < examples; i++) {
            Path file = examples == 1 ? out.resolve("attribution.npy")
                    : out.resolve(stem + "-" + i).resolve(c.get("method").asText()).resolve("attribution.npy");
            Tensor actual = Npy.read(file);
            assertThat(actual.shape()).as("shape of example %d", i).containsExactly(expected.rows(i, i + 1).shape());
            for (int e = 0; e < actual.size(); e++) {
                assertThat((double) actual.get(e)).as("%s, example %d, element %d (%s)", c.get("name").asText(), i, e,
                        c.get("reference").asText()).isCloseTo(expected.row(i).get(e),
                        org.assertj.core.api.Assertions.within(tolerance));
            }
        }
    }

    private Path copy(String resource) throws IOException {
        Path file = temp.resolve(resource);
        if (!Files.exists(file)) {
            try (InputStream in = CaptumParityTest.class.getResourceAsStream(DIR + resource)) {
                Files.copy(in, file);
            }
        }
        return file;
    }

    private static double maxAbs(Tensor t) {
        double max = 0;
        for (int i = 0; i < t.size(); i++) {
            max = Math.max(max, Math.abs(t.get(i)));
        }
        return max;
    }
}
