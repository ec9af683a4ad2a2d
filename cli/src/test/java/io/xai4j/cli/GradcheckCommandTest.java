package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradcheckCommandTest {
    @TempDir
    Path dir;

    /** Float32 finite differences through ReLU and MaxPool kinks agree to about 1e-2 on this network's input. */
    @Test
    void theExactGradientsOfInputAndInnerTensorPass() throws Exception {
        Path model = Fixtures.resnet(dir);
        CliRunner r = CliRunner.run("gradcheck", "--model", model.toString(), "--wrt",
                "input," + Fixtures.RESNET_INNER, "--directions", "3");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("input +max relative error \\S+ +PASS")
                .containsPattern(java.util.regex.Pattern.quote(Fixtures.RESNET_INNER) + " +max relative error \\S+ +PASS")
                .endsWith("PASS" + System.lineSeparator());
    }

    @Test
    void aWrongReluRuleFailsWithExitCode7() throws Exception {
        Path model = Fixtures.resnet(dir);
        Path input = dir.resolve("x.npy");
        Npy.write(input, TestTensors.random(5, 3, 64, 64));
        CliRunner r = CliRunner.run("gradcheck", "--model", model.toString(), "--input", input.toString(),
                "--rules", WrongReluRuleSet.NAME);
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(Cli.GRADCHECK_FAILED);
        assertThat(r.out()).containsPattern("input +max relative error \\S+ +FAIL");
    }

    /**
     * At x = 0 every element of y = Relu(x) is on its kink: every step crosses it, and the failures are flagged
     * KINK-CROSSING; away from the kinks a wrong Relu rule FAILs. Both exit with 7.
     */
    @Test
    void failuresAcrossKinksAreToldApartFromAWrongRule() throws Exception {
        Path model = Fixtures.unaryModel(dir, "Relu");
        Path zeros = dir.resolve("zeros.npy");
        Npy.write(zeros, Tensor.zeros(1, 3));
        CliRunner atKink = CliRunner.run("gradcheck", "--model", model.toString(), "--input", zeros.toString());
        assertThat(atKink.exitCode()).as(atKink.out() + atKink.err()).isEqualTo(Cli.GRADCHECK_FAILED);
        assertThat(atKink.out())
                .containsPattern("x +max relative error \\S+ +KINK-CROSSING +per direction \\[\\S+ kink, ")
                .contains("cannot tell a wrong gradient from the kinks").containsPattern("x direction 1: y \\([123] element")
                .endsWith("KINK-CROSSING" + System.lineSeparator());

        CliRunner wrong = CliRunner.run("gradcheck", "--model", model.toString(), "--rules", WrongReluRuleSet.NAME);
        assertThat(wrong.exitCode()).as(wrong.out() + wrong.err()).isEqualTo(Cli.GRADCHECK_FAILED);
        assertThat(wrong.out()).containsPattern("x +max relative error \\S+ +FAIL").doesNotContain("kink")
                .endsWith("FAIL" + System.lineSeparator());
    }

    @Test
    void theDefaultChecksEveryFloatingPointInput() throws Exception {
        Path model = Fixtures.unaryModel(dir, "Tanh");
        CliRunner r = CliRunner.run("gradcheck", "--model", model.toString(), "--seed", "9");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("<s, y>").containsPattern("x +max relative error \\S+ +PASS");
    }

    @Test
    void aTokenInputIsCheckedAtItsEmbeddingLookup() throws Exception {
        Path text = Path.of(getClass().getResource("/text/text.onnx").toURI());
        CliRunner r = CliRunner.run("gradcheck", "--model", text.toString(), "--input",
                "ids=" + Path.of(getClass().getResource("/text/ids.npy").toURI()), "--input",
                "mask=" + Path.of(getClass().getResource("/text/mask.npy").toURI()));
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).containsPattern("/embed/Gather_output_0 +max relative error \\S+ +PASS")
                .containsPattern("mask +max relative error \\S+ +PASS").doesNotContain(" ids ");
    }

    /** A bias plus a signal far below float32 resolution: finite differences measure nothing, so no verdict. */
    @Test
    void anOutputThatBarelyDependsOnTheInputIsInconclusiveNotFailed() throws Exception {
        CliRunner tiny = CliRunner.run("gradcheck", "--model", Fixtures.scaledModel(dir, 1e-12f).toString());
        assertThat(tiny.exitCode()).as(tiny.out() + tiny.err()).isZero();
        assertThat(tiny.out()).containsPattern("x +max relative error \\S+ +INCONCLUSIVE +per direction \\[NaN, NaN")
                .contains("float32 units in the last place").endsWith("INCONCLUSIVE" + System.lineSeparator());

        CliRunner measurable = CliRunner.run("gradcheck", "--model", Fixtures.scaledModel(
                java.nio.file.Files.createDirectories(dir.resolve("measurable")), 0.1f).toString());
        assertThat(measurable.exitCode()).as(measurable.out() + measurable.err()).isZero();
        assertThat(measurable.out()).containsPattern("x +max relative error \\S+ +PASS")
                .doesNotContain("NaN").endsWith("PASS" + System.lineSeparator());
    }
}
