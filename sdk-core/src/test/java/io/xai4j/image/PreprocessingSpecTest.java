package io.xai4j.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PreprocessingSpecTest {
    @Test
    void presets() {
        assertThat(Preprocessing.parse("imagenet")).isEqualTo(Preprocessing.IMAGENET);
        assertThat(Preprocessing.parse(" None ")).isEqualTo(Preprocessing.NONE);
        assertThat(Preprocessing.presets()).containsExactly("imagenet", "none");
    }

    @Test
    void presetWithOverrides() {
        Preprocessing p = Preprocessing.parse("imagenet,layout=nhwc,order=bgr");
        assertThat(p).isEqualTo(Preprocessing.IMAGENET.withLayout(Layout.NHWC).withOrder(ChannelOrder.BGR));
    }

    @Test
    void fullKeyValueSpec() {
        Preprocessing p = Preprocessing.parse("size=224,crop=224,scale=0.00392156862745098,mean=0.485:0.456:0.406,"
                + "std=0.229:0.224:0.225,order=rgb,layout=nchw");
        assertThat(p.resize()).isEqualTo(Resize.shorterSide(224));
        assertThat(p.crop()).isEqualTo(Size.square(224));
        assertThat(p.scale()).isEqualTo(1.0 / 255);
        assertThat(p.mean()).containsExactly(0.485, 0.456, 0.406);
        assertThat(p.std()).containsExactly(0.229, 0.224, 0.225);
    }

    @Test
    void sizeForms() {
        assertThat(Preprocessing.parse("size=10x20").resize()).isEqualTo(Resize.exact(10, 20));
        assertThat(Preprocessing.parse("size=cover:10x20").resize()).isEqualTo(Resize.cover(10, 20));
        assertThat(Preprocessing.parse("imagenet,size=none,crop=none").resize()).isEqualTo(Resize.NONE);
        assertThat(Preprocessing.parse("scale=1/127.5,mean=1,std=1").scale()).isEqualTo(1 / 127.5);
    }

    @Test
    void describeRoundTrips() {
        for (Preprocessing p : List.of(Preprocessing.IMAGENET, Preprocessing.NONE,
                Preprocessing.IMAGENET.withTargetSize(100, 150).withLayout(Layout.NHWC),
                Preprocessing.IMAGENET.withLayout(Layout.NCHW),
                Preprocessing.parse("size=8x9,order=gray,mean=0.5,std=0.25"))) {
            assertThat(Preprocessing.parse(p.describe())).isEqualTo(p);
        }
        assertThat(Preprocessing.IMAGENET.describe()).isEqualTo("size=256,crop=224x224,scale=0.00392156862745098,"
                + "mean=0.485:0.456:0.406,std=0.229:0.224:0.225,order=rgb,layout=auto");
    }

    @Test
    void theLayoutIsUnsetUnlessGiven() {
        assertThat(Preprocessing.parse("imagenet").layout()).isNull();
        assertThat(Preprocessing.parse("imagenet,layout=auto").layout()).isNull();
        assertThat(Preprocessing.parse("imagenet,layout=nchw").layout()).isEqualTo(Layout.NCHW);
        assertThat(Preprocessing.parse("layout=NHWC").layout()).isEqualTo(Layout.NHWC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "foo", "imagenet,imagenet", "bogus=1", "size=abc", "size=0", "crop=2x", "scale=0",
        "scale=x", "mean=1:2", "std=0", "order=rgba", "layout=nchwx", "size=4,size=5", "imagenet,order=gray"})
    void badSpecsAreInvalidArguments(String spec) {
        assertThatThrownBy(() -> Preprocessing.parse(spec)).isInstanceOf(XaiException.class)
                .satisfies(e -> assertThat(((XaiException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void errorsListKeysAndPresets() {
        assertThatThrownBy(() -> Preprocessing.parse("imagenet,colour=rgb"))
                .hasMessageContaining("colour").hasMessageContaining("imagenet, none")
                .hasMessageContaining("size, crop, scale, mean, std, order, layout");
    }
}
