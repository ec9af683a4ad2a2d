package io.xai4j.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionsTest {

    @Test
    void logitsGoThroughSoftmax() {
        Tensor row = Tensor.of(new float[] {1f, 3f, 2f}, 3);
        List<Prediction> top = Predictions.top(row, 2, List.of("a", "b"));
        double z = Math.exp(1) + Math.exp(3) + Math.exp(2);
        assertThat(top).extracting(Prediction::index).containsExactly(1, 2);
        assertThat(top).extracting(Prediction::label).containsExactly("b", "class 2");
        assertThat(top.get(0).probability()).isCloseTo(Math.exp(3) / z, within(1e-12));
        assertThat(top.get(1).probability()).isCloseTo(Math.exp(2) / z, within(1e-12));
        assertThat(top.get(0).score()).isEqualTo(3.0);
    }

    @Test
    void probabilitiesAreUsedAsTheyAre() {
        Tensor row = Tensor.of(new float[] {0.2f, 0.5f, 0.3f}, 3);
        assertThat(Predictions.looksLikeProbabilities(row)).isTrue();
        List<Prediction> top = Predictions.top(row, 5, List.of());
        assertThat(top).extracting(Prediction::index).containsExactly(1, 2, 0);
        assertThat(top.get(0).probability()).isCloseTo(0.5, within(1e-7));
    }

    @Test
    void aSingleScoreIsItsOwnProbabilityOrItsSigmoid() {
        assertThat(Predictions.top(Tensor.of(new float[] {0.25f}, 1), 1, List.of()).get(0).probability())
                .isCloseTo(0.25, within(1e-7));
        assertThat(Predictions.top(Tensor.of(new float[] {2f}, 1), 1, List.of()).get(0).probability())
                .isCloseTo(1 / (1 + Math.exp(-2)), within(1e-12));
        assertThat(Predictions.top(Tensor.of(new float[] {-3f}, 1), 1, List.of()).get(0).probability())
                .isCloseTo(1 / (1 + Math.exp(3)), within(1e-12));
    }

    @Test
    void rowsThatDoNotSumToOneAreNotProbabilities() {
        assertThat(Predictions.looksLikeProbabilities(Tensor.of(new float[] {0.2f, 0.5f, 0.2f}, 3))).isFalse();
        assertThat(Predictions.looksLikeProbabilities(Tensor.of(new float[] {1.5f, -0.5f}, 2))).isFalse();
        double[] p = Predictions.probabilities(Tensor.of(new float[] {1000f, 1000f}, 2));
        assertThat(p).containsExactly(0.5, 0.5);
    }

    @Test
    void worksOnARowView() {
        Tensor batch = Tensor.of(new float[] {9f, 0f, 0f, 1f}, 2, 2);
        assertThat(Predictions.top(batch.row(1), 1, List.of()).get(0).index()).isEqualTo(1);
    }

    @Test
    void rowsOfHigherRankGetProbabilitiesPerPositionAndElementLabels() {
        Tensor row = Tensor.of(new float[] {0, 0, 5, 0}, 2, 2);
        List<Prediction> top = Predictions.top(row, 2, List.of("a", "b"));
        assertThat(top.get(0).label()).isEqualTo("[1,0] (a)");
        assertThat(top.get(0).probability()).isCloseTo(1 / (1 + Math.exp(-5)), within(1e-9));
        assertThat(top.get(1).label()).isEqualTo("[1,1] (b)");
        assertThat(top.get(1).probability()).isCloseTo(1 / (1 + Math.exp(5)), within(1e-9));
    }

    @Test
    void sequencesListTheirLastStepInOrderOfProbability() {
        // Step 0 has the largest raw value; only the last step is listed, best first.
        Tensor row = Tensor.of(new float[] {9, 0, 0, 1, 2, 1}, 3, 2);
        List<Prediction> top = Predictions.top(row, 5, List.of());
        assertThat(top).extracting(Prediction::label).containsExactly("[2,0]", "[2,1]");
        assertThat(top.get(0).probability()).isGreaterThan(top.get(1).probability());
    }
}
