package io.xai4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import io.xai4j.spi.GradientResult;
import io.xai4j.tensor.Tensor;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResNet18Test {
    /** torchvision's resnet18 has 11,689,512 parameters; folding removes one of BatchNorm's two per channel. */
    private static final long FOLDED_PARAMETERS = 11_689_512L - (64 + 4 * 64 + 5 * 128 + 5 * 256 + 5 * 512);

    private static ResNetFixture fixture;

    @BeforeAll
    static void open() {
        fixture = new ResNetFixture();
    }

    @AfterAll
    static void close() throws Exception {
        fixture.close();
    }

    @Test
    void hasTheResNet18Topology() {
        GraphProto g = ResNet18.build(1).getGraph();
        Map<String, Long> ops = g.getNodeList().stream()
                .collect(Collectors.groupingBy(NodeProto::getOpType, Collectors.counting()));
        assertThat(ops).containsExactlyInAnyOrderEntriesOf(Map.of("Conv", 20L, "Relu", 17L, "Add", 8L, "MaxPool", 1L,
                "GlobalAveragePool", 1L, "Flatten", 1L, "Gemm", 1L));
        long parameters = g.getInitializerList().stream()
                .mapToLong(t -> t.getDimsList().stream().reduce(1L, (a, b) -> a * b)).sum();
        assertThat(parameters).isEqualTo(FOLDED_PARAMETERS);
        assertThat(g.getInitializerList()).allSatisfy(t -> assertThat(t.getRawData().size())
                .isEqualTo(4 * t.getDimsList().stream().reduce(1L, (a, b) -> a * b)));
    }

    @Test
    void weightsDependOnlyOnTheSeed() {
        Function<ModelProto, TensorProto> fc = m -> m.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals("fc.weight")).findFirst().orElseThrow();
        assertThat(fc.apply(ResNet18.build(3)).getRawData()).isEqualTo(fc.apply(ResNet18.build(3)).getRawData());
        assertThat(fc.apply(ResNet18.build(3)).getRawData()).isNotEqualTo(fc.apply(ResNet18.build(4)).getRawData());
    }

    @Test
    void runsBatchesWithTheDeclaredShapes() {
        Map<String, Tensor> out = fixture.model().forward(fixture.batch().entrySet().stream().collect(
                Collectors.toMap(Map.Entry::getKey, e -> e.getValue().rows(0, 2))), Set.of(ResNet18.OUTPUT,
                ResNet18.FEATURES));
        assertThat(out.get(ResNet18.OUTPUT).shape()).containsExactly(2, 1000);
        assertThat(out.get(ResNet18.FEATURES).shape()).containsExactly(2, 512, 7, 7);
        assertThat(out.get(ResNet18.OUTPUT).hasNonFinite()).isFalse();
        assertThat(out.get(ResNet18.OUTPUT).row(0)).isNotEqualTo(out.get(ResNet18.OUTPUT).row(1));
    }

    @Test
    void inputGradientMatchesAFiniteDifference() {
        GradientResult r = fixture.inputGradient(fixture.image());
        Tensor gradient = r.gradients().get(ResNet18.INPUT);
        assertThat(gradient.shape()).containsExactly(1, 3, 224, 224);
        int index = 1 * 224 * 224 + 100 * 224 + 120;
        float step = 1e-2f;
        Tensor plus = fixture.image().get(ResNet18.INPUT).copy();
        Tensor minus = plus.copy();
        plus.set(index, plus.get(index) + step);
        minus.set(index, minus.get(index) - step);
        float difference = (logit(plus) - logit(minus)) / (2 * step);
        assertThat(gradient.get(index)).isCloseTo(difference, org.assertj.core.data.Offset.offset(
                0.05f * Math.abs(difference) + 1e-3f));
    }

    private static float logit(Tensor image) {
        return fixture.model().forward(Map.of(ResNet18.INPUT, image)).get(ResNet18.OUTPUT)
                .get(ResNetFixture.TARGET_CLASS);
    }
}
