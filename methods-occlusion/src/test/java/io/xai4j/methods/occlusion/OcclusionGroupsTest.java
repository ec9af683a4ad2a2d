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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Occlusion over the shared feature groups: each group occluded once, so the result is feature ablation's. */
class OcclusionGroupsTest {
    private final Occlusion occlusion = new Occlusion();
    private final FeatureAblation ablation = new FeatureAblation();

    @TempDir
    Path dir;

    private String writeMask(float[] ids, int... shape) {
        Path file = dir.resolve("mask.npy");
        Npy.write(file, Tensor.of(ids, shape));
        return file.toString();
    }

    @Test
    void withAMaskItEqualsTheClosedFormOnALinearModel() {
        QuadraticModel model = QuadraticModel.randomLinear(31, 3, 2, 3, 4);
        Tensor x = random(32, 1, 2, 3, 4);
        float[] ids = {4, 4, 1, 1, 4, 4, 1, 1, 0, 0, 0, 9};

        Attribution result = Fixtures.run(occlusion, model, 64, 0, x, classes(2),
                Map.of("mask", writeMask(ids, 3, 4), "baseline", "0.25"));

        Tensor a = result.tensors().get("x");
        for (int e = 0; e < x.size(); e++) {
            double drop = 0;
            for (int f = 0; f < x.size(); f++) {
                if (ids[f % 12] == ids[e % 12]) {
                    drop += model.linearWeight(2, f) * (x.get(f) - 0.25);
                }
            }
            assertThat(a.get(e)).as("element %d", e).isCloseTo((float) drop, within(1e-5f));
        }
        assertThat(result.details()).containsEntry("groups", 4).containsEntry("modelEvaluations", 5L)
                .doesNotContainKey("windowsPerExample");
    }

    @Test
    void everyGroupSourceGivesFeatureAblationsResultOnANonlinearModel() {
        QuadraticModel image = QuadraticModel.random(33, 2, 3, 8, 8);
        Tensor images = random(34, 2, 3, 8, 8);
        float[] ids = new float[64];
        for (int e = 0; e < ids.length; e++) {
            ids[e] = (e / 8) / 3 * 3 + (e % 8) / 5;
        }
        String mask = writeMask(ids, 8, 8);
        assertSame(image, images, Map.of("mask", mask), Map.of("mask", mask));
        assertSame(image, images, Map.of("grid", "3,3"), Map.of("grid", "3,3"));
        assertSame(image, images, Map.of("superpixels", "slic", "segments", "4"),
                Map.of("superpixels", "slic", "segments", "4"));
        assertSame(image, images, Map.of("superpixels", "felzenszwalb", "segments", "6"),
                Map.of("superpixels", "felzenszwalb", "segments", "6"));
        QuadraticModel sequence = QuadraticModel.random(35, 2, 7, 3);
        assertSame(sequence, random(36, 2, 7, 3), Map.of("time-window", "3"), Map.of("window", "3"));
        QuadraticModel tokens = QuadraticModel.random(37, 2, 5);
        assertSame(tokens, random(38, 2, 5), Map.of("grid", "1"), Map.of());
    }

    private void assertSame(QuadraticModel model, Tensor x, Map<String, String> occlusionGroups,
            Map<String, String> ablationGroups) {
        Attribution occluded = Fixtures.run(occlusion, model, 64, 0, x, classes(1, 0), occlusionGroups);
        Tensor ablated = attribute(ablation, model, x, classes(1, 0), ablationGroups);
        assertThat(occluded.tensors().get("x").toArray()).as("%s", occlusionGroups)
                .containsExactly(ablated.toArray());
        assertThat(occluded.details()).containsKey("groupsFrom");
    }

    @Test
    void refusesASlidingWindowWithGroupsAndSeveralGroupSources() {
        QuadraticModel model = QuadraticModel.randomLinear(39, 2, 3, 8, 8);
        Tensor x = random(40, 1, 3, 8, 8);

        assertInvalid(model, x, Map.of("grid", "4,4", "window", "2,2", "stride", "2,2"),
                "window and stride set the sliding window, which feature groups (grid) replace");
        assertInvalid(model, x, Map.of("grid", "4,4", "time-window", "2"),
                "give one of mask, grid, time-window, superpixels to make feature groups, not grid and time-window");
        assertInvalid(model, x, Map.of("segments", "8"), "give it with superpixels=slic");
    }

    private void assertInvalid(QuadraticModel model, Tensor x, Map<String, String> parameters, String message) {
        assertThatThrownBy(() -> attribute(occlusion, model, x, classes(0), parameters))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContaining(message);
    }
}
