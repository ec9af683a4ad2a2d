package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sequence classifier ([N,T,C] output): targets read the last step unless a slice says otherwise. */
class SequenceOutputTest {
    @TempDir
    Path tmp;

    private CliRunner explain(String target, Path out) throws Exception {
        Path input = tmp.resolve("seq.npy");
        Npy.write(input, Npy.read(resource("fixtures/sequence.input.npy")).row(0));
        return CliRunner.run("explain", "--model", resource("fixtures/sequence.onnx").toString(), "--input",
                input.toString(), "--method", "saliency", "--target", target, "--out", out.toString());
    }

    @Test
    void top1IsTheLastStepsClassAndTheOutputSaysSo() throws Exception {
        Path out = tmp.resolve("top1");
        CliRunner r = explain("top1", out);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("at the last step t=19");
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(json.at("/predictions/0/0/label").asText()).startsWith("[19,");
        assertThat(json.at("/predictions/0/0/probability").asDouble())
                .isGreaterThanOrEqualTo(json.at("/predictions/0/1/probability").asDouble());
        assertThat(json.at("/details/predictedPerStep/0")).hasSize(20);
        Tensor attribution = Npy.read(out.resolve("attribution.npy"));
        assertThat(attribution.shape()).containsExactly(1, 20, 4);
    }

    @Test
    void negativeSliceIndicesCountFromTheEnd() throws Exception {
        Path last = tmp.resolve("last");
        Path explicit = tmp.resolve("explicit");
        assertThat(explain("logits[-1,1]", last).exitCode()).isZero();
        assertThat(explain("logits[19,1]", explicit).exitCode()).isZero();
        assertThat(Npy.read(last.resolve("attribution.npy")).toArray())
                .containsExactly(Npy.read(explicit.resolve("attribution.npy")).toArray());
        CliRunner classOne = explain("1", tmp.resolve("class"));
        assertThat(classOne.out()).contains("class 1 at the last step (t=19)");
        assertThat(Npy.read(tmp.resolve("class").resolve("attribution.npy")).toArray())
                .containsExactly(Npy.read(last.resolve("attribution.npy")).toArray());
    }

    private static Path resource(String name) throws Exception {
        return Path.of(SequenceOutputTest.class.getResource("/" + name).toURI());
    }
}
