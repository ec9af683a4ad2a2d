package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input gets a clear message, its documented exit code, and no output files. */
class BadInputTest {
    @TempDir
    Path tmp;

    @Test
    void missingModelFile() {
        CliRunner r = explain("--model", tmp.resolve("nope.onnx").toString(), "--input", sample().toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("model file not found").contains("nope.onnx");
        assertNoOutput();
    }

    @Test
    void aModelPathThatIsAFolderSaysSo() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("model.onnx"));
        CliRunner r = explain("--model", folder.toString(), "--input", sample().toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("is a folder").doesNotContain("not found");
    }

    @Test
    void corruptModelFile() throws Exception {
        Path model = Files.writeString(tmp.resolve("broken.onnx"), "this is not a model", StandardCharsets.UTF_8);
        CliRunner r = explain("--model", model.toString(), "--input", sample().toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("broken.onnx");
        assertNoOutput();
    }

    @Test
    void fileThatIsNotOnnx() throws Exception {
        Path model = Files.copy(sample(), tmp.resolve("image.onnx"));
        CliRunner r = explain("--model", model.toString(), "--input", sample().toString());
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("image.onnx");
    }

    @Test
    void inputShapeMismatchGivesExpectedAndGot() throws Exception {
        Path npy = tmp.resolve("wrong.npy");
        Npy.write(npy, Tensor.zeros(1, 3, 32, 32));
        CliRunner r = explain("--input", npy.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("[1, 3, 32, 32]").contains("64");
        assertNoOutput();
    }

    @Test
    void nanInTheInput() throws Exception {
        Tensor t = Tensor.zeros(1, 3, 64, 64);
        t.set(7, Float.NaN);
        Path npy = tmp.resolve("nan.npy");
        Npy.write(npy, t);
        CliRunner r = explain("--input", npy.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).containsIgnoringCase("nan");
        assertNoOutput();
    }

    @Test
    void aNanBaselineIsAUsageErrorBeforeAnyWork() throws Exception {
        Tensor t = Tensor.zeros(3, 64, 64);
        t.set(11, Float.NaN);
        Path npy = Files.createDirectories(tmp.resolve("baselines")).resolve("nan.npy");
        Npy.write(npy, t);
        CliRunner r = explain("--method", "integrated-gradients", "--param", "baseline=" + npy);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("holds NaN or infinite values").doesNotContain("attribution");
        assertNoOutput();
    }

    @Test
    void gradcheckOnANanInputIsBadInput() throws Exception {
        Path model = Fixtures.unaryModel(tmp, "Tanh");
        Path npy = tmp.resolve("nan-x.npy");
        Npy.write(npy, Tensor.of(new float[] {0.1f, Float.NaN, 0.3f}, 1, 3));
        CliRunner r = CliRunner.run("gradcheck", "--model", model.toString(), "--input", "x=" + npy);
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.err()).contains("input 'x' contains NaN or infinite values");
    }

    @Test
    void gradcheckSettingsMustBeFiniteAndOfAWorkableCount() throws Exception {
        Path model = Fixtures.unaryModel(tmp, "Tanh");
        for (String[] bad : new String[][] {{"--directions", "999999999"}, {"--epsilon", "Infinity"},
                {"--epsilon", "1e309"}, {"--tolerance", "Infinity"}, {"--directions", "0"}}) {
            CliRunner r = CliRunner.run("gradcheck", "--model", model.toString(), bad[0], bad[1]);
            assertThat(r.exitCode()).as(String.join(" ", bad) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--directions must be in 1..10000 and --epsilon and --tolerance finite");
        }
    }

    @Test
    void probeShapesMustBePositiveAndOfAWorkableSize() throws Exception {
        Path model = Fixtures.unaryModel(tmp, "Tanh");
        CliRunner negative = CliRunner.run("inspect", "--model", model.toString(), "--shape", "x=1,-1");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("bad --shape x=1,-1; every dimension must be at least 1");
        CliRunner huge = CliRunner.run("export-gradients", "--model", model.toString(), "--wrt", "x", "--shape",
                "x=100000,100000", "--out", tmp.resolve("g.onnx").toString());
        assertThat(huge.exitCode()).isEqualTo(2);
        assertThat(huge.err()).contains("more than 268435456 elements");
    }

    @Test
    void unknownMethodListsTheAvailableOnes() {
        CliRunner r = explain("--method", "occlusoin");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown method 'occlusoin'").contains("rise").contains("did you mean 'occlusion'");
        assertNoOutput();
    }

    @Test
    void anEmptyMethodListIsAUsageError() {
        for (String methods : new String[] {",", " ", "saliency, "}) {
            CliRunner r = explain("--method", methods);
            assertThat(r.exitCode()).as(methods).isEqualTo(2);
            assertThat(r.err()).contains("--method needs one or more method names");
        }
        assertThat(CliRunner.run("compare", "--out", tmp.resolve("out").toString(), "--method", ",").exitCode())
                .isEqualTo(2);
        assertNoOutput();
    }

    @Test
    void anEmptyOutputPathIsAUsageError() {
        for (String command : new String[] {"explain", "compare"}) {
            CliRunner r = CliRunner.run(command, "--out", "");
            assertThat(r.exitCode()).as(command).isEqualTo(2);
            assertThat(r.err()).contains("--out").contains("the path is empty");
        }
    }

    @Test
    void classLabelsTooLongForAFileNameGetShortenedFolders() throws Exception {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            labels.append("x".repeat(300)).append(i).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("labels.txt"), labels);
        CliRunner r = explain("--method", "saliency", "--target", "top:2", "--labels", file.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
        try (var folders = Files.list(tmp.resolve("out"))) {
            assertThat(folders.filter(Files::isDirectory).map(f -> f.getFileName().toString()).toList()).hasSize(2)
                    .allSatisfy(name -> assertThat(name.length()).isLessThanOrEqualTo(96))
                    .allSatisfy(name -> assertThat(tmp.resolve("out").resolve(name).resolve("heatmap.png")).exists());
        }
    }

    @Test
    void aRunBeyondItsTimeoutStopsWithExitCode8AndWritesNothing() {
        CliRunner r = explain("--method", "rise,saliency", "--param", "rise.masks=100000", "--timeout", "1s");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(8);
        assertThat(r.err()).contains("timed out after 1 s").doesNotContain("explanations failed");
        assertNoOutput();
        assertThat(explain("--timeout", "soon").exitCode()).isEqualTo(2);
    }

    @Test
    void unknownParameterListsTheValidOnes() {
        CliRunner r = explain("--param", "windw=3");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown parameter 'windw'").contains("window").contains("stride");
    }

    @Test
    void badParameterValueSaysWhatIsExpected() {
        CliRunner r = explain("--method", "rise", "--param", "p=1.5");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'p'").contains("[0.001, 1]");
    }

    @Test
    void unknownTargetClass() {
        CliRunner r = explain("--target", "99");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("class 99 is out of range");
        assertNoOutput();
    }

    @Test
    void unknownTargetOutput() {
        CliRunner r = explain("--target", "exit9:1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("exit9").contains("logits");
    }

    @Test
    void malformedTarget() {
        CliRunner r = explain("--target", "top:x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("valid forms");
    }

    @Test
    void corruptImage() throws Exception {
        Path png = Files.write(tmp.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        CliRunner r = explain("--input", png.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("broken.png");
        assertNoOutput();
    }

    @Test
    void corruptNpy() throws Exception {
        Path npy = Files.write(tmp.resolve("broken.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1});
        CliRunner r = explain("--input", npy.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("broken.npy");
        assertNoOutput();
    }

    @Test
    void unsupportedInputFileType() throws Exception {
        Path txt = Files.writeString(tmp.resolve("input.txt"), "1 2 3");
        CliRunner r = explain("--input", txt.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("input.txt").contains("npy");
    }

    @Test
    void unknownDevice() {
        CliRunner r = explain("--device", "tpu");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("tpu").contains("cuda");
    }

    @Test
    void unknownLayerListsTheClosestNames() {
        CliRunner r = explain("--method", "grad-cam", "--layer", "/features/features.15/Relu_outptu_0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("/features/features.15/Relu_output_0");
        assertNoOutput();
    }

    @Test
    void stackTracesOnlyWithDebug() {
        assertThat(explain("--target", "99").err()).doesNotContain("\tat ");
        CliRunner debug = CliRunner.run("--debug", "explain", "--out", tmp.resolve("out").toString(), "--target", "99");
        assertThat(debug.exitCode()).isEqualTo(2);
        assertThat(debug.err()).contains("\tat ");
    }

    private CliRunner explain(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "explain";
        all[1] = "--out";
        all[2] = tmp.resolve("out").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRunner.run(all);
    }

    private void assertNoOutput() {
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    private Path sample() {
        try {
            return Path.of(BadInputTest.class.getResource("/io/xai4j/cli/demo/samples/circle.png").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
