package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path evalSet(Path dir, String... images) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("images"));
        for (String image : images) {
            Files.copy(Path.of(EvaluateCommandTest.class.getResource("/io/xai4j/cli/demo/evalset/" + image).toURI()),
                    folder.resolve(image));
        }
        return folder;
    }

    private static Path boxes() throws Exception {
        return Path.of(EvaluateCommandTest.class.getResource("/io/xai4j/cli/demo/evalset/boxes.json").toURI());
    }

    @Test
    void aFolderGetsARecordPerInputTheSummaryCurvesAndATable(@TempDir Path dir) throws Exception {
        Path images = evalSet(dir, "shapes-000.jpg", "shapes-001.jpg", "shapes-200.jpg");
        Files.writeString(images.resolve("broken.png"), "not an image");
        Path out = dir.resolve("out");
        CliRunner run = CliRunner.run("evaluate", "--input", images.toString(), "--boxes", boxes().toString(),
                "--method", "grad-cam,integrated-gradients", "--param", "integrated-gradients.steps=8",
                "--metric-param", "steps=11", "--batch-size", "4", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(3);   // the broken file, after the others
        assertThat(run.err()).contains("broken.png");
        List<String> lines = Files.readAllLines(out.resolve(EvaluateCommand.RECORDS));
        assertThat(lines).hasSize(4);
        JsonNode first = JSON.readTree(lines.get(1));
        assertThat(first.get("input").asText()).isEqualTo("shapes-000");
        JsonNode deletion = first.get("explanations").get(0).get("metrics").get("deletion");
        assertThat(deletion.get("curves").get(0).get("scores")).hasSize(11);
        assertThat(deletion.get("details").get("forwardCalls").asInt()).isEqualTo(3);   // ceil(11 / 4)
        assertThat(JSON.readTree(lines.get(0)).get("ok").asBoolean()).isFalse();

        JsonNode report = JSON.readTree(out.resolve(EvaluateCommand.REPORT).toFile());
        assertThat(report.get("inputs").asInt()).isEqualTo(4);
        assertThat(report.get("failedInputs").asInt()).isEqualTo(1);
        JsonNode gradCam = report.get("summary").get("grad-cam");
        assertThat(gradCam.get("pointing-game").get("examples").asInt()).isBetween(1, 3);
        assertThat(gradCam.get("completeness").get("notApplicable").asText()).contains("reports no completeness");
        assertThat(report.get("summary").get("integrated-gradients").get("completeness").get("mean").asDouble())
                .isGreaterThanOrEqualTo(0);
        assertThat(report.get("meanCurves").get("insertion").get("grad-cam")).hasSize(101);
        assertThat(out.resolve("deletion.png")).isRegularFile();
        assertThat(out.resolve("insertion.png")).isRegularFile();
        assertThat(run.out()).contains("method", "pointing-game", "(higher is better)", "grad-cam", "integrated-gradients");
    }

    @Test
    void anOutputFolderThatCannotBeMadeIsAResourceErrorNamingTheReason(@TempDir Path dir) throws Exception {
        Path images = evalSet(dir, "shapes-000.jpg");
        Path file = Files.writeString(dir.resolve("a-file"), "in the way");
        for (Path out : new Path[] {file, file.resolve("sub")}) {
            CliRunner run = CliRunner.run("evaluate", "--input", images.toString(), "--method", "saliency",
                    "--metric", "deletion", "--out", out.toString());
            assertThat(run.exitCode()).as(run.err()).isEqualTo(6);
            assertThat(run.err()).contains("error: file system error on " + out).doesNotContain("internal error");
        }
    }

    @Test
    void unknownMetricsAndParametersAreUsageErrors(@TempDir Path dir) throws Exception {
        Path images = evalSet(dir, "shapes-000.jpg");
        CliRunner unknown = CliRunner.run("evaluate", "--input", images.toString(), "--metric", "delection",
                "--out", dir.resolve("o").toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown metric 'delection'", "did you mean 'deletion'");
        CliRunner badValue = CliRunner.run("evaluate", "--input", images.toString(), "--metric", "deletion",
                "--metric-param", "order=up", "--out", dir.resolve("o").toString());
        assertThat(badValue.exitCode()).isEqualTo(2);
        assertThat(badValue.err()).contains("metric 'deletion'", "morf, lerf");
        for (String[] empty : new String[][] {{"--metric", ","}, {"--metric", "deletion,,insertion"},
                {"--metric-param", "=3"}}) {
            CliRunner nothing = CliRunner.run("evaluate", "--input", images.toString(), empty[0], empty[1],
                    "--out", dir.resolve("none").toString());
            assertThat(nothing.exitCode()).as(nothing.err()).isEqualTo(2);
            assertThat(nothing.err()).contains(empty[0]);
            assertThat(dir.resolve("none")).doesNotExist();
        }
        for (Path masks : new Path[] {dir.resolve("no-masks"), images.resolve("shapes-000.jpg")}) {
            CliRunner wrong = CliRunner.run("evaluate", "--input", images.toString(), "--metric", "pointing-game",
                    "--masks", masks.toString(), "--out", dir.resolve("none").toString());
            assertThat(wrong.exitCode()).as(wrong.err()).isEqualTo(3);
            assertThat(wrong.err()).contains("--masks " + masks);
            assertThat(dir.resolve("none")).doesNotExist();
        }
        CliRunner list = CliRunner.run("evaluate", "--list-metrics");
        assertThat(list.out()).contains("deletion", "insertion", "pointing-game", "energy-pointing-game", "completeness");
    }

    @Test
    void dataRandomisationExplainsAgainWithTheGivenSecondModel(@TempDir Path dir) throws Exception {
        Path images = evalSet(dir, "shapes-000.jpg", "shapes-200.jpg");
        Path second = Fixtures.reweighted(Demo.extract().model(), 5, dir);
        Path out = dir.resolve("out");
        CliRunner run = CliRunner.run("evaluate", "--input", images.toString(), "--method", "saliency",
                "--metric", "data-randomisation", "--metric-param", "data-randomisation.model=" + second,
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = JSON.readTree(out.resolve(EvaluateCommand.REPORT).toFile()).get("summary");
        JsonNode saliency = summary.get("saliency").get("data-randomisation");
        assertThat(saliency.get("examples").asInt()).isEqualTo(2);
        assertThat(saliency.get("mean").asDouble()).isLessThan(0.4);
        assertThat(saliency.get("better").asText()).isEqualTo("lower");
        assertThat(run.out()).contains("data-randomisation");

        CliRunner same = CliRunner.run("evaluate", "--input", images.toString(), "--method", "saliency",
                "--metric", "data-randomisation", "--metric-param", "model=" + Demo.extract().model(),
                "--out", dir.resolve("same").toString());
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(JSON.readTree(dir.resolve("same").resolve(EvaluateCommand.REPORT).toFile())
                .at("/summary/saliency/data-randomisation/mean").asDouble()).as("the model itself").isGreaterThan(0.999);
    }

    /** A CAM on a model without a spatial layer fails on every input; the other method is still scored. */
    @Test
    void aFailingMethodIsReportedAndTheOthersGoOn(@TempDir Path dir) throws Exception {
        Path model = Fixtures.unaryModel(dir, "Relu");
        Path inputs = Files.createDirectories(dir.resolve("inputs"));
        Npy.write(inputs.resolve("a.npy"), Tensor.of(new float[] {0.5f, -1f, 2f}, 3));
        Npy.write(inputs.resolve("b.npy"), Tensor.of(new float[] {1f, 3f, -2f}, 3));
        Path out = dir.resolve("out");
        CliRunner run = CliRunner.run("evaluate", "--model", model.toString(), "--input", inputs.toString(),
                "--method", "grad-cam,saliency", "--metric", "deletion", "--metric-param", "steps=4",
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);   // the CAM's usage error, after the others
        assertThat(run.err()).contains("error: grad-cam on a: ", "error: 2 of 4 explanations failed");
        JsonNode report = JSON.readTree(out.resolve(EvaluateCommand.REPORT).toFile());
        assertThat(report.at("/summary/saliency/deletion/examples").asInt()).isEqualTo(2);
        assertThat(report.at("/failedMethods/grad-cam/inputs").asInt()).isEqualTo(2);
        assertThat(report.at("/failedMethods/grad-cam/error/code").asText()).isNotEmpty();
        assertThat(report.at("/summary/grad-cam").size()).as("no scores").isZero();
        List<String> lines = Files.readAllLines(out.resolve(EvaluateCommand.RECORDS));
        JsonNode failed = JSON.readTree(lines.get(0)).get("explanations").get(1);
        assertThat(failed.get("method").asText()).isEqualTo("grad-cam");
        assertThat(failed.get("ok").asBoolean()).isFalse();
        assertThat(failed.at("/error/message").asText()).isNotEmpty();
        assertThat(run.out()).containsPattern("grad-cam\\s+failed").contains("grad-cam failed on 2 inputs, first: ");
        assertThat(run.out().indexOf("grad-cam ")).as("rows in --method order").isLessThan(run.out().indexOf("saliency "));
    }
}
