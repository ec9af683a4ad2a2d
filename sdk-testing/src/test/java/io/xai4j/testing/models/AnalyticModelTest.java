package io.xai4j.testing.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.XaiException;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.Model;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine's gradients against central differences of the forward pass. */
class AnalyticModelTest {
    private static final double EPS = 1e-3;
    private final Tensor x = TestTensors.random(1, 2, 2, 3, 4);
    private final Tensor scale = Tensor.of(new float[] {1.5f, -0.5f}, 2, 1);
    private final Tensor seed = Tensor.of(new float[] {1, 0, -2, 0, 1, 0.5f}, 2, 3);

    private QuadraticModel model(boolean softmax) {
        QuadraticModel m = QuadraticModel.random(3, 3, 2, 3, 4);
        m.layerFunction(0.5, 2, 0.3).scaleInput(true).softmaxOutput(softmax);
        return m;
    }

    /** {@code sum(seed * tensor)} of the seeded tensor: y, or the logits before a softmax. */
    private static double seeded(QuadraticModel m, Map<String, Tensor> inputs, Tensor seed, boolean through) {
        GradientResult r = m.vjp(new GradientRequest(inputs, "y", seed, Set.of(), Set.of(), "exact", through));
        Tensor t = r.outputs().getOrDefault(GradientResult.SEEDED_OUTPUT, r.outputs().get("y"));
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += (double) seed.get(i) * t.get(i);
        }
        return s;
    }

    private void checkAgainstDifferences(QuadraticModel m, String wrt, boolean through) {
        Map<String, Tensor> inputs = new HashMap<>(Map.of("x", x, "s", scale));
        if (wrt.equals("act")) {
            inputs.put("act", m.forward(inputs, Set.of("act")).get("act"));
        }
        Tensor grad = m.vjp(new GradientRequest(inputs, "y", seed, Set.of(wrt), Set.of(), "exact", through))
                .gradients().get(wrt);
        Tensor point = inputs.get(wrt);
        for (int i = 0; i < point.size(); i += 5) {
            float v = point.get(i);
            point.set(i, (float) (v + EPS));
            double up = seeded(m, inputs, seed, through);
            point.set(i, (float) (v - EPS));
            double down = seeded(m, inputs, seed, through);
            point.set(i, v);
            assertThat((double) grad.get(i)).as("%s element %d", wrt, i).isCloseTo((up - down) / (2 * EPS),
                    within(2e-3));
        }
    }

    @Test
    void gradientsAreThoseOfTheSeededTensor() {
        checkAgainstDifferences(model(false), "x", false);
        checkAgainstDifferences(model(false), "act", false);
        checkAgainstDifferences(model(true), "x", false);
        checkAgainstDifferences(model(true), "x", true);
        checkAgainstDifferences(model(true), "act", true);
    }

    @Test
    void aTokenLayerHasTheGridValuesAfterAClassToken() {
        QuadraticModel grid = model(false);
        QuadraticModel tokens = model(false);
        tokens.tokenLayer(true);
        Map<String, Tensor> inputs = Map.of("x", x, "s", scale);
        Tensor act = tokens.forward(inputs, Set.of("act")).get("act");
        assertThat(act.shape()).containsExactly(2, 13, 2);
        assertThat(act.at(1, 0, 1)).isEqualTo(7f);
        assertThat((double) act.at(1, 5, 1)).isCloseTo(tokens.layerValues(x, 1)[12 + 4], within(1e-6));
        GradientRequest request = new GradientRequest(inputs, "y", seed, Set.of("x"), Set.of(), "exact", false);
        assertThat(tokens.vjp(request).gradients()).isEqualTo(grid.vjp(request).gradients());
        assertThat(tokens.forward(inputs).get("y")).isEqualTo(grid.forward(inputs).get("y"));
    }

    @Test
    void theTailRunsTheHeadAndIsRecorded() {
        QuadraticModel m = model(true);
        m.scaleInput(false);
        Map<String, Tensor> inputs = Map.of("x", x);
        try (Model tail = m.tail("act")) {
            assertThat(tail.forward(Map.of("act", m.forward(inputs, Set.of("act")).get("act"))).get("y"))
                    .isEqualTo(m.forward(inputs).get("y"));
        }
        assertThat(m.tailBatches()).containsExactly(2);
        assertThat(m.forwardBatches()).containsExactly(2, 2);
        assertThat(m.engineBatches()).isEmpty();
        assertThatThrownBy(() -> m.tail("y")).isInstanceOf(XaiException.class);
        m.scaleInput(true);
        assertThatThrownBy(() -> m.tail("act")).isInstanceOf(XaiException.class).hasMessageContaining("'s'");
    }

    @Test
    void gapLinearDescribesItsHead() {
        QuadraticModel m = QuadraticModel.gapLinear(new float[][] {{1, 2}, {3, -4}}, new double[] {0.5, 0}, 2, 3);
        assertThat(m.graph().orElseThrow().constant("fc.W").orElseThrow().toArray())
                .containsExactly(1, 2, 3, -4);
        Tensor in = TestTensors.random(2, 1, 2, 2, 3);
        double mean0 = 0;
        double mean1 = 0;
        for (int p = 0; p < 6; p++) {
            mean0 += in.get(p) / 6.0;
            mean1 += in.get(6 + p) / 6.0;
        }
        assertThat((double) m.forward(Map.of("x", in)).get("y").get(1)).isCloseTo(3 * mean0 - 4 * mean1, within(1e-6));
    }
}
