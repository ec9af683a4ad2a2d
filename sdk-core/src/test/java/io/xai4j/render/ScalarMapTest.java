package io.xai4j.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.Layout;
import io.xai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ScalarMapTest {
    /** [C=2,H=1,W=2]: pixel 0 has channels (3, -4), pixel 1 has (1, 1). */
    private static final Tensor CHW = Tensor.of(new float[] {3, 1, -4, 1}, 2, 1, 2);

    @Test
    void reductionsOverChannels() {
        assertThat(reduce(CHW, Layout.NCHW, Reduction.SUM)).containsExactly(-1f, 2f);
        assertThat(reduce(CHW, Layout.NCHW, Reduction.ABS_SUM)).containsExactly(7f, 2f);
        assertThat(reduce(CHW, Layout.NCHW, Reduction.MEAN)).containsExactly(-0.5f, 1f);
        assertThat(reduce(CHW, Layout.NCHW, Reduction.MAX_ABS)).containsExactly(4f, 1f);
        assertThat(reduce(CHW, Layout.NCHW, Reduction.L2)).containsExactly(new float[] {5f, (float) Math.sqrt(2)},
                within(1e-6f));
    }

    @Test
    void channelsLastAndBatchOfOne() {
        Tensor hwc = Tensor.of(new float[] {3, -4, 1, 1}, 1, 1, 2, 2);
        assertThat(reduce(hwc, Layout.NHWC, Reduction.ABS_SUM)).containsExactly(7f, 2f);
        assertThat(reduce(CHW.unsqueeze0(), Layout.NCHW, Reduction.SUM)).containsExactly(-1f, 2f);
    }

    @Test
    void layerMapAndPlainMap() {
        ScalarMap layer = ScalarMap.reduce(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3), Layout.NCHW,
                Reduction.SUM);
        assertThat(layer.height()).isEqualTo(2);
        assertThat(layer.width()).isEqualTo(3);
        assertThat(reduce(Tensor.of(new float[] {-1, 2}, 1, 2), Layout.NHWC, Reduction.ABS_SUM))
                .containsExactly(1f, 2f);
    }

    @Test
    void rejectsBadShapesAndNonFiniteValues() {
        assertThatThrownBy(() -> ScalarMap.reduce(Tensor.zeros(5), Layout.NCHW, Reduction.SUM))
                .isInstanceOf(XaiException.class).hasMessageContaining("[5]")
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.SHAPE_MISMATCH);
        Tensor nan = Tensor.of(new float[] {Float.NaN, 0}, 1, 1, 2);
        assertThatThrownBy(() -> ScalarMap.reduce(nan, Layout.NCHW, Reduction.SUM))
                .isInstanceOf(XaiException.class)
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.NON_FINITE_INPUT);
    }

    @Test
    void bilinearUpsamplingOfATinyMap() {
        // v(y, x) = 2y + x is linear, so bilinear sampling reproduces it at clamped pixel coordinates.
        ScalarMap map = new ScalarMap(2, 2, new float[] {0, 1, 2, 3});
        ScalarMap up = map.resize(4, 4);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double y = clamp((i + 0.5) / 2 - 0.5);
                double x = clamp((j + 0.5) / 2 - 0.5);
                assertThat(up.values()[i * 4 + j]).isCloseTo((float) (2 * y + x), within(1e-6f));
            }
        }
        assertThat(new float[] {up.values()[0], up.values()[1], up.values()[5]})
                .containsExactly(new float[] {0f, 0.25f, 0.75f}, within(1e-6f));
    }

    private static double clamp(double v) {
        return Math.min(1, Math.max(0, v));
    }

    private static float[] reduce(Tensor t, Layout layout, Reduction r) {
        return ScalarMap.reduce(t, layout, r).values();
    }
}
