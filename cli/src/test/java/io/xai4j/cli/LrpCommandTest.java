package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain --method lrp}: details, every target form, layers, composites and the box bounds. */
class LrpCommandTest {
    private static final String LAYER = "/features/features.10/Relu_output_0";

    @TempDir
    Path tmp;

    @Test
    void reportsConservationAndItsRuleSet() throws Exception {
        Path out = tmp.resolve("out");
        CliRunner r = CliRunner.run("explain", "--method", "lrp", "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Npy.read(out.resolve("attribution.npy")).shape()).containsExactly(1, 3, 64, 64);
        JsonNode details = json(out).at("/details");
        assertThat(details.at("/ruleSet").asText()).startsWith("lrp:")
                .contains("composite=Conv:z-plus;ConvTranspose:z-plus;default:epsilon;first:box")
                .contains("low=-2.117904:-2.0357144:-1.8044444");
        double sum = details.at("/relevanceSum/0").asDouble();
        double score = details.at("/targetScore/0").asDouble();
        assertThat(details.at("/conservationError/0").asDouble())
                .isCloseTo(Math.abs(sum - score) / Math.abs(score), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(sum).as("the biases absorb part of the score, not most of it").isBetween(0.5 * score, 1.5 * score);
    }

    @Test
    void everyTargetFormAndALayer() throws Exception {
        Path out = tmp.resolve("layer");
        CliRunner r = CliRunner.run("explain", "--method", "lrp", "--target", "top:2", "--layer", LAYER,
                "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String dir : new String[] {"top-1", "top-2"}) {
            Path d = Files.list(out).filter(p -> p.getFileName().toString().startsWith(dir)).findFirst().orElseThrow();
            assertThat(Npy.read(d.resolve("attribution.npy")).shape()).containsExactly(1, 64, 16, 16);
            assertThat(json(d).at("/details/conservationError/0").isNumber()).isTrue();
        }
    }

    @Test
    void aNamedOutputAndASequenceSlice() throws Exception {
        Path heads = tmp.resolve("heads.npy");
        Npy.write(heads, Npy.read(resource("fixtures/multi_head.input.npy")).row(0));
        Path out = tmp.resolve("exit2");
        CliRunner r = CliRunner.run("explain", "--model", resource("fixtures/multi_head.onnx").toString(), "--input",
                heads.toString(), "--method", "lrp", "--target", "exit2:1", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(json(out).at("/details/targetScore/0").isNumber()).isTrue();

        Path sequence = tmp.resolve("sequence.npy");
        Npy.write(sequence, Npy.read(resource("fixtures/sequence.input.npy")).row(0));
        out = tmp.resolve("slice");
        r = CliRunner.run("explain", "--model", resource("fixtures/sequence.onnx").toString(), "--input",
                sequence.toString(), "--method", "lrp", "--target", "logits[10,2]", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Npy.read(out.resolve("attribution.npy")).shape()).containsExactly(1, 20, 4);
        assertThat(json(out).at("/details/conservationError/0").isNumber()).isTrue();
    }

    @Test
    void compositeFromAJsonFileAndBoundsFromThePreprocessing() throws Exception {
        Path composite = tmp.resolve("composite.json");
        Files.writeString(composite, "{\"first\": \"box\", \"Conv\": \"gamma\", \"default\": \"epsilon\"}");
        Path out = tmp.resolve("json");
        CliRunner r = CliRunner.run("explain", "--method", "lrp", "--param", "composite=" + composite,
                "--param", "gamma=0.5", "--preprocess", "none", "--out", out.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(json(out).at("/details/ruleSet").asText()).contains("composite=Conv:gamma;default:epsilon;first:box")
                .contains("gamma=0.5").contains("low=0.0").contains("high=1.0");
    }

    @Test
    void anUnknownCompositeOrRuleIsAUsageErrorListingTheChoices() throws Exception {
        CliRunner r = CliRunner.run("explain", "--method", "lrp", "--param", "composite=plus-epsilon",
                "--out", tmp.resolve("bad").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("plus-epsilon").contains("epsilon-plus").contains("w-square");

        Path composite = tmp.resolve("bad.json");
        Files.writeString(composite, "{\"Conv\": \"box\"}");
        r = CliRunner.run("explain", "--method", "lrp", "--param", "composite=" + composite,
                "--out", tmp.resolve("bad2").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("first layer only");
    }

    private static Path resource(String name) throws Exception {
        return Path.of(LrpCommandTest.class.getResource("/" + name).toURI());
    }

    private static JsonNode json(Path dir) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("explanation.json").toFile());
    }
}
