package io.xai4j.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessingTest {
    /** 2x2: (0,0)=(10,20,30) (1,0)=(40,50,60) (0,1)=(70,80,90) (1,1)=(100,110,120). */
    private static BufferedImage twoByTwo() {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, rgb(10, 20, 30));
        img.setRGB(1, 0, rgb(40, 50, 60));
        img.setRGB(0, 1, rgb(70, 80, 90));
        img.setRGB(1, 1, rgb(100, 110, 120));
        return img;
    }

    private static int rgb(int r, int g, int b) {
        return r << 16 | g << 8 | b;
    }

    /** Red channel = f(x, y), green and blue 0. */
    private static BufferedImage redRamp(int w, int h, int[] values) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb(values[y * w + x], 0, 0));
            }
        }
        return img;
    }

    private static TensorSpec spec(Dim... dims) {
        return new TensorSpec("input", DataType.FLOAT32, List.of(dims));
    }

    @Test
    void noneScalesToUnitRangeInNchwRgb() {
        Tensor t = Preprocessing.NONE.apply(twoByTwo()).tensor();
        assertThat(t.shape()).containsExactly(1, 3, 2, 2);
        assertThat(t.at(0, 0, 0, 0)).isCloseTo(10 / 255f, within(1e-6f));
        assertThat(t.at(0, 2, 0, 1)).isCloseTo(60 / 255f, within(1e-6f));
        assertThat(t.at(0, 1, 1, 0)).isCloseTo(80 / 255f, within(1e-6f));
    }

    @Test
    void bgrOrderAndNhwcLayout() {
        Preprocessing p = Preprocessing.NONE.withOrder(ChannelOrder.BGR).withLayout(Layout.NHWC);
        Tensor t = p.apply(twoByTwo()).tensor();
        assertThat(t.shape()).containsExactly(1, 2, 2, 3);
        assertThat(t.at(0, 0, 1, 0)).isCloseTo(60 / 255f, within(1e-6f));
        assertThat(t.at(0, 0, 1, 2)).isCloseTo(40 / 255f, within(1e-6f));
        assertThat(t.at(0, 1, 1, 1)).isCloseTo(110 / 255f, within(1e-6f));
    }

    @Test
    void meanAndStdPerChannel() {
        Preprocessing p = Preprocessing.parse("scale=1,mean=10:20:30,std=2:4:5");
        Tensor t = p.apply(twoByTwo()).tensor();
        assertThat(t.at(0, 0, 1, 1)).isEqualTo((100 - 10) / 2f);
        assertThat(t.at(0, 1, 1, 1)).isEqualTo((110 - 20) / 4f);
        assertThat(t.at(0, 2, 0, 0)).isEqualTo(0f);
    }

    @Test
    void bilinearUpscaleInterpolatesBetweenPixelCentres() {
        Preprocessing p = Preprocessing.parse("size=2x4,scale=1");
        Tensor t = p.apply(redRamp(2, 2, new int[] {0, 100, 0, 100})).tensor();
        assertThat(t.shape()).containsExactly(1, 3, 2, 4);
        float[] row = new float[4];
        for (int x = 0; x < 4; x++) {
            row[x] = t.at(0, 0, 1, x);
        }
        assertThat(row).containsExactly(new float[] {0, 25, 75, 100}, within(1e-4f));
    }

    @Test
    void downscaleAveragesWithWidenedTriangleFilter() {
        Preprocessing p = Preprocessing.parse("size=1x2,scale=1");
        Tensor t = p.apply(redRamp(4, 1, new int[] {0, 40, 80, 120})).tensor();
        // Output 0 is centred at 1.0 with taps 0,1,2 weighted 0.75,0.75,0.25; output 1 mirrors it.
        assertThat(t.at(0, 0, 0, 0)).isCloseTo((0 * 0.75f + 40 * 0.75f + 80 * 0.25f) / 1.75f, within(1e-4f));
        assertThat(t.at(0, 0, 0, 1)).isCloseTo((40 * 0.25f + 80 * 0.75f + 120 * 0.75f) / 1.75f, within(1e-4f));
    }

    @Test
    void centreCropTakesTheMiddleAndRecordsItsBox() {
        int[] values = new int[16];
        for (int i = 0; i < 16; i++) {
            values[i] = i * 10;
        }
        PreprocessedBatch batch = Preprocessing.parse("crop=2,scale=1").apply(redRamp(4, 4, values));
        Tensor t = batch.tensor();
        assertThat(t.shape()).containsExactly(1, 3, 2, 2);
        assertThat(t.at(0, 0, 0, 0)).isEqualTo(50f);
        assertThat(t.at(0, 0, 1, 1)).isEqualTo(100f);
        assertThat(batch.geometry()).containsExactly(new CropBox(1, 1, 2, 2));
    }

    @Test
    void imagenetResizesShorterSideThenCrops() {
        Preprocessing p = Preprocessing.IMAGENET;
        PreprocessedBatch batch = p.apply(new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB));
        assertThat(batch.tensor().shape()).containsExactly(1, 3, 224, 224);
        // Resized to 384x256 (WxH), crop offset (80, 16), mapped back by 300/384 and 200/256.
        CropBox box = batch.geometry().get(0);
        assertThat(box.x()).isCloseTo(62.5, within(1e-9));
        assertThat(box.y()).isCloseTo(12.5, within(1e-9));
        assertThat(box.width()).isCloseTo(175, within(1e-9));
        assertThat(box.height()).isCloseTo(175, within(1e-9));
        assertThat(batch.tensor().at(0, 0, 5, 5)).isCloseTo(-0.485f / 0.229f, within(1e-5f));
    }

    @Test
    void imagenetAdaptsToTheModelInputSize() {
        Preprocessing p = Preprocessing.IMAGENET.forInput(spec(Dim.symbolic("N"), Dim.fixed(3), Dim.fixed(299),
                Dim.fixed(299)));
        assertThat(p.resize()).isEqualTo(Resize.shorterSide(342));
        assertThat(p.crop()).isEqualTo(Size.square(299));
        assertThat(p.apply(new BufferedImage(500, 400, BufferedImage.TYPE_INT_RGB)).tensor().shape())
                .containsExactly(1, 3, 299, 299);
        assertThat(Preprocessing.IMAGENET.withTargetSize(224, 224)).isEqualTo(Preprocessing.IMAGENET);
    }

    @Test
    void imageAlreadyAtTheCropSizeIsUntouched() {
        int[] values = new int[16];
        for (int i = 0; i < 16; i++) {
            values[i] = i * 10;
        }
        Preprocessing p = Preprocessing.IMAGENET.withTargetSize(4, 4);
        assertThat(p.resize()).isEqualTo(Resize.shorterSide(5));
        PreprocessedBatch batch = p.apply(redRamp(4, 4, values));
        assertThat(batch.tensor().at(0, 0, 0, 1)).isCloseTo((10 / 255f - 0.485f) / 0.229f, within(1e-5f));
        assertThat(batch.tensor().at(0, 0, 3, 3)).isCloseTo((150 / 255f - 0.485f) / 0.229f, within(1e-5f));
        assertThat(batch.geometry()).containsExactly(CropBox.full(4, 4));
    }

    @Test
    void forInputPicksNhwcAndExactSizeForNone() {
        Preprocessing p = Preprocessing.NONE.forInput(spec(Dim.symbolic("batch"), Dim.fixed(4), Dim.fixed(6),
                Dim.fixed(3)));
        assertThat(p.layout()).isEqualTo(Layout.NHWC);
        PreprocessedBatch batch = p.apply(new BufferedImage(10, 7, BufferedImage.TYPE_INT_RGB));
        assertThat(batch.tensor().shape()).containsExactly(1, 4, 6, 3);
        assertThat(batch.geometry()).containsExactly(CropBox.full(10, 7));
    }

    @Test
    void anExplicitNhwcLayoutOnAChannelsFirstInputIsRefusedNotOverridden() {
        TensorSpec nchw = spec(Dim.symbolic("N"), Dim.fixed(3), Dim.fixed(32), Dim.fixed(32));
        assertThatThrownBy(() -> Preprocessing.parse("imagenet,layout=nhwc").forInput(nchw))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("layout=nhwc").hasMessageContaining("[N,3,32,32]");
        assertThat(Preprocessing.parse("imagenet,layout=nhwc").forInput(spec(Dim.symbolic("N"), Dim.fixed(32),
                Dim.fixed(32), Dim.fixed(3))).layout()).isEqualTo(Layout.NHWC);
    }

    @Test
    void anExplicitNchwLayoutOnAChannelsLastInputIsRefusedNamingTheShape() {
        TensorSpec nhwc = spec(Dim.symbolic("N"), Dim.fixed(32), Dim.fixed(32), Dim.fixed(3));
        assertThatThrownBy(() -> Preprocessing.parse("imagenet,layout=nchw").forInput(nhwc))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("layout=nchw").hasMessageContaining("[N,32,32,3]")
                .hasMessageContaining("layout=nhwc").hasMessageContaining("layout=auto");
        assertThat(Preprocessing.parse("imagenet").forInput(nhwc).layout()).isEqualTo(Layout.NHWC);
        assertThat(Preprocessing.parse("imagenet,layout=auto").forInput(nhwc).layout()).isEqualTo(Layout.NHWC);
    }

    @Test
    void anExplicitLayoutDecidesWhenBothAxesCouldHoldTheChannels() {
        TensorSpec both = spec(Dim.symbolic("N"), Dim.fixed(3), Dim.fixed(8), Dim.fixed(3));
        assertThat(Preprocessing.parse("none").forInput(both).layout()).isEqualTo(Layout.NCHW);
        assertThat(Preprocessing.parse("none,layout=nchw").forInput(both).layout()).isEqualTo(Layout.NCHW);
        Preprocessing nhwc = Preprocessing.parse("none,layout=nhwc").forInput(both);
        assertThat(nhwc.layout()).isEqualTo(Layout.NHWC);
        assertThat(nhwc.apply(new BufferedImage(8, 3, BufferedImage.TYPE_INT_RGB)).tensor().shape())
                .containsExactly(1, 3, 8, 3);
    }

    @Test
    void withoutAModelInputAnUnsetLayoutGivesNchw() {
        assertThat(Preprocessing.NONE.layout()).isNull();
        assertThat(Preprocessing.NONE.apply(new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB)).tensor().shape())
                .containsExactly(1, 3, 3, 5);
    }

    @Test
    void forInputWithDynamicSizeKeepsImageSize() {
        Preprocessing p = Preprocessing.NONE.forInput(spec(Dim.symbolic("N"), Dim.fixed(3), Dim.symbolic("H"),
                Dim.symbolic("W")));
        assertThat(p).isEqualTo(Preprocessing.NONE.withLayout(Layout.NCHW));
        assertThat(p.apply(new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB)).tensor().shape())
                .containsExactly(1, 3, 3, 5);
    }

    @Test
    void anIntegerInputGetsRawPixelValues() {
        TensorSpec bytes = new TensorSpec("image", DataType.UINT8, List.of(Dim.symbolic("N"), Dim.fixed(2), Dim.fixed(2),
                Dim.fixed(3)));
        Preprocessing p = Preprocessing.IMAGENET.forInput(bytes);
        assertThat(p.layout()).isEqualTo(Layout.NHWC);
        Tensor t = p.apply(twoByTwo()).tensor();
        assertThat(t.shape()).containsExactly(1, 2, 2, 3);
        assertThat(t.at(0, 0, 0, 0)).isEqualTo(10f);
        assertThat(t.at(0, 0, 0, 2)).isEqualTo(30f);
    }

    @Test
    void aGrayscaleInputWithThreeChannelMeansSaysWhatToGive() {
        assertThatThrownBy(() -> Preprocessing.IMAGENET.forInput(spec(Dim.symbolic("N"), Dim.fixed(1), Dim.fixed(28),
                Dim.fixed(28)))).isInstanceOfSatisfying(XaiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("takes 1 channel (grayscale)").hasMessageContaining("--preprocess none");
    }

    @Test
    void forInputWithOneChannelUsesLuminance() {
        Preprocessing p = Preprocessing.NONE.forInput(spec(Dim.fixed(1), Dim.fixed(1), Dim.fixed(2), Dim.fixed(2)));
        assertThat(p.order()).isEqualTo(ChannelOrder.GRAY);
        Tensor t = p.apply(twoByTwo()).tensor();
        assertThat(t.shape()).containsExactly(1, 1, 2, 2);
        assertThat(t.at(0, 0, 0, 0)).isCloseTo((float) ((0.299 * 10 + 0.587 * 20 + 0.114 * 30) / 255), within(1e-5f));
    }

    @Test
    void forInputRejectsNonImageInputs() {
        assertThatThrownBy(() -> Preprocessing.NONE.forInput(spec(Dim.fixed(1), Dim.fixed(10))))
                .isInstanceOf(XaiException.class).hasMessageContaining("[1,10]")
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.SHAPE_MISMATCH);
        assertThatThrownBy(() -> Preprocessing.NONE.forInput(spec(Dim.fixed(1), Dim.fixed(5), Dim.fixed(8),
                Dim.fixed(8)))).isInstanceOf(XaiException.class);
    }

    @Test
    void batchesImagesAndRejectsMixedSizes() {
        PreprocessedBatch batch = Preprocessing.NONE.apply(List.of(twoByTwo(), redRamp(2, 2, new int[] {1, 2, 3, 4})));
        assertThat(batch.tensor().shape()).containsExactly(2, 3, 2, 2);
        assertThat(batch.tensor().at(1, 0, 1, 1)).isCloseTo(4 / 255f, within(1e-7f));
        assertThat(batch.geometry()).hasSize(2);
        List<BufferedImage> mixed = List.of(twoByTwo(), new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB));
        assertThatThrownBy(() -> Preprocessing.NONE.apply(mixed)).isInstanceOf(XaiException.class)
                .hasMessageContaining("2x2").hasMessageContaining("2x3")
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT);
    }

    @Test
    void imageSmallerThanCropIsRejected() {
        assertThatThrownBy(() -> Preprocessing.parse("crop=4").apply(twoByTwo()))
                .isInstanceOf(XaiException.class).hasMessageContaining("crop 4x4");
    }

    @Test
    void doesNotModifyTheImage() {
        BufferedImage img = twoByTwo();
        Preprocessing.IMAGENET.apply(img);
        assertThat(img.getRGB(1, 1) & 0xFFFFFF).isEqualTo(rgb(100, 110, 120));
    }
}
