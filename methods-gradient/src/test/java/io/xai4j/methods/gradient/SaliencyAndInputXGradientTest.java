package io.xai4j.methods.gradient;

import static io.xai4j.methods.gradient.Fixtures.attribute;
import static io.xai4j.methods.gradient.Fixtures.classes;
import static io.xai4j.testing.TestTensors.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import io.xai4j.testing.models.QuadraticModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SaliencyAndInputXGradientTest {
    private final QuadraticModel model = QuadraticModel.random(7, 3, 2, 3);
    private final Tensor x = TestTensors.random(1, 4, 2, 3);

    /** d y_k / d x_j = 2 w_kj x_j + v_kj. */
    private double closedForm(int example, int k, int j) {
        return 2 * model.squareWeight(k, j) * x.get(example * 6 + j) + model.linearWeight(k, j);
    }

    @Test
    void saliencyIsTheAbsoluteGradientByDefaultAndTheSignedOneOnRequest() {
        int[] targets = {0, 2, 1, 2};
        Tensor abs = attribute(new Saliency(), model, x, classes(targets), Map.of());
        Tensor signed = attribute(new Saliency(), model, x, classes(targets), Map.of("abs", "false"));
        assertThat(abs.shape()).containsExactly(4, 2, 3);
        boolean sawNegative = false;
        for (int n = 0; n < 4; n++) {
            for (int j = 0; j < 6; j++) {
                double g = closedForm(n, targets[n], j);
                assertThat((double) signed.get(n * 6 + j)).isCloseTo(g, within(1e-5));
                assertThat((double) abs.get(n * 6 + j)).isCloseTo(Math.abs(g), within(1e-5));
                sawNegative |= g < 0;
            }
        }
        assertThat(sawNegative).isTrue();
        assertThat(model.engineBatches()).containsExactly(4, 4);
    }

    @Test
    void inputXGradientMultipliesTheInputByTheGradient() {
        int[] targets = {1, 1, 0, 2};
        Tensor attr = attribute(new InputXGradient(), model, x, classes(targets), Map.of());
        for (int n = 0; n < 4; n++) {
            for (int j = 0; j < 6; j++) {
                double expected = x.get(n * 6 + j) * closedForm(n, targets[n], j);
                assertThat((double) attr.get(n * 6 + j)).isCloseTo(expected, within(1e-5));
            }
        }
    }

    @Test
    void channelReductionKeepsTheRankWithChannelAxisOfSizeOne() {
        QuadraticModel image = QuadraticModel.random(3, 2, 3, 5, 5);
        Tensor in = TestTensors.random(4, 2, 3, 5, 5);
        Tensor full = attribute(new Saliency(), image, in, classes(0, 1), Map.of());
        Tensor max = attribute(new Saliency(), image, in, classes(0, 1), Map.of("channel-reduction", "max"));
        Tensor sum = attribute(new Saliency(), image, in, classes(0, 1),
                Map.of("channel-reduction", "sum", "abs", "false"));
        Tensor signed = attribute(new Saliency(), image, in, classes(0, 1), Map.of("abs", "false"));
        assertThat(max.shape()).containsExactly(2, 1, 5, 5);
        assertThat(sum.shape()).containsExactly(2, 1, 5, 5);
        for (int n = 0; n < 2; n++) {
            for (int h = 0; h < 5; h++) {
                for (int w = 0; w < 5; w++) {
                    float m = Float.NEGATIVE_INFINITY;
                    double s = 0;
                    for (int c = 0; c < 3; c++) {
                        m = Math.max(m, full.at(n, c, h, w));
                        s += signed.at(n, c, h, w);
                    }
                    assertThat(max.at(n, 0, h, w)).isEqualTo(m);
                    assertThat((double) sum.at(n, 0, h, w)).isCloseTo(s, within(1e-5));
                }
            }
        }
    }

    @Test
    void channelsLastImagesReduceTheLastAxis() {
        QuadraticModel image = QuadraticModel.random(3, 1, 6, 6, 3);
        Tensor in = TestTensors.random(5, 1, 6, 6, 3);
        Tensor full = attribute(new Saliency(), image, in, classes(0), Map.of());
        Tensor max = attribute(new Saliency(), image, in, classes(0), Map.of("channel-reduction", "max"));
        assertThat(max.shape()).containsExactly(1, 6, 6, 1);
        assertThat(max.at(0, 2, 4, 0)).isEqualTo(Math.max(full.at(0, 2, 4, 0), Math.max(full.at(0, 2, 4, 1),
                full.at(0, 2, 4, 2))));
    }

    @Test
    void channelReductionOfFlatFeaturesIsRejected() {
        QuadraticModel flat = QuadraticModel.random(3, 1, 6);
        assertThatThrownBy(() -> attribute(new Saliency(), flat, TestTensors.random(1, 2, 6), classes(0, 0),
                Map.of("channel-reduction", "max")))
                .isInstanceOfSatisfying(XaiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContaining("channel-reduction").hasMessageContaining("[6]");
        assertThat(flat.engineBatches()).isEmpty();
    }

    @Test
    void batchSizeDoesNotChangeResultsAndBatchesAreFull() {
        Tensor reference = attribute(new InputXGradient(), model, x, classes(0, 1, 2, 0), Map.of());
        for (int batch = 1; batch <= 3; batch++) {
            model.clearCalls();
            Tensor attr = Fixtures.run(new InputXGradient(), model, batch, 0, x, classes(0, 1, 2, 0), Map.of())
                    .tensors().get("x");
            assertThat(maxDiff(attr, reference)).isZero();
            assertThat(model.engineBatches()).hasSize((4 + batch - 1) / batch);
        }
    }

    @Test
    void inputIsNotModified() {
        Tensor copy = x.copy();
        attribute(new Saliency(), model, x, classes(0, 1, 2, 0), Map.of());
        attribute(new InputXGradient(), model, x, classes(0, 1, 2, 0), Map.of());
        assertThat(x).isEqualTo(copy);
    }
}
