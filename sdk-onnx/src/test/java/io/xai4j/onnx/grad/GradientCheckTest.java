package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.OnnxAttributes.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.OnnxModels;
import io.xai4j.onnx.grad.GradientCheck.Report;
import io.xai4j.onnx.grad.GradientCheck.Settings;
import io.xai4j.onnx.grad.GradientCheck.TensorCheck;
import io.xai4j.onnx.grad.GradientCheck.Verdict;
import io.xai4j.onnx.grad.external.GuidedBackpropRuleSet;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientCheckTest {
    @TempDir
    Path dir;

    /** x[N,4] -> MatMul -> Add -> h -> Relu -> MatMul -> y[N,3]. */
    private OnnxModel reluMlp() {
        ModelProto m = TestGraph.of(DataType.FLOAT_VALUE).input("x", -1, 4).weights("w", 4, 6).weights("b", 6)
                .weights("v", 6, 3).node("MatMul", "x,w", "p").node("Add", "p,b", "h").node("Relu", "h", "r")
                .node("MatMul", "r,v", "y").output("y").build();
        return load(m, "mlp.onnx");
    }

    private OnnxModel load(ModelProto m, String name) {
        Path file = dir.resolve(name);
        OnnxModels.write(m, file);
        return OnnxModel.load(file, ModelOptions.defaults());
    }

    private static Settings rules(String rules) {
        return new Settings(null, rules, false, 3, 1e-3, GradientCheck.DEFAULT_TOLERANCE, 1);
    }

    @Test
    void exactGradientsOfAnInputAndAnInnerTensorPass() {
        try (OnnxModel model = reluMlp()) {
            Map<String, Tensor> inputs = GradientCheck.withDefaultInputs(model, Map.of(), 2);
            Report report = GradientCheck.run(model, inputs, List.of("x", "h"), rules(GradientRequest.EXACT));

            assertThat(report.seededTensor()).isEqualTo("y");
            assertThat(report.checks()).extracting(TensorCheck::tensor).containsExactly("x", "h");
            for (TensorCheck c : report.checks()) {
                assertThat(c.errors()).as(c.tensor()).hasSize(3).doesNotContain(Double.NaN);
                assertThat(c.maxError()).as(c.tensor()).isLessThan(1e-2);
                assertThat(c.verdict()).isEqualTo(Verdict.PASS);
            }
            assertThat(report.verdict()).isEqualTo(Verdict.PASS);
        }
    }

    @Test
    void aRuleSetThatIsNotTheExactGradientFails() {
        try (OnnxModel model = reluMlp()) {
            Map<String, Tensor> inputs = GradientCheck.withDefaultInputs(model, Map.of(), 2);
            Report report = GradientCheck.run(model, inputs, List.of("x"), rules(GuidedBackpropRuleSet.NAME));

            assertThat(report.checks().get(0).maxError()).isGreaterThan(0.5);
            assertThat(report.checks().get(0).verdict()).isEqualTo(Verdict.FAIL);
            assertThat(report.verdict()).isEqualTo(Verdict.FAIL);
        }
    }

    /** y = 1 + 1e-12 x: the change of f is far below float32 resolution, so no direction is resolved. */
    @Test
    void anOutputThatBarelyDependsOnTheInputIsInconclusive() {
        ModelProto m = TestGraph.of(DataType.FLOAT_VALUE).input("x", -1, 3).values("c", new double[] {1e-12}, 1)
                .values("one", new double[] {1}, 1).node("Mul", "x,c", "m").node("Add", "m,one", "y").output("y")
                .build();
        try (OnnxModel model = load(m, "tiny.onnx")) {
            Report report = GradientCheck.run(model, GradientCheck.withDefaultInputs(model, Map.of(), 0), List.of("x"),
                    Settings.defaults());

            TensorCheck c = report.checks().get(0);
            assertThat(c.errors()).hasSize(4).containsOnly(Double.NaN);
            assertThat(c.unresolved()).isEqualTo(4);
            assertThat(c.maxError()).isZero();
            assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        }
    }

    /**
     * At x = 0 every element of y = Relu(x) sits on its kink, and at a tie both elements of a MaxPool window do: any
     * step crosses them and the difference quotient averages both one-sided slopes, so finite differences cannot
     * judge the rule there, right or wrong; away from the kinks they can.
     */
    @Test
    void failuresAcrossKinksAreToldApartFromWrongGradients() {
        ModelProto m = TestGraph.of(DataType.FLOAT_VALUE).input("x", -1, 1, 1, 2).node("Relu", "x", "r")
                .node("MaxPool", "x", "p", of("kernel_shape", 1L, 2)).node("Concat", "r,p", "y", of("axis", 3L))
                .output("y").build();
        try (OnnxModel model = load(m, "kinks.onnx")) {
            Map<String, Tensor> origin = Map.of("x", Tensor.zeros(1, 1, 1, 2));
            for (String rules : List.of(GradientRequest.EXACT, GuidedBackpropRuleSet.NAME)) {
                TensorCheck c = GradientCheck.run(model, origin, List.of("x"), rules(rules)).checks().get(0);

                assertThat(c.kinkCrossings()).as(rules).isEqualTo(3);
                assertThat(c.kinks()).as(rules).containsOnly(Map.of("r", 2, "p", 1));
                assertThat(c.maxError()).as(rules).isGreaterThan(0.1);
                assertThat(c.verdict()).as(rules).isEqualTo(Verdict.KINK_CROSSING);
            }
            Map<String, Tensor> away = Map.of("x", Tensor.of(new float[] {-0.5f, 0.7f}, 1, 1, 1, 2));
            TensorCheck exact = GradientCheck.run(model, away, List.of("x"), rules(GradientRequest.EXACT)).checks().get(0);
            assertThat(exact.kinks()).containsOnly(Map.of());
            assertThat(exact.verdict()).isEqualTo(Verdict.PASS);
            TensorCheck guided = GradientCheck.run(model, away, List.of("x"), rules(GuidedBackpropRuleSet.NAME))
                    .checks().get(0);
            assertThat(guided.kinkCrossings()).isZero();
            assertThat(guided.verdict()).isEqualTo(Verdict.FAIL);
        }
    }

    @Test
    void theWorstTensorDecidesTheReport() {
        TensorCheck pass = new TensorCheck("a", new double[] {0.01, Double.NaN}, 0.05);
        TensorCheck inconclusive = new TensorCheck("b", new double[] {Double.NaN, Double.NaN}, 0.05);
        TensorCheck fail = new TensorCheck("c", new double[] {0.01, 0.06}, 0.05);
        TensorCheck nan = new TensorCheck("d", new double[] {Double.POSITIVE_INFINITY}, 0.05);
        Map<String, Integer> kink = Map.of("r", 1);
        TensorCheck kinkCrossing = new TensorCheck("e", new double[] {0.01, 0.6}, List.of(kink, kink), 0.05);
        TensorCheck onlyKinkCrossing = new TensorCheck("f", new double[] {Double.NaN, 0.6}, List.of(Map.of(), kink), 0.05);
        TensorCheck failAcrossNoKink = new TensorCheck("g", new double[] {0.6, 0.6}, List.of(Map.of(), kink), 0.05);

        assertThat(List.of(pass, inconclusive, fail, nan, kinkCrossing, onlyKinkCrossing, failAcrossNoKink))
                .extracting(TensorCheck::verdict).containsExactly(Verdict.PASS, Verdict.INCONCLUSIVE, Verdict.FAIL,
                        Verdict.FAIL, Verdict.KINK_CROSSING, Verdict.KINK_CROSSING, Verdict.FAIL);
        assertThat(kinkCrossing.maxError()).isEqualTo(0.6);
        assertThat(kinkCrossing.kinkCrossing(0)).isFalse();
        assertThat(kinkCrossing.kinkCrossing(1)).isTrue();
        assertThat(failAcrossNoKink.kinkCrossings()).isEqualTo(1);
        assertThat(new Report("y", List.of(pass)).verdict()).isEqualTo(Verdict.PASS);
        assertThat(new Report("y", List.of(pass, inconclusive)).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(new Report("y", List.of(inconclusive, fail, pass)).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(new Report("y", List.of(pass, inconclusive, kinkCrossing)).verdict()).isEqualTo(Verdict.KINK_CROSSING);
        assertThat(new Report("y", List.of(kinkCrossing, failAcrossNoKink)).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void badSettingsNameTheValidRanges() {
        assertThatThrownBy(() -> new Settings(null, GradientRequest.EXACT, false, 0, 1e-3, 0.05, 0))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("directions must be >= 1").hasMessageContaining("got 0, 0.001, 0.05");
        assertThatThrownBy(() -> new Settings(null, GradientRequest.EXACT, false, 1, Double.NaN, 0.05, 0))
                .hasMessageContaining("epsilon and tolerance > 0");
    }

    @Test
    void defaultInputsAreSeededAndKeepTheGivenOnes() {
        ModelProto m = TestGraph.of(DataType.FLOAT_VALUE).input("x", -1, 2).typedInput("ids", DataType.INT64_VALUE, -1, 2)
                .input("z", 2).node("Cast", "ids", "f", of("to", (long) DataType.FLOAT_VALUE)).node("Add", "x,f", "s")
                .node("Add", "s,z", "y").output("y").build();
        try (OnnxModel model = load(m, "three.onnx")) {
            Tensor z = Tensor.of(new float[] {5, 6}, 2);
            Map<String, Tensor> a = GradientCheck.withDefaultInputs(model, Map.of("z", z), 7);
            Map<String, Tensor> b = GradientCheck.withDefaultInputs(model, Map.of("z", z), 7);
            Map<String, Tensor> c = GradientCheck.withDefaultInputs(model, Map.of("z", z), 8);

            assertThat(a.keySet()).containsExactly("z", "x", "ids");
            assertThat(a.get("z")).isSameAs(z);
            assertThat(a.get("x").shape()).containsExactly(1, 2);
            assertThat(a.get("x").toArray()).isEqualTo(b.get("x").toArray()).isNotEqualTo(c.get("x").toArray());
            assertThat(a.get("ids").toArray()).containsOnly(0f);
            assertThat(GradientCheck.defaultTensors(model)).containsExactly("x", "z");
        }
    }
}
