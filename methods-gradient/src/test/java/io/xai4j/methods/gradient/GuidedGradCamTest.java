package io.xai4j.methods.gradient;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GuidedGradCamTest {
    /** PyTorch's nearest interpolation reads map cell floor(y h / H): 2 cells over 5 rows are 0,0,0,1,1. */
    @Test
    void multipliesByTheNearestNeighbourUpsampledMapOnEveryChannel() {
        Tensor out = Tensor.zeros(1, 2, 5, 3);
        for (int i = 0; i < out.size(); i++) {
            out.set(i, 1 + i % 7);
        }
        Tensor before = out.copy();
        Tensor map = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 1, 2, 3);
        GuidedGradCam.multiplyByUpsampled(out, map);
        int[] rowCell = {0, 0, 0, 1, 1};
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 3; x++) {
                    assertThat(out.at(0, c, y, x)).isEqualTo(before.at(0, c, y, x) * map.at(0, 0, rowCell[y], x));
                }
            }
        }
    }
}
