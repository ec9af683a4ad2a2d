package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.io.Npy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relevance methods from the command line, on the embedded demo. */
class RelevanceCommandTest {
    private static final String[] METHODS = {"guided-backprop", "deconvnet", "guided-grad-cam", "deeplift",
            "deeplift-shap"};

    @TempDir
    Path tmp;

    @Test
    void explainRunsEveryRelevanceMethod() throws Exception {
        Path out = tmp.resolve("out");
        CliRunner r = CliRunner.run("explain", "--out", out.toString(), "--target", "0", "--method",
                String.join(",", METHODS));

        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String method : METHODS) {
            Path dir = out.resolve("two-shapes").resolve(method);
            assertThat(Npy.read(dir.resolve("attribution.npy")).shape()).as(method).containsExactly(1, 3, 64, 64);
            JsonNode json = new ObjectMapper().readTree(dir.resolve("explanation.json").toFile());
            assertThat(json.at("/method").asText()).isEqualTo(method);
            assertThat(json.at("/details/convergenceDelta").isArray()).as(method)
                    .isEqualTo(method.startsWith("deeplift"));
            assertThat(json.at("/details/ruleSet").asText()).as(method).isEqualTo(method.startsWith("deeplift")
                    ? "deeplift" : method.equals("deconvnet") ? "deconvnet" : "guided-backprop");
        }
    }
}
