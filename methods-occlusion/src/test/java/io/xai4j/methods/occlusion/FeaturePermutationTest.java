package io.xai4j.methods.occlusion;

import static io.xai4j.methods.occlusion.Fixtures.classes;
import static io.xai4j.testing.TestTensors.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.ErrorType;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.models.QuadraticModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeaturePermutationTest {
    private final FeaturePermutation permutation = new FeaturePermutation();

    /**
     * On a linear model a group's attribution in example i is {@code sum_e w_e (x_ie - x_je)} for the example j it
     * took the group from; a permutation is a bijection, so with one class the attributions sum to 0 over examples.
     */
    @Test
    void eachGroupTakesItsValuesFromAnotherExampleOfTheBatch() {
        QuadraticModel model = QuadraticModel.randomLinear(1, 3, 2, 4);
        Tensor x = random(2, 4, 2, 4);

        Tensor a = Fixtures.attribute(permutation, model, x, classes(1, 1, 1, 1), Map.of("grid", "2,1"));

        int moved = 0;
        for (int g = 0; g < 4; g++) {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double value = a.row(i).get(g);
                sum += value;
                assertThat(a.row(i).get(g + 4)).as("both rows of the column group").isEqualTo(a.row(i).get(g));
                boolean explained = false;
                for (int j = 0; j < 4; j++) {
                    double drop = 0;
                    for (int e : new int[] {g, g + 4}) {
                        drop += model.linearWeight(1, e) * (x.row(i).get(e) - x.row(j).get(e));
                    }
                    explained |= Math.abs(drop - value) < 1e-5;
                }
                assertThat(explained).as("example %d group %d", i, g).isTrue();
                moved += Math.abs(value) > 1e-6 ? 1 : 0;
            }
            assertThat(sum).as("group %d over the batch", g).isCloseTo(0, within(1e-5));
        }
        assertThat(moved).isPositive();
    }

    @Test
    void refusesOneExampleWithAUsageError() {
        QuadraticModel model = QuadraticModel.randomLinear(3, 2, 6);

        assertThatThrownBy(() -> Fixtures.attribute(permutation, model, random(4, 1, 6), classes(0), Map.of()))
                .isInstanceOfSatisfying(XaiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.code().type()).isEqualTo(ErrorType.USAGE);
                })
                .hasMessageContainingAll("needs at least 2 examples, got 1", "feature-ablation");
        assertThat(model.forwardBatches()).isEmpty();
    }
}
