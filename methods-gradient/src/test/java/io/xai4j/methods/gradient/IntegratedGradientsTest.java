package io.xai4j.methods.gradient;

import static io.xai4j.methods.gradient.Fixtures.attribute;
import static io.xai4j.methods.gradient.Fixtures.classes;
import static io.xai4j.testing.TestTensors.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.gradient.Quadrature;
import io.xai4j.spi.Attribution;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import io.xai4j.testing.models.AnalyticModel;
import io.xai4j.testing.models.QuadraticModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntegratedGradientsTest {
    private static final List<String> METHODS = Quadrature.METHODS;

    /** The Integrated Gradients paper's example: {@code f(x1, x2) = relu(relu(x1) - 1 - relu(x2))}. */
    static final class IgToy extends AnalyticModel {
        IgToy() {
            super(1, 2);
        }

        @Override
        protected void logits(double[] x, double[] out) {
            out[0] = Math.max(0, Math.max(0, x[0]) - 1 - Math.max(0, x[1]));
        }

        @Override
        protected void backward(double[] x, double[] seed, double[] grad) {
            if (Math.max(0, x[0]) - 1 - Math.max(0, x[1]) > 0) {
                grad[0] += seed[0] * (x[0] > 0 ? 1 : 0);
                grad[1] -= seed[0] * (x[1] > 0 ? 1 : 0);
            }
        }
    }

    @Test
    void everyRuleIsExactOnALinearModel() {
        QuadraticModel model = QuadraticModel.randomLinear(3, 2, 5);
        Tensor x = TestTensors.random(2, 3, 5);
        for (String method : METHODS) {
            Tensor attr = attribute(new IntegratedGradients(), model, x, classes(1, 0, 1),
                    Map.of("method", method, "steps", "3", "baseline", "0.5"));
            for (int n = 0; n < 3; n++) {
                int k = n == 1 ? 0 : 1;
                for (int j = 0; j < 5; j++) {
                    assertThat((double) attr.at(n, j)).as(method)
                            .isCloseTo((x.at(n, j) - 0.5) * model.linearWeight(k, j), within(1e-5));
                }
            }
        }
    }

    @Test
    void gaussLegendreIsExactOnAQuadraticModelWithFewSteps() {
        QuadraticModel model = QuadraticModel.random(5, 2, 4);
        Tensor x = TestTensors.random(6, 2, 4);
        Tensor attr = attribute(new IntegratedGradients(), model, x, classes(0, 1), Map.of("steps", "2"));
        for (int n = 0; n < 2; n++) {
            for (int j = 0; j < 4; j++) {
                double xj = x.at(n, j);
                double expected = model.squareWeight(n, j) * xj * xj + model.linearWeight(n, j) * xj;
                assertThat((double) attr.at(n, j)).isCloseTo(expected, within(1e-5));
            }
        }
    }

    @Test
    void completenessHoldsForEveryRuleOnThePaperModel() {
        IgToy model = new IgToy();
        Tensor x = Tensor.of(new float[] {3, 1, 2.5f, 0.2f}, 2, 2);
        for (String method : METHODS) {
            Attribution a = Fixtures.run(new IntegratedGradients(), model, 64, 0, x, classes(0, 0),
                    Map.of("method", method, "steps", "400"));
            @SuppressWarnings("unchecked")
            List<Double> deltas = (List<Double>) a.details().get("convergenceDelta");
            Tensor attr = a.tensors().get("x");
            double[] f = {1, 1.3};
            for (int n = 0; n < 2; n++) {
                double sum = attr.at(n, 0) + attr.at(n, 1);
                assertThat(sum).as(method).isCloseTo(f[n], within(0.02));
                assertThat(deltas.get(n)).as(method).isCloseTo(sum - f[n], within(1e-5));
            }
        }
    }

    @Test
    void matchesASlowReferenceOnAQuadraticModel() {
        QuadraticModel model = QuadraticModel.random(8, 3, 6);
        Tensor x = TestTensors.random(9, 2, 6);
        for (String method : METHODS) {
            Tensor attr = attribute(new IntegratedGradients(), model, x, classes(2, 0),
                    Map.of("method", method, "steps", "7", "baseline", "-0.25"));
            Quadrature q = Quadrature.of(method, 7);
            int[] targets = {2, 0};
            for (int n = 0; n < 2; n++) {
                for (int j = 0; j < 6; j++) {
                    double sum = 0;
                    for (int s = 0; s < 7; s++) {
                        double point = -0.25 + q.alphas()[s] * (x.at(n, j) + 0.25);
                        sum += q.weights()[s] * (2 * model.squareWeight(targets[n], j) * point
                                + model.linearWeight(targets[n], j));
                    }
                    assertThat((double) attr.at(n, j)).as(method).isCloseTo((x.at(n, j) + 0.25) * sum, within(1e-5));
                }
            }
        }
    }

    @Test
    void stepsAreBatchedAcrossExamplesWithTwoEndpointRowsEach() {
        QuadraticModel model = QuadraticModel.random(5, 2, 4);
        Tensor x = TestTensors.random(6, 3, 4);
        Tensor reference = null;
        for (int batch : new int[] {1, 2, 3, 16}) {
            model.clearCalls();
            Attribution a = Fixtures.run(new IntegratedGradients(), model, 64, 0, x, classes(0, 1, 1),
                    Map.of("steps", "10", "internal-batch-size", Integer.toString(batch)));
            int rows = 3 * (10 + 2);
            assertThat(model.engineBatches()).hasSize((rows + batch - 1) / batch);
            assertThat(model.engineBatches().stream().mapToInt(Integer::intValue).sum()).isEqualTo(rows);
            assertThat(a.details()).containsEntry("engineCalls", model.engineBatches().size());
            Tensor attr = a.tensors().get("x");
            if (reference != null) {
                assertThat(maxDiff(attr, reference)).isZero();
            }
            reference = attr;
        }
        model.clearCalls();
        Fixtures.run(new IntegratedGradients(), model, 5, 0, x, classes(0, 1, 1), Map.of("steps", "10"));
        assertThat(model.engineBatches()).hasSize((36 + 4) / 5).allMatch(b -> b <= 5);
    }

    @Test
    void perExampleTargetsAndOtherInputsEqualOneByOneRuns() {
        QuadraticModel model = QuadraticModel.random(5, 3, 4);
        model.scaleInput(true);
        Map<String, Tensor> inputs = Map.of("x", TestTensors.random(6, 3, 4), "s",
                Tensor.of(new float[] {1, -2, 0.5f}, 3, 1));
        ResolvedTarget target = classes(2, 0, 1);
        Map<String, String> params = Map.of("steps", "9", "internal-batch-size", "4");
        Tensor together = Fixtures.run(new IntegratedGradients(), model, 64, 0, inputs, target, params)
                .tensors().get("x");
        Tensor alone = Fixtures.oneByOne(new IntegratedGradients(), model, inputs, target, params);
        assertThat(maxDiff(together, alone)).isZero();
        Tensor unscaled = attribute(new IntegratedGradients(), QuadraticModel.random(5, 3, 4),
                inputs.get("x").rows(1, 2), classes(0), params);
        assertThat((double) together.at(1, 2)).isCloseTo(-2.0 * unscaled.at(0, 2), within(1e-5));
    }

    @Test
    void deltaRefersToTheLogitsOrToTheSoftmaxOutputAsDifferentiated() {
        QuadraticModel model = QuadraticModel.random(4, 3, 4);
        model.softmaxOutput(true);
        Tensor x = TestTensors.random(2, 2, 4);
        for (String through : new String[] {"false", "true"}) {
            Attribution a = Fixtures.run(new IntegratedGradients(), model, 64, 0, x, classes(0, 2),
                    Map.of("through-softmax", through, "steps", "64"));
            @SuppressWarnings("unchecked")
            List<Double> deltas = (List<Double>) a.details().get("convergenceDelta");
            assertThat(deltas).allSatisfy(d -> assertThat(Math.abs(d)).isLessThan(1e-4));
        }
        Tensor logits = attribute(new IntegratedGradients(), model, x, classes(0, 2), Map.of());
        Tensor probabilities = attribute(new IntegratedGradients(), model, x, classes(0, 2),
                Map.of("through-softmax", "true"));
        assertThat(maxDiff(logits, probabilities)).isGreaterThan(1e-3);
    }

    @Test
    void badParametersAreRejected() {
        QuadraticModel model = QuadraticModel.random(4, 2, 4);
        Tensor x = TestTensors.random(2, 1, 4);
        for (Map<String, String> bad : List.of(Map.of("steps", "0"), Map.of("method", "simpson"),
                Map.of("internal-batch-size", "-1"), Map.of("method", "riemann_trapezoid", "steps", "1"),
                Map.of("baseline", "nonsense"), Map.of("through-softmax", "maybe"))) {
            assertThatThrownBy(() -> attribute(new IntegratedGradients(), model, x, classes(0), bad))
                    .as(bad.toString()).isInstanceOfSatisfying(XaiException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
        }
        assertThatThrownBy(() -> attribute(new IntegratedGradients(), model, x, classes(0), Map.of("step", "3")))
                .isInstanceOfSatisfying(XaiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_PARAMETER))
                .hasMessageContaining("steps");
        assertThat(model.engineBatches()).isEmpty();
    }
}
