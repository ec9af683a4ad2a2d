package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Injector;
import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.ModelOpener;
import io.xai4j.explain.Explanation;
import io.xai4j.image.Images;
import io.xai4j.image.Preprocessing;
import io.xai4j.inject.Xai4j;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.target.Target;
import io.xai4j.tensor.Tensor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo model's Grad-CAM maps are class-discriminative: on every two-shape sample, the map of each present
 * class peaks on that class's own shape (boxes in {@code demo-expected/objects.json}).
 */
class DemoGradCamTest {
    private static final int IMAGE_SIZE = 64;

    private static Injector injector;
    private static Model model;

    @BeforeAll
    static void openModel() throws Exception {
        injector = Xai4j.injector();
        model = injector.getInstance(ModelOpener.class).open(resource("shapes-cnn.onnx"), ModelOptions.defaults());
    }

    @AfterAll
    static void closeModel() throws Exception {
        model.close();
    }

    @Test
    void objectListCoversEveryTwoShapeSample() throws Exception {
        List<String> twoShapeSamples = Demo.SAMPLES.stream().filter(s -> s.startsWith("two-shapes"))
                .map(s -> s.substring(0, s.length() - ".png".length())).toList();
        List<String> described = new ArrayList<>();
        objects().fieldNames().forEachRemaining(described::add);

        assertThat(twoShapeSamples).hasSize(3);
        assertThat(described).containsExactlyInAnyOrderElementsOf(twoShapeSamples);
    }

    @Test
    void gradCamOfEachClassPeaksOnItsOwnShape() throws Exception {
        String camLayer = readJson(resource("metadata.json")).get("cam_layer").asText();
        Explainer explainer = injector.getInstance(Explainer.class);
        JsonNode objects = objects();
        for (String sample : (Iterable<String>) objects::fieldNames) {
            Tensor image = Preprocessing.IMAGENET.forInput(model.signature().firstInput())
                    .apply(Images.read(resource("samples/" + sample + ".png"))).tensor();
            JsonNode shapes = objects.get(sample);
            assertThat(shapes).as(sample).hasSize(2);
            double[][] peaks = new double[2][];
            double cell = 0;
            for (int i = 0; i < 2; i++) {
                int classIndex = shapes.get(i).get("index").asInt();
                Explanation explanation = explainer.explain(model, Map.of("image", image),
                        ExplainOptions.builder("grad-cam").target(new Target.ClassIndex(null, classIndex)).build())
                        .get(0);
                assertThat(explanation.details().get("layer")).as(sample).isEqualTo(camLayer);
                Tensor map = explanation.attribution();
                assertThat(map.shape()).as(sample + " map shape").containsExactly(1, 1, 16, 16);
                peaks[i] = peakPixel(map, sample);
                cell = IMAGE_SIZE / (double) map.dim(3);
            }
            for (int i = 0; i < 2; i++) {
                String what = sample + ": Grad-CAM peak of " + shapes.get(i).get("class").asText()
                        + " at " + peaks[i][0] + "," + peaks[i][1];
                int[] own = box(shapes.get(i));
                int[] other = box(shapes.get(1 - i));
                assertThat(inside(peaks[i], own, cell)).as(what + " within one cell of its box " + Arrays.toString(own))
                        .isTrue();
                assertThat(distance(peaks[i], own)).as(what + ": nearer its own box than the other shape's")
                        .isLessThan(distance(peaks[i], other));
            }
        }
    }

    /** The input-pixel centre (x, y) of the arg-max cell (the first maximum) of a map {@code [1,1,H,W]}. */
    private static double[] peakPixel(Tensor map, String sample) {
        int best = 0;
        for (int i = 1; i < map.size(); i++) {
            if (map.get(i) > map.get(best)) {
                best = i;
            }
        }
        assertThat(map.get(best)).as(sample + " map maximum").isPositive();
        int width = map.dim(3);
        double cell = IMAGE_SIZE / (double) width;
        return new double[] {(best % width + 0.5) * cell, (best / width + 0.5) * cell};
    }

    /** Whether a point lies in a box {@code [x0, y0, x1, y1]} widened by a margin on every side. */
    private static boolean inside(double[] point, int[] box, double margin) {
        return point[0] >= box[0] - margin && point[0] <= box[2] + margin
                && point[1] >= box[1] - margin && point[1] <= box[3] + margin;
    }

    /** Euclidean distance from a point to a box {@code [x0, y0, x1, y1]} (zero inside it). */
    private static double distance(double[] point, int[] box) {
        double dx = Math.max(Math.max(box[0] - point[0], point[0] - box[2]), 0);
        double dy = Math.max(Math.max(box[1] - point[1], point[1] - box[3]), 0);
        return Math.hypot(dx, dy);
    }

    private static int[] box(JsonNode shape) {
        JsonNode b = shape.get("box");
        return new int[] {b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt(), b.get(3).asInt()};
    }

    private static JsonNode objects() throws Exception {
        return readJson(Path.of(DemoGradCamTest.class.getResource("/demo-expected/objects.json").toURI()));
    }

    private static JsonNode readJson(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static Path resource(String name) throws Exception {
        return Path.of(DemoGradCamTest.class.getResource("/io/xai4j/cli/demo/" + name).toURI());
    }
}
