package io.xai4j.methods.gradient;

import static io.xai4j.methods.gradient.Fixtures.attribute;
import static io.xai4j.methods.gradient.Fixtures.classes;
import static io.xai4j.testing.TestTensors.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.Npy;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import io.xai4j.testing.models.QuadraticModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientShapTest {
    private final QuadraticModel linear = QuadraticModel.randomLinear(3, 2, 5);
    private final Tensor x = TestTensors.random(2, 3, 5);

    @Test
    void aSingleBaselineWithoutNoiseGivesTheExactLinearAttribution() {
        Tensor attr = attribute(new GradientShap(), linear, x, classes(1, 0, 1),
                Map.of("baseline", "0.3", "samples", "7"));
        for (int n = 0; n < 3; n++) {
            int k = n == 1 ? 0 : 1;
            for (int j = 0; j < 5; j++) {
                assertThat((double) attr.at(n, j))
                        .isCloseTo((x.at(n, j) - 0.3) * linear.linearWeight(k, j), within(1e-5));
            }
        }
        assertThat(linear.engineBatches().stream().mapToInt(Integer::intValue).sum()).isEqualTo(21);
    }

    @Test
    void aBaselineDistributionAveragesToTheMeanBaselineOnALinearModel(@TempDir Path dir) {
        Tensor baselines = TestTensors.random(11, 4, 5);
        Path file = dir.resolve("baselines.npy");
        Npy.write(file, baselines);
        Tensor attr = attribute(new GradientShap(), linear, x, classes(0, 0, 0),
                Map.of("baseline-distribution", file.toString(), "samples", "4000"));
        for (int n = 0; n < 3; n++) {
            for (int j = 0; j < 5; j++) {
                double mean = (baselines.at(0, j) + baselines.at(1, j) + baselines.at(2, j) + baselines.at(3, j)) / 4;
                assertThat((double) attr.at(n, j))
                        .isCloseTo((x.at(n, j) - mean) * linear.linearWeight(0, j), within(0.03));
            }
        }
    }

    @Test
    void resultsAreDeterministicPerSeedAndIndependentOfBatching() {
        QuadraticModel model = QuadraticModel.random(4, 2, 5);
        Map<String, String> params = Map.of("stdevs", "0.2", "samples", "9");
        Tensor first = Fixtures.run(new GradientShap(), model, 64, 42, x, classes(0, 1, 0), params).tensors().get("x");
        for (int batch = 1; batch <= 3; batch++) {
            Tensor again = Fixtures.run(new GradientShap(), model, batch, 42, x, classes(0, 1, 0), params)
                    .tensors().get("x");
            assertThat(maxDiff(first, again)).isZero();
        }
        Tensor other = Fixtures.run(new GradientShap(), model, 64, 43, x, classes(0, 1, 0), params).tensors().get("x");
        assertThat(maxDiff(first, other)).isGreaterThan(1e-4);
    }

    @Test
    void aDistributionOfTheWrongShapeIsRejected(@TempDir Path dir) {
        Path file = dir.resolve("wrong.npy");
        Npy.write(file, TestTensors.random(1, 2, 4));
        assertThatThrownBy(() -> attribute(new GradientShap(), linear, x, classes(0, 0, 0),
                Map.of("baseline-distribution", file.toString())))
                .isInstanceOfSatisfying(XaiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessageContaining("[2, 4]").hasMessageContaining("[5]");
    }

    @Test
    void badParametersAreRejected() {
        for (Map<String, String> bad : List.of(Map.of("samples", "0"), Map.of("stdevs", "-0.1"))) {
            assertThatThrownBy(() -> attribute(new GradientShap(), linear, x, classes(0, 0, 0), bad))
                    .isInstanceOfSatisfying(XaiException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
        }
    }
}
