package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OtherCommandsTest {
    @Test
    void methodsAsJsonListEveryMethodWithTypedParameters() throws Exception {
        CliRunner r = CliRunner.run("methods", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode methods = new ObjectMapper().readTree(r.out());
        JsonNode occlusion = null;
        for (JsonNode m : methods) {
            if (m.get("name").asText().equals("occlusion")) {
                occlusion = m;
            }
        }
        assertThat(occlusion).isNotNull();
        assertThat(occlusion.get("family").asText()).isEqualTo("PERTURBATION");
        assertThat(occlusion.get("parameters").findValuesAsText("name")).contains("window", "stride", "baseline");
        assertThat(occlusion.get("values").asText()).isEqualTo("SIGNED");
    }

    @Test
    void methodsSayWhatTheirValuesMean() {
        CliRunner r = CliRunner.run("methods");
        assertThat(r.exitCode()).isZero();
        String rise = r.out().substring(r.out().indexOf("\nrise ") + 1);
        assertThat(rise.lines().skip(1).findFirst().orElseThrow()).contains("values: score");
        String gradCam = r.out().substring(r.out().indexOf("\ngrad-cam ") + 1);
        assertThat(gradCam.lines().skip(1).findFirst().orElseThrow()).contains("values: non-negative");
    }

    @Test
    void inspectListsLayersWithConcreteShapes() throws Exception {
        Path model = Path.of(OtherCommandsTest.class.getResource("/io/xai4j/cli/demo/shapes-cnn.onnx").toURI());
        CliRunner r = CliRunner.run("inspect", "--model", model.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.at("/inputs/0/name").asText()).isEqualTo("image");
        assertThat(json.get("layers").size()).isGreaterThan(3);
        assertThat(json.at("/layers/0/shape/0").asLong()).isEqualTo(1);
    }

    @Test
    void inspectOfAMissingModelFails() {
        CliRunner r = CliRunner.run("inspect", "--model", "missing.onnx");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("missing.onnx");
    }

    @Test
    void pluginsListsMethodsAndBackends() {
        CliRunner r = CliRunner.run("plugins");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("occlusion").contains("onnxruntime").contains("Backward rule sets: ")
                .contains("exact").contains("Problems: none");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRunner r = CliRunner.run("explain", "--colour", "red");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--colour");
    }
}
