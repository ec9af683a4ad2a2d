package io.xai4j.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LayerLayoutTest {

    @Test
    void convolutionalLayersAreViewedAsTheyAre() {
        LayerLayout l = LayerLayout.of("conv", new int[] {2, 3, 4, 5}, null);
        assertThat(l.tokens()).isFalse();
        Tensor a = Tensor.zeros(2, 3, 4, 5);
        assertThat(l.toGrid(a).array()).isSameAs(a.array());
    }

    @Test
    void tokensWithAClassTokenBecomeAGridWithoutIt() {
        // [1, 1 + 2*2, 3]: token t has channel values 10 t + c
        float[] v = new float[15];
        for (int t = 0; t < 5; t++) {
            for (int c = 0; c < 3; c++) {
                v[t * 3 + c] = 10 * t + c;
            }
        }
        LayerLayout l = LayerLayout.of("tok", new int[] {1, 5, 3}, null);
        assertThat(l.skip()).isEqualTo(1);
        Tensor grid = l.toGrid(Tensor.of(v, 1, 5, 3));
        assertThat(grid.shape()).containsExactly(1, 3, 2, 2);
        assertThat(grid.at(0, 2, 1, 0)).isEqualTo(32f); // cell (1,0) is token 3
        assertThat(LayerLayout.of("tok", new int[] {1, 4, 3}, null).skip()).isZero();
    }

    @Test
    void anExplicitGridMustFitTheTokenCount() {
        LayerLayout l = LayerLayout.of("tok", new int[] {1, 7, 3}, new int[] {2, 3});
        assertThat(l.skip()).isEqualTo(1);
        assertThat(l.height()).isEqualTo(2);
        assertThatThrownBy(() -> LayerLayout.of("tok", new int[] {1, 7, 3}, new int[] {2, 2}))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContaining("7 tokens");
        assertThatThrownBy(() -> LayerLayout.of("tok", new int[] {1, 7, 3}, null)).hasMessageContaining("grid=HxW");
        assertThatThrownBy(() -> LayerLayout.of("flat", new int[] {1, 7}, new int[] {1, 7}))
                .hasMessageContaining("leave grid out for [N,C] layers");
        assertThatThrownBy(() -> LayerLayout.of("vector", new int[] {7}, null))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_LAYER))
                .hasMessageContaining("[N,C,H,W] activations, [N,T,C] tokens or [N,C] features");
    }

    @Test
    void aFlatLayerHasItsChannelsAtOnePosition() {
        LayerLayout l = LayerLayout.of("flat", new int[] {2, 3}, null);
        assertThat(l.flat()).isTrue();
        assertThat(l.tokens()).isFalse();
        assertThat(l.channels()).isEqualTo(3);
        assertThat(l.cells()).isEqualTo(1);
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(l.toGrid(a).shape()).containsExactly(2, 3, 1, 1);
        Tensor row = a.row(1).copy();
        l.zeroChannel(row, 1);
        assertThat(row.toArray()).containsExactly(4, 0, 6);
        assertThat(l).hasToString("3 features at one position");
    }

    @Test
    void zeroingAChannelClearsItInEveryToken() {
        LayerLayout l = LayerLayout.of("tok", new int[] {1, 4, 2}, null);
        Tensor row = Tensor.full(1f, 4, 2);
        l.zeroChannel(row, 1);
        assertThat(row.toArray()).containsExactly(1, 0, 1, 0, 1, 0, 1, 0);
        LayerLayout conv = LayerLayout.of("conv", new int[] {1, 2, 1, 2}, null);
        Tensor c = Tensor.full(1f, 2, 1, 2);
        conv.zeroChannel(c, 0);
        assertThat(c.toArray()).containsExactly(0, 0, 1, 1);
    }

    @Test
    void channelsLastMapsAreTransposedToTheGridAndZeroedPerChannel() {
        // [1, H=2, W=3, C=4]: element (h, w, c) has value 100 h + 10 w + c
        float[] v = new float[24];
        for (int h = 0; h < 2; h++) {
            for (int w = 0; w < 3; w++) {
                for (int c = 0; c < 4; c++) {
                    v[(h * 3 + w) * 4 + c] = 100 * h + 10 * w + c;
                }
            }
        }
        LayerLayout l = LayerLayout.of("nhwc", new int[] {1, 2, 3, 4}, null, true, true);
        assertThat(l.channelsLast()).isTrue();
        assertThat(l.tokens()).isFalse();
        assertThat(new int[] {l.channels(), l.height(), l.width()}).containsExactly(4, 2, 3);
        Tensor grid = l.toGrid(Tensor.of(v, 1, 2, 3, 4));
        assertThat(grid.shape()).containsExactly(1, 4, 2, 3);
        assertThat(grid.at(0, 3, 1, 2)).isEqualTo(123f);
        assertThat(grid.at(0, 1, 0, 1)).isEqualTo(11f);
        Tensor row = Tensor.of(v.clone(), 2, 3, 4);
        l.zeroChannel(row, 2);
        for (int i = 0; i < 24; i++) {
            assertThat(row.get(i)).isEqualTo(i % 4 == 2 ? 0f : v[i]);
        }
        assertThat(LayerLayout.of("nchw", new int[] {1, 2, 3, 4}, null, true, false).channels()).isEqualTo(2);
        assertThatThrownBy(() -> LayerLayout.of("nhwc", new int[] {1, 2, 3, 4}, new int[] {3, 4}, true, true))
                .hasMessageContaining("[N,H,W,C]");
    }

    @Test
    void tokensOfASequenceModelAreOneRowOfTimeSteps() {
        LayerLayout l = LayerLayout.of("lstm_out", new int[] {1, 10, 16}, null, false);
        assertThat(l.height()).isEqualTo(1);
        assertThat(l.width()).isEqualTo(10);
        assertThat(l.skip()).isZero();
        assertThat(l.channels()).isEqualTo(16);
    }
}
