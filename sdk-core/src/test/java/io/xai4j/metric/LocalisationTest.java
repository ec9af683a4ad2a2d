package io.xai4j.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.CropBox;
import io.xai4j.metric.localisation.EnergyPointingGame;
import io.xai4j.metric.localisation.GroundTruth;
import io.xai4j.metric.localisation.PointingGame;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalisationTest {
    private static final ResolvedTarget TARGET = new ResolvedTarget("y", List.of(new int[] {0}, new int[] {0}),
            List.of("class 0", "class 0"));

    private static MetricResult run(Metric metric, Tensor attribution, List<Tensor> regions, Map<String, ?> params) {
        Tensor input = Tensor.zeros(2, 3, 4, 4);
        return metric.evaluate(new MetricContext(null, null, 0, null), new MetricRequest(Map.of("x", input), "x",
                TARGET, attribution, Map.of(), regions, metric.descriptor().parse(params)));
    }

    /** The top-left 2x2 pixels. */
    private static Tensor corner() {
        return new GroundTruth.Boxes(List.of(new GroundTruth.Box(0, 0, 2, 2, null))).mask(null, 4, 4, Set.of());
    }

    @Test
    void pointingGameHitsWhenTheLargestPixelIsInTheRegionOrWithinTolerance() {
        Tensor maps = Tensor.zeros(2, 1, 4, 4);
        maps.set(5, 3);          // example 0: peak at (1, 1), inside
        maps.set(16 + 15, 3);    // example 1: peak at (3, 3), two pixels diagonally from (1, 1)
        MetricResult strict = run(new PointingGame(), maps, List.of(corner(), corner()), Map.of());
        assertThat(strict.scores()).containsExactly(1, 0);
        assertThat(strict.mean()).isEqualTo(0.5);
        assertThat(run(new PointingGame(), maps, List.of(corner(), corner()), Map.of("tolerance", 2)).scores())
                .containsExactly(1, 0);
        assertThat(run(new PointingGame(), maps, List.of(corner(), corner()), Map.of("tolerance", 3)).scores())
                .containsExactly(1, 1);
    }

    @Test
    void energyIsThePositiveShareInsideAndUnknownRegionsScoreNaN() {
        Tensor attribution = Tensor.zeros(2, 3, 4, 4);
        attribution.set(0, 2);        // channel 0, pixel (0, 0): inside
        attribution.set(16 + 0, 1);   // channel 1, same pixel: 3 inside in all
        attribution.set(15, 1);       // pixel (3, 3): outside
        attribution.set(14, -5);      // negative: no energy
        MetricResult energy = run(new EnergyPointingGame(), attribution, Arrays.asList(corner(), null), Map.of());
        assertThat(energy.scores()[0]).isCloseTo(0.75, within(1e-9));
        assertThat(energy.scores()[1]).isNaN();
        assertThat(energy.mean()).isCloseTo(0.75, within(1e-9));
        assertThat(energy.details()).containsEntry("examplesWithoutRegion", 1);
        assertThatThrownBy(() -> run(new EnergyPointingGame(), attribution, List.of(), Map.of()))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("boxes");
    }

    @Test
    void boxesFollowTheCropAndTheirClass(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("boxes.json");
        Files.writeString(json, "{\"a.png\": [{\"box\": [8, 0, 16, 8], \"class\": \"circle\"}, "
                + "{\"box\": [0, 8, 8, 16], \"class\": 1}]}");
        GroundTruth truth = GroundTruth.readBoxes(json).get("a.png");
        // the input shows the right half of a 16x16 image at 4x4: each input pixel covers 2x4 original pixels
        Tensor circle = truth.mask(new CropBox(8, 0, 8, 16), 4, 4, Set.of("0", "circle"));
        assertThat(circle.toArray()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(truth.mask(new CropBox(8, 0, 8, 16), 4, 4, Set.of("1", "square")).toArray()).containsOnly(0f);
        assertThat(truth.mask(null, 4, 4, Set.of("2", "triangle"))).isNull();
        Files.writeString(json, "{\"a.png\": [{\"box\": [8, 0, 4, 8]}]}");
        assertThatThrownBy(() -> GroundTruth.readBoxes(json))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining("a.png").hasMessageContaining("x0 < x1");
    }
}
