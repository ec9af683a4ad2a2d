package io.xai4j.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CurvePlotTest {
    @Test
    void eachSeriesIsDrawnInItsColourAndTheLegendFits() {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("a-rather-long-method-name", new double[] {4, 1, 0.5, 0.2, 0});
        series.put("b", new double[] {-2, 3, 5, 6, 6.5});
        BufferedImage image = CurvePlot.plot("deletion", "fraction removed", "score", series);
        assertThat(image.getWidth()).isGreaterThan(560);
        assertThat(count(image, 0x1f77b4)).as("blue line and legend").isGreaterThan(100);
        assertThat(count(image, 0xff7f0e)).as("orange line and legend").isGreaterThan(100);
    }

    private static int count(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                n += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }
}
