package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.ModelOpener;
import io.xai4j.explain.Explanation;
import io.xai4j.inject.Xai4j;
import io.xai4j.io.Npy;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --target matrix:C} on an LSTM tagger with an output per step
 * ({@code tools/fixtures/make_sequence_matrix_fixtures.py}): the output step x input step matrix against PyTorch's
 * Jacobian and against one explanation per output step.
 */
class StepMatrixTest {
    private static final int CLASS = 2;
    private static final int STEPS = 8;

    private static Model model;
    private static Explainer explainer;
    private static Tensor inputs;
    /** d logits[n,t,c] / d seq[n,s,f]: [2, T, C, T, F]. */
    private static Tensor jacobian;

    @TempDir
    Path tmp;

    @BeforeAll
    static void openModel() throws Exception {
        explainer = Xai4j.injector().getInstance(Explainer.class);
        model = Xai4j.injector().getInstance(ModelOpener.class).open(resource("lstm_tagger.onnx"),
                ModelOptions.defaults());
        inputs = Npy.read(resource("lstm_tagger.input.npy"));
        jacobian = Npy.read(resource("lstm_tagger.jacobian.npy"));
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private static Explanation explain(String method, String target, Tensor input) {
        List<Explanation> explanations = explainer.explain(model, Map.of("seq", input),
                ExplainOptions.builder(method).target(target).build());
        assertThat(explanations).hasSize(1);
        return explanations.get(0);
    }

    /** The reference matrix of example n: sum over features of |J| (saliency) or of x J (input x gradient). */
    private static double expected(int n, int t, int s, boolean saliency) {
        double sum = 0;
        int features = inputs.dim(2);
        for (int f = 0; f < features; f++) {
            double j = jacobian.at(n, t, CLASS, s, f);
            sum += saliency ? Math.abs(j) : inputs.at(n, s, f) * j;
        }
        return sum;
    }

    @Test
    void saliencyAndInputXGradientMatricesEqualPyTorchsJacobianInOneEngineCall() {
        for (String method : List.of("saliency", "input-x-gradient")) {
            Explanation e = explain(method, "matrix:" + CLASS, inputs);
            Tensor matrix = e.attribution();
            assertThat(matrix.shape()).containsExactly(2, STEPS, STEPS);
            for (int n = 0; n < 2; n++) {
                for (int t = 0; t < STEPS; t++) {
                    for (int s = 0; s < STEPS; s++) {
                        double want = expected(n, t, s, method.equals("saliency"));
                        assertThat((double) matrix.at(n, t, s)).as("%s [%d,%d,%d]", method, n, t, s)
                                .isCloseTo(want, within(1e-5 + 1e-4 * Math.abs(want)));
                        if (s > t) {
                            assertThat(matrix.at(n, t, s)).as("a step never depends on later inputs").isZero();
                        }
                    }
                }
            }
            assertThat(e.details()).containsEntry("engineCalls", 1).containsEntry("gradientEvaluations", 16L)
                    .containsKey(Explainer.TARGET_MATRIX);
            assertThat(e.targetLabels()).containsOnly("class 2, output step x input step");
            assertThat(e.predictions()).as("one list per example, of its last step").hasSize(2)
                    .allSatisfy(p -> assertThat(p.get(0).label()).startsWith("[7,"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"integrated-gradients", "deeplift", "smoothgrad", "gradient-shap"})
    void eachRowEqualsTheExplanationOfItsStepAlone(String method) {
        Tensor example = inputs.rows(1, 2);
        Tensor matrix = explain(method, "matrix:" + CLASS, example).attribution();
        for (int t = 0; t < STEPS; t++) {
            Tensor alone = explain(method, "logits[" + t + "," + CLASS + "]", example).attribution();
            for (int s = 0; s < STEPS; s++) {
                double sum = 0;
                for (int f = 0; f < alone.dim(2); f++) {
                    sum += alone.at(0, s, f);
                }
                assertThat((double) matrix.at(0, t, s)).as("%s [%d,%d]", method, t, s)
                        .isCloseTo(sum, within(1e-6 + 1e-5 * Math.abs(sum)));
            }
        }
    }

    @Test
    void theCommandWritesTheMatrixAndItsPicture() throws Exception {
        Path input = tmp.resolve("seq.npy");
        Npy.write(input, inputs.row(0));
        Path out = tmp.resolve("out");
        CliRunner r = CliRunner.run("explain", "--model", resource("lstm_tagger.onnx").toString(), "--input",
                input.toString(), "--method", "input-x-gradient", "--target", "matrix:" + CLASS, "--out",
                out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("explained class 2, output step x input step with input-x-gradient");
        assertThat(Npy.read(out.resolve("attribution.npy")).shape()).containsExactly(1, STEPS, STEPS);
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(json.at("/details/targetMatrix").asText()).startsWith("rows: output steps 0..7 of class 2");
        assertThat(json.at("/target/spec").asText()).isEqualTo("matrix:2");
        assertThat(Files.size(out.resolve("heatmap.png"))).isPositive();
    }

    @Test
    void severalTargetsCompareMatricesOnlyWithMatrices() throws Exception {
        Path input = tmp.resolve("seq.npy");
        Npy.write(input, inputs.row(0));
        CliRunner r = CliRunner.run("explain", "--model", resource("lstm_tagger.onnx").toString(), "--input",
                input.toString(), "--method", "saliency", "--target", "matrix:2", "--target", "matrix:1", "--target",
                "logits[-1,2]", "--out", tmp.resolve("three").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("matrix:2 class 2, output step x input step vs matrix:1 class 1, output step x"
                + " input step").doesNotContain("vs logits[-1,2]");
    }

    @Test
    void methodsWithoutOneGradientPerStepAreRefusedNamingThoseThatCan() throws Exception {
        Path input = tmp.resolve("seq.npy");
        Npy.write(input, inputs.row(0));
        CliRunner r = CliRunner.run("explain", "--model", resource("lstm_tagger.onnx").toString(), "--input",
                input.toString(), "--method", "occlusion", "--target", "matrix:" + CLASS, "--out",
                tmp.resolve("o").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("method 'occlusion' cannot explain target 'matrix:2'")
                .contains("saliency").contains("input-x-gradient").doesNotContain("grad-cam,");
    }

    @Test
    void compareShowsWhyAMethodCannotMakeAMatrixAndDrawsTheOthers() throws Exception {
        Path input = tmp.resolve("seq.npy");
        Npy.write(input, inputs.row(0));
        Path out = tmp.resolve("compare");
        CliRunner r = CliRunner.run("compare", "--model", resource("lstm_tagger.onnx").toString(), "--input",
                input.toString(), "--method", "saliency,occlusion", "--target", "matrix:" + CLASS, "--out",
                out.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html.split("src=\"data:image/png;base64,", -1)).hasSize(2);
        assertThat(html).contains("failed: method 'occlusion' cannot explain target 'matrix:2'");
    }

    @Test
    void anOutputWithoutStepsIsRefusedWithItsShape() throws Exception {
        Path lstm = Path.of(StepMatrixTest.class.getResource("/fixtures/lstm.onnx").toURI());
        Path input = Path.of(StepMatrixTest.class.getResource("/fixtures/lstm.input.npy").toURI());
        CliRunner r = CliRunner.run("explain", "--model", lstm.toString(), "--input", input.toString(), "--method",
                "saliency", "--target", "matrix:3", "--out", tmp.resolve("o").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("needs a per-step output [N,T,C]").contains("[1, 10]");
    }

    private static Path resource(String name) throws Exception {
        return Path.of(StepMatrixTest.class.getResource("/sequence/" + name).toURI());
    }
}
