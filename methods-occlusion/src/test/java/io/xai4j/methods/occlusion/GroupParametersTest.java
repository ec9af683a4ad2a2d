package io.xai4j.methods.occlusion;

import static io.xai4j.methods.occlusion.Fixtures.classes;
import static io.xai4j.testing.TestTensors.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.perturbation.FeatureGroups;
import io.xai4j.family.perturbation.GroupParameters;
import io.xai4j.io.Npy;
import io.xai4j.spi.Parameters;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.models.QuadraticModel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupParametersTest {

    private static FeatureGroups groups(Map<String, ?> parameters, int... shape) {
        Parameters p = Parameters.parse(new KernelShap().descriptor(), parameters);
        return GroupParameters.resolve(p, shape, IllegalArgumentException::new).of(Tensor.zeros(shape));
    }

    @Test
    void timeWindowsGroupStepsWithAllTheirFeatures() {
        FeatureGroups g = groups(Map.of("window", "3"), 7, 2);

        assertThat(g.groupOf()).containsExactly(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2);
    }

    @Test
    void eachTokenOfASequenceOfIdsIsAGroupByDefault() {
        assertThat(groups(Map.of(), 6).groupOf()).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void aMaskBroadcastsOverAxesOfSizeOne() {
        Tensor columns = Tensor.of(new float[] {4, 4, 9, 2}, 1, 4);

        FeatureGroups g = groups(Map.of("mask", columns), 2, 3, 4);

        assertThat(g.ids()).containsExactly(2, 4, 9);
        for (int e = 0; e < 24; e++) {
            assertThat(g.ids()[g.groupOf()[e]]).isEqualTo((long) columns.get(e % 4));
        }
    }

    @Test
    void aMaskThatDoesNotBroadcastIsAUsageErrorNamingBothShapes(@TempDir Path dir) {
        QuadraticModel model = QuadraticModel.random(1, 2, 2, 3, 4);
        Path mask = dir.resolve("mask.npy");
        Npy.write(mask, Tensor.zeros(2, 3));

        assertThatThrownBy(() -> Fixtures.attribute(new KernelShap(), model, random(2, 1, 2, 3, 4), classes(0),
                Map.of("mask", mask.toString())))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContainingAll("has shape [2, 3]", "does not broadcast to the example's shape [2, 3, 4]");
        assertThat(model.forwardBatches()).isEmpty();
    }
}
