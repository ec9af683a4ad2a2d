package io.xai4j.methods.occlusion;

import static io.xai4j.methods.occlusion.Fixtures.classes;
import static io.xai4j.testing.TestTensors.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.perturbation.FeatureGroups;
import io.xai4j.family.perturbation.GroupParameters;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.Parameters;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.models.QuadraticModel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Superpixels on images of flat coloured regions, which every segmentation must follow. */
class SuperpixelsTest {
    private static final int SIZE = 24;
    private static final float[][] COLOURS = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}};

    /** A disc, a band along the bottom, and the rest split into left and right. */
    private static int region(int y, int x) {
        if ((y - 8) * (y - 8) + (x - 8) * (x - 8) <= 25) {
            return 0;
        }
        return y >= 16 ? 1 : x < 12 ? 2 : 3;
    }

    /** The image [3,24,24] (or [24,24,3]), normalised as ImageNet preprocessing would. */
    private static Tensor image(boolean channelsLast) {
        Tensor t = channelsLast ? Tensor.zeros(SIZE, SIZE, 3) : Tensor.zeros(3, SIZE, SIZE);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                for (int c = 0; c < 3; c++) {
                    float v = (COLOURS[region(y, x)][c] - 0.45f) / 0.225f;
                    t.set(channelsLast ? t.flatIndex(y, x, c) : t.flatIndex(c, y, x), v);
                }
            }
        }
        return t;
    }

    private static FeatureGroups groups(String algorithm, int segments, Tensor example) {
        Parameters p = Parameters.parse(new KernelShap().descriptor(),
                Map.of("superpixels", algorithm, "segments", Integer.toString(segments)));
        return GroupParameters.resolve(p, example.shape(), IllegalArgumentException::new).of(example);
    }

    /** The pixel label of each element's group, checked to be the same across channels. */
    private static int[] pixelGroups(FeatureGroups groups, Tensor example, boolean channelsLast) {
        int[] labels = new int[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                Set<Integer> seen = new HashSet<>();
                for (int c = 0; c < 3; c++) {
                    seen.add(groups.groupOf()[channelsLast ? example.flatIndex(y, x, c) : example.flatIndex(c, y, x)]);
                }
                assertThat(seen).as("channels of pixel (%d, %d)", y, x).hasSize(1);
                labels[y * SIZE + x] = seen.iterator().next();
            }
        }
        return labels;
    }

    /** For each segment, the regions its pixels fall in. */
    private static Map<Integer, Set<Integer>> regionsOfSegments(int[] labels) {
        Map<Integer, Set<Integer>> regions = new HashMap<>();
        for (int p = 0; p < labels.length; p++) {
            regions.computeIfAbsent(labels[p], s -> new HashSet<>()).add(region(p / SIZE, p % SIZE));
        }
        return regions;
    }

    @Test
    void felzenszwalbFindsExactlyTheFlatRegions() {
        for (boolean channelsLast : new boolean[] {false, true}) {
            Tensor image = image(channelsLast);

            int[] labels = pixelGroups(groups("felzenszwalb", 4, image), image, channelsLast);

            Map<Integer, Set<Integer>> regions = regionsOfSegments(labels);
            assertThat(regions).as("channels last: %s", channelsLast).hasSize(4)
                    .allSatisfy((segment, inside) -> assertThat(inside).hasSize(1));
        }
    }

    @Test
    void slicSegmentsFollowTheRegionBoundaries() {
        for (boolean channelsLast : new boolean[] {false, true}) {
            Tensor image = image(channelsLast);

            int[] labels = pixelGroups(groups("slic", 16, image), image, channelsLast);

            Map<Integer, Set<Integer>> regions = regionsOfSegments(labels);
            assertThat(regions.size()).as("channels last: %s", channelsLast).isBetween(8, 24);
            assertThat(regions).allSatisfy((segment, inside) -> assertThat(inside).as("segment %d", segment).hasSize(1));
        }
    }

    @Test
    void shapleyValuesOfSuperpixelsAreReportedPerExample() {
        QuadraticModel model = QuadraticModel.random(1, 2, 3, SIZE, SIZE);
        Tensor x = Tensor.stack(List.of(image(false), random(2, 3, SIZE, SIZE)));

        Attribution result = Fixtures.run(new ShapleySampling(), model, 64, 0, x, classes(0, 1),
                Map.of("superpixels", "felzenszwalb", "segments", "4", "permutations", "2"));

        assertThat(result.details()).containsEntry("groupsFrom", "felzenszwalb superpixels, about 4");
        assertThat((List<?>) result.details().get("groups")).hasSize(2).first().isEqualTo(4);
        ShapleyMethodsTest.assertAdditive(result, 2);
    }

    @Test
    void refusesSuperpixelsOfNonImagesAndSegmentsAlone() {
        QuadraticModel model = QuadraticModel.random(3, 2, 12);

        assertThatThrownBy(() -> Fixtures.attribute(new KernelShap(), model, random(4, 1, 12), classes(0),
                Map.of("superpixels", "slic")))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContainingAll("superpixels need image examples", "[12]");
        assertThatThrownBy(() -> Fixtures.attribute(new KernelShap(), model, random(4, 1, 12), classes(0),
                Map.of("segments", "4")))
                .hasMessageContaining("give it with superpixels=slic or superpixels=felzenszwalb");
    }
}
