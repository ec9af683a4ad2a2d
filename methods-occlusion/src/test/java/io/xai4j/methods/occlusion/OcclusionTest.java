package io.xai4j.methods.occlusion;

import static io.xai4j.methods.occlusion.Fixtures.attribute;
import static io.xai4j.methods.occlusion.Fixtures.classes;
import static io.xai4j.testing.TestTensors.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.perturbation.Regions;
import io.xai4j.spi.Attribution;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.models.QuadraticModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OcclusionTest {
    private final Occlusion occlusion = new Occlusion();

    /**
     * The slow reference: for every window (the product of per-axis starts), the score drop is
     * sum_box w (x - b); each element averages the drops of the windows covering it.
     */
    static float[] reference(QuadraticModel model, int k, Tensor example, float baseline, int[] window,
            int[][] starts) {
        int[] shape = example.shape();
        int size = example.size();
        double[] sum = new double[size];
        int[] count = new int[size];
        int windows = 1;
        for (int[] s : starts) {
            windows *= s.length;
        }
        for (int win = 0; win < windows; win++) {
            int[] start = new int[shape.length];
            int rest = win;
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                start[axis] = starts[axis][rest % starts[axis].length];
                rest /= starts[axis].length;
            }
            boolean[] inside = new boolean[size];
            double drop = 0;
            for (int e = 0; e < size; e++) {
                int[] index = unflatten(e, shape);
                boolean in = true;
                for (int axis = 0; axis < shape.length; axis++) {
                    in &= index[axis] >= start[axis] && index[axis] < start[axis] + window[axis];
                }
                inside[e] = in;
                if (in) {
                    drop += model.linearWeight(k, e) * (example.get(e) - baseline);
                }
            }
            for (int e = 0; e < size; e++) {
                if (inside[e]) {
                    sum[e] += drop;
                    count[e]++;
                }
            }
        }
        float[] out = new float[size];
        for (int e = 0; e < size; e++) {
            assertThat(count[e]).as("element %d is covered", e).isPositive();
            out[e] = (float) (sum[e] / count[e]);
        }
        return out;
    }

    static int[] unflatten(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }

    @Test
    void singleElementWindowsGiveWeightTimesDifferenceFromBaseline() {
        QuadraticModel model = QuadraticModel.randomLinear(1, 3, 2, 3, 4);
        Tensor x = random(2, 1, 2, 3, 4);

        Tensor a = attribute(occlusion, model, x, classes(2), Map.of("window", "1,1,1", "stride", "1,1,1", "baseline", "0.5"));

        assertThat(a.shape()).containsExactly(1, 2, 3, 4);
        for (int e = 0; e < 24; e++) {
            assertThat(a.get(e)).as("element %d", e)
                    .isCloseTo((float) (model.linearWeight(2, e) * (x.get(e) - 0.5f)), within(1e-5f));
        }
    }

    @Test
    void overlappingWindowsAverageTheDropsOfTheWindowsCoveringEachElement() {
        QuadraticModel model = QuadraticModel.randomLinear(3, 2, 2, 5, 6);
        Tensor x = random(4, 1, 2, 5, 6);

        Attribution result = Fixtures.run(occlusion, model, 64, 0, x, classes(1),
                Map.of("window", "2,3", "stride", "2,2"));

        // axis 1: starts 0, 2 and 4 (cut to one row); axis 2: 0, 2 and 4 (cut to two columns)
        assertMatches(result, reference(model, 1, x.row(0), 0f, new int[] {2, 2, 3},
                new int[][] {{0}, {0, 2, 4}, {0, 2, 4}}));
        assertThat(result.details()).containsEntry("window", "[2, 2, 3]").containsEntry("stride", "[2, 2, 2]")
                .containsEntry("border", "truncate").containsEntry("windowsPerExample", 9);
    }

    @Test
    void shiftedBorderWindowsEndAtTheEndOfTheAxis() {
        QuadraticModel model = QuadraticModel.randomLinear(3, 2, 2, 5, 6);
        Tensor x = random(4, 1, 2, 5, 6);

        Attribution result = Fixtures.run(occlusion, model, 64, 0, x, classes(1),
                Map.of("window", "2,3", "stride", "2,2", "border", "shift"));

        // axis 1: starts 0, 2 and 3 aligned to the end; axis 2: 0, 2 and the end-aligned 3
        assertMatches(result, reference(model, 1, x.row(0), 0f, new int[] {2, 2, 3},
                new int[][] {{0}, {0, 2, 3}, {0, 2, 3}}));
        assertThat(result.details()).containsEntry("border", "shift").containsEntry("windowsPerExample", 9);
    }

    /**
     * Captum's {@code test_simple_input_shape_with_stride}: window 2 and stride 2 over three features of
     * BasicModel_MultiLayer, whose target 0 is linear with weight 4 per feature when all hidden units are active.
     * Captum's windows are [0, 2) and [2, 3): [280, 280, 120]; shifted, [1, 3) gives [280, 300, 320].
     */
    @Test
    void followsCaptumAtTheBorderByDefaultAndShiftsOnRequest() {
        QuadraticModel model = QuadraticModel.of(new double[][] {{4, 4, 4}}, new double[1][3], new double[1], 3);
        Tensor x = Tensor.of(new float[] {20, 50, 30}, 1, 3);

        Tensor truncated = attribute(occlusion, model, x, classes(0), Map.of("window", "2", "stride", "2"));
        Tensor shifted = attribute(occlusion, model, x, classes(0),
                Map.of("window", "2", "stride", "2", "border", "shift"));

        assertThat(truncated.toArray()).containsExactly(280f, 280f, 120f);
        assertThat(shifted.toArray()).containsExactly(280f, 300f, 320f);
    }

    private static void assertMatches(Attribution result, float[] expected) {
        float[] actual = result.tensors().get("x").toArray();
        for (int e = 0; e < expected.length; e++) {
            assertThat(actual[e]).as("element %d", e).isCloseTo(expected[e], within(1e-5f));
        }
    }

    @Test
    void windowStartsFollowTheStrideAndCutOrShiftTheLastWindow() {
        assertThat(Regions.starts(6, 3, 2, true)).containsExactly(0, 2, 4);
        assertThat(Regions.starts(6, 3, 2, false)).containsExactly(0, 2, 3);
        assertThat(Regions.starts(6, 3, 3, true)).containsExactly(0, 3);
        assertThat(Regions.starts(6, 3, 3, false)).containsExactly(0, 3);
        assertThat(Regions.starts(7, 3, 3, true)).containsExactly(0, 3, 6);
        assertThat(Regions.starts(7, 3, 3, false)).containsExactly(0, 3, 4);
        assertThat(Regions.starts(3, 2, 2, true)).containsExactly(0, 2);
        assertThat(Regions.starts(5, 5, 1, true)).containsExactly(0);
        assertThat(Regions.clip(new int[] {3, 7}, new int[] {2, 6}, new int[] {2, 3})).containsExactly(1, 1);
    }

    @Test
    void fewerWindowSizesThanAxesCoverTheLeadingAxesWhole() {
        QuadraticModel model = QuadraticModel.randomLinear(5, 2, 3, 4, 4);
        Tensor x = random(6, 1, 3, 4, 4);

        Attribution result = Fixtures.run(occlusion, model, 64, 0, x, classes(0), Map.of("window", "2,2"));

        float[] expected = reference(model, 0, x.row(0), 0f, new int[] {3, 2, 2},
                new int[][] {{0}, {0, 1, 2}, {0, 1, 2}});
        float[] actual = result.tensors().get("x").toArray();
        for (int e = 0; e < expected.length; e++) {
            assertThat(actual[e]).as("element %d", e).isCloseTo(expected[e], within(1e-5f));
        }
        assertThat(result.details()).containsEntry("stride", "[3, 1, 1]").containsEntry("windowsPerExample", 9);
    }

    @Test
    void slidesAWindowOverTheTimeStepsOfASequence() {
        QuadraticModel model = QuadraticModel.randomLinear(7, 4, 10, 3);
        Tensor x = random(8, 1, 10, 3);

        Attribution result = Fixtures.run(occlusion, model, 64, 0, x, classes(3),
                Map.of("window", "4,3", "stride", "2,3"));

        float[] expected = reference(model, 3, x.row(0), 0f, new int[] {4, 3}, new int[][] {{0, 2, 4, 6}, {0}});
        float[] actual = result.tensors().get("x").toArray();
        for (int e = 0; e < expected.length; e++) {
            assertThat(actual[e]).as("element %d", e).isCloseTo(expected[e], within(1e-5f));
        }
        assertThat(result.details()).containsEntry("windowsPerExample", 4);
    }

    @Test
    void clampsWindowsLargerThanTheAxis() {
        QuadraticModel model = QuadraticModel.randomLinear(9, 2, 4, 3);
        Tensor x = random(10, 1, 4, 3);

        Attribution result = Fixtures.run(occlusion, model, 64, 0, x, classes(0), Map.of("window", "2,100"));

        assertThat(result.details()).containsEntry("window", "[2, 3]").containsEntry("windowsPerExample", 3);
    }

    @Test
    void defaultWindowIsAnEighthOfEachSpatialAxisAndCoversAllChannels() {
        QuadraticModel model = QuadraticModel.randomLinear(11, 2, 3, 16, 16);
        Tensor x = random(12, 1, 3, 16, 16);

        Attribution result = Fixtures.run(occlusion, model, 64, 0, x, classes(0), Map.of());

        assertThat(result.details()).containsEntry("window", "[3, 2, 2]").containsEntry("stride", "[3, 1, 1]")
                .containsEntry("windowsPerExample", 15 * 15);
    }

    @Test
    void batchesWindowsIntoFewModelCalls() {
        QuadraticModel model = QuadraticModel.randomLinear(13, 2, 6, 6);
        Tensor x = random(14, 2, 6, 6);

        Attribution result = Fixtures.run(occlusion, model, 4, 0, x, classes(0, 1),
                Map.of("window", "2,2", "stride", "2,2"));

        // 9 windows per example: ceil(9 / 4) batched calls plus one unperturbed call, for each of 2 examples
        assertThat(model.forwardBatches()).hasSize(2 * (3 + 1));
        assertThat(model.forwardBatches()).containsExactly(1, 4, 4, 1, 1, 4, 4, 1);
        assertThat(result.details()).containsEntry("forwardCalls", 8L).containsEntry("modelEvaluations", 20L);
    }

    @Test
    void doesNotModifyTheInput() {
        Tensor x = random(15, 1, 4, 4);
        Tensor before = x.copy();

        attribute(occlusion, QuadraticModel.randomLinear(16, 2, 4, 4), x, classes(1),
                Map.of("window", "2,2", "baseline", "3"));

        assertThat(x).isEqualTo(before);
    }

    @Test
    void rejectsBadWindowsAndStrides() {
        QuadraticModel model = QuadraticModel.randomLinear(17, 2, 3, 8, 8);
        Tensor x = random(18, 1, 3, 8, 8);

        assertInvalid(model, x, Map.of("window", "0,4"), "window");
        assertInvalid(model, x, Map.of("window", "1,2,2,2"), "has 4 numbers");
        assertInvalid(model, x, Map.of("window", "2,2", "stride", "3,1"), "stride [3, 3, 1] exceeds window [3, 2, 2]");
        assertInvalid(model, x, Map.of("stride", "-1"), "stride");
    }

    private void assertInvalid(QuadraticModel model, Tensor x, Map<String, String> parameters, String message) {
        assertThatThrownBy(() -> attribute(occlusion, model, x, classes(0), parameters))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContaining(message);
    }
}
