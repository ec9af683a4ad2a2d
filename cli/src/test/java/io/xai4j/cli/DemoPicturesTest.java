package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.image.Images;
import io.xai4j.io.Npy;
import io.xai4j.render.HeatmapStyle;
import io.xai4j.render.ScaledMap;
import io.xai4j.render.Sign;
import io.xai4j.spi.ValueKind;
import io.xai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pictures of the demo are drawn as their values mean: the hottest pixels sit on the explained object. */
class DemoPicturesTest {
    /** The circle of the demo's default sample, {@code [x0, y0, x1, y1]} in its 64 x 64 pixels. */
    private static final int[] CIRCLE = {4, 20, 25, 41};

    @TempDir
    Path tmp;

    @Test
    void riseIsAScoreDrawnFromItsMinimumSoItsHottestPixelsAreOnThePredictedObject() throws Exception {
        Path out = tmp.resolve("rise");
        CliRunner r = CliRunner.run("explain", "--method", "rise", "--param", "masks=300", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("explanation.json").toFile());
        assertThat(json.at("/target/labels/0").asText()).contains("circle");
        assertThat(json.at("/details/values").asText()).isEqualTo("score");

        Tensor attribution = Npy.read(out.resolve("attribution.npy"));
        ScaledMap scaled = ScaledMap.of(attribution.row(0), HeatmapStyle.defaults(), ValueKind.SCORE);
        assertThat(scaled.style().sign()).isEqualTo(Sign.RANGE);
        int[] hottest = hottest(scaled);
        assertThat(hottest[0]).as("x of the hottest pixel").isBetween(CIRCLE[0], CIRCLE[2]);
        assertThat(hottest[1]).as("y of the hottest pixel").isBetween(CIRCLE[1], CIRCLE[3]);

        BufferedImage picture = Images.read(out.resolve("heatmap.png"));
        assertThat(picture.getWidth()).as("the overlay, a colour bar and its labels").isGreaterThan(256 + 60);
    }

    @Test
    void camsAreAlsoWrittenAtTheInputsResolutionScaledToOne() throws Exception {
        Path out = tmp.resolve("cam");
        CliRunner r = CliRunner.run("explain", "--method", "grad-cam", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("cam.npy");
        Tensor cam = Npy.read(out.resolve("cam.npy"));
        assertThat(cam.shape()).containsExactly(1, 64, 64);
        float max = 0;
        float min = 1;
        int best = 0;
        for (int i = 0; i < cam.size(); i++) {
            min = Math.min(min, cam.get(i));
            max = Math.max(max, cam.get(i));
            best = cam.get(i) > cam.get(best) ? i : best;
        }
        assertThat(min).isZero();
        assertThat(max).as("1 at layer resolution, a little less after bilinear upsampling").isBetween(0.9f, 1f);
        assertThat(best % 64).isBetween(CIRCLE[0], CIRCLE[2]);
        assertThat(best / 64).isBetween(CIRCLE[1], CIRCLE[3]);
        assertThat(Npy.read(out.resolve("attribution.npy")).shape()).containsExactly(1, 1, 16, 16);
    }

    /** The (x, y) of the pixel drawn highest on the palette. */
    private static int[] hottest(ScaledMap scaled) {
        float[] v = scaled.map().values();
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (scaled.scale().position(v[i]) > scaled.scale().position(v[best])) {
                best = i;
            }
        }
        return new int[] {best % scaled.map().width(), best / scaled.map().width()};
    }
}
