package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.io.Npy;
import java.nio.file.Path;
import java.util.Random;
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
        Npy.write(input, GradientCheck.normal(new Random(5), 3, 64, 64));
        CliRunner r = CliRunner.run("gradcheck", "--model", model.toString(), "--input", input.toString(),
                "--rules", WrongReluRuleSet.NAME);
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(Cli.GRADCHECK_FAILED);
        assertThat(r.out()).containsPattern("input +max relative error \\S+ +FAIL");
    }

    @Test
    void theDefaultChecksEveryFloatingPointInput() throws Exception {
        Path model = Fixtures.unaryModel(dir, "Tanh");
        CliRunner r = CliRunner.run("gradcheck", "--model", model.toString(), "--seed", "9");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("<s, y>").containsPattern("x +max relative error \\S+ +PASS");
    }
}
