package com.example.xai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.spi.Attribution;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.MethodConformance;
import io.xai4j.testing.MethodRuns;
import io.xai4j.testing.TestTensors;
import io.xai4j.testing.models.AnalyticModel;
import io.xai4j.testing.models.QuadraticModel;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The plugin's CAM against the SDK's contract, and against its formula on a model with known gradients. */
class PositiveGradCamTest {

    @TestFactory
    Stream<DynamicTest> conformsToTheContract() {
        return MethodConformance.of(new PositiveGradCam()).tests();
    }

    @Test
    void weightsAreTheMeanPositiveGradientOfEachChannel() {
        float[][] weights = {{0.5f, -2f, 1.5f}, {-1f, 1f, 0.25f}};
        int h = 3;
        int w = 4;
        QuadraticModel model = QuadraticModel.gapLinear(weights, new double[] {0.1, -0.2}, h, w);
        Tensor x = TestTensors.random(3, 1, 3, h, w);
        Attribution attribution = MethodRuns.run(new PositiveGradCam(), model, 8, 0, Map.of(AnalyticModel.INPUT, x),
                AnalyticModel.INPUT, MethodRuns.classes(AnalyticModel.OUTPUT, 0), Map.of(), AnalyticModel.LAYER);
        Tensor map = attribution.tensors().get(AnalyticModel.LAYER);
        double[] act = model.layerValues(x, 0);
        for (int p = 0; p < h * w; p++) {
            double expected = 0;
            for (int c = 0; c < 3; c++) {
                // d logit / d act[c,p] = weights[0][c] / (h w); only positive gradients weigh the channel
                expected += Math.max(weights[0][c], 0) / (h * w) * act[c * h * w + p];
            }
            assertThat((double) map.get(p)).isCloseTo(Math.max(expected, 0), within(1e-6));
        }
    }
}
