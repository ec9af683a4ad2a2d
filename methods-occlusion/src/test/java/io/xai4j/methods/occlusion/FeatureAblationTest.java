package io.xai4j.methods.occlusion;

import static io.xai4j.methods.occlusion.Fixtures.attribute;
import static io.xai4j.methods.occlusion.Fixtures.classes;
import static io.xai4j.testing.TestTensors.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.Npy;
import io.xai4j.spi.Attribution;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.models.QuadraticModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureAblationTest {
    private final FeatureAblation ablation = new FeatureAblation();

    @TempDir
    Path dir;

    /** Closed form on the linear model: every element gets sum over its group of w (x - b). */
    private static void assertGroupDrops(Tensor actual, QuadraticModel model, int k, Tensor example, float baseline,
            IntUnaryOperator groupOf) {
        int size = example.size();
        for (int e = 0; e < size; e++) {
            double drop = 0;
            for (int f = 0; f < size; f++) {
                if (groupOf.applyAsInt(f) == groupOf.applyAsInt(e)) {
                    drop += model.linearWeight(k, f) * (example.get(f) - baseline);
                }
            }
            assertThat(actual.get(e)).as("element %d", e).isCloseTo((float) drop, within(1e-5f));
        }
    }

    private String writeMask(float[] ids, int... shape) {
        Path file = dir.resolve("mask.npy");
        Npy.write(file, Tensor.of(ids, shape));
        return file.toString();
    }

    @Test
    void ablatesTheGroupsOfAUserMaskRepeatedOverChannels() {
        QuadraticModel model = QuadraticModel.randomLinear(1, 3, 2, 3, 4);
        Tensor x = random(2, 1, 2, 3, 4);
        float[] ids = {7, 7, 3, 3, 7, 7, 3, 3, -1, -1, -1, 5};
        String mask = writeMask(ids, 3, 4);

        Attribution result = Fixtures.run(ablation, model, 64, 0, x, classes(2), Map.of("mask", mask, "baseline", "0.5"));

        assertGroupDrops(result.tensors().get("x"), model, 2, x.row(0), 0.5f, e -> (int) ids[e % 12]);
        assertThat(result.details()).containsEntry("groups", 4).containsEntry("modelEvaluations", 5L);
    }

    @Test
    void acceptsAMaskShapedLikeTheWholeExample() {
        QuadraticModel model = QuadraticModel.randomLinear(3, 2, 2, 2);
        Tensor x = random(4, 1, 2, 2);
        float[] ids = {0, 1, 1, 0};

        Tensor a = attribute(ablation, model, x, classes(1), Map.of("mask", writeMask(ids, 1, 2, 2)));

        assertGroupDrops(a, model, 1, x.row(0), 0f, e -> (int) ids[e]);
    }

    @Test
    void ablatesGridCellsOverTheLastAxes() {
        QuadraticModel model = QuadraticModel.randomLinear(5, 2, 2, 5, 4);
        Tensor x = random(6, 1, 2, 5, 4);

        Attribution result = Fixtures.run(ablation, model, 64, 0, x, classes(0), Map.of("grid", "2,2"));

        // cells of 2 x 2 pixels across both channels; the last row of cells is 1 pixel high
        assertGroupDrops(result.tensors().get("x"), model, 0, x.row(0), 0f, e -> {
            int[] index = OcclusionTest.unflatten(e, new int[] {2, 5, 4});
            return index[1] / 2 * 2 + index[2] / 2;
        });
        assertThat(result.details()).containsEntry("groups", 6).containsEntry("groupsFrom", "grid [2, 2, 2]");
    }

    @Test
    void ablatesEachFeatureOfAVectorByDefault() {
        QuadraticModel model = QuadraticModel.randomLinear(7, 2, 6);
        Tensor x = random(8, 1, 6);

        Tensor a = attribute(ablation, model, x, classes(1), Map.of("baseline", "mean"));

        double mean = 0;
        for (int e = 0; e < 6; e++) {
            mean += x.get(e) / 6.0;
        }
        for (int e = 0; e < 6; e++) {
            assertThat(a.get(e)).isCloseTo((float) (model.linearWeight(1, e) * (x.get(e) - mean)), within(1e-5f));
        }
    }

    @Test
    void batchesGroupsIntoFewModelCalls() {
        QuadraticModel model = QuadraticModel.randomLinear(9, 2, 4, 4);

        Fixtures.run(ablation, model, 3, 0, random(10, 1, 4, 4), classes(0), Map.of("grid", "2,1"));

        // 8 groups: one unperturbed call and ceil(8 / 3) batched calls
        assertThat(model.forwardBatches()).containsExactly(1, 3, 3, 2);
    }

    @Test
    void rejectsBadMasksAndGrids() {
        QuadraticModel model = QuadraticModel.randomLinear(11, 2, 2, 3, 4);
        Tensor x = random(12, 1, 2, 3, 4);

        assertInvalid(model, x, Map.of("mask", writeMask(new float[12], 4, 3)), "has shape [4, 3]",
                "expected the example's shape [2, 3, 4] or its last axes (e.g. [3, 4]");
        assertInvalid(model, x, Map.of("mask", writeMask(new float[48], 2, 2, 3, 4)), "has shape [2, 2, 3, 4]");
        assertInvalid(model, x, Map.of("mask", writeMask(new float[] {0, 1, 1}, 3)), "has shape [3]");
        float[] fractional = new float[12];
        fractional[5] = 0.5f;
        assertInvalid(model, x, Map.of("mask", writeMask(fractional, 3, 4)), "whole-number group ids",
                "element 5 is 0.5");
        assertInvalid(model, x, Map.of("mask", writeMask(new float[12], 3, 4), "grid", "2,2"), "give one of mask, grid, window", "not mask and grid");
        assertInvalid(model, x, Map.of("grid", "0,2"), "grid");
        assertInvalid(model, x, Map.of("grid", "1,1,1,1"), "has 4 numbers");
    }

    private void assertInvalid(QuadraticModel model, Tensor x, Map<String, String> parameters, String... messages) {
        assertThatThrownBy(() -> attribute(ablation, model, x, classes(0), parameters))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContainingAll(messages);
    }
}
