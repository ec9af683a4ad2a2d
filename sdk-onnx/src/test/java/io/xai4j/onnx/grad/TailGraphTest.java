package io.xai4j.onnx.grad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.io.Npy;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TailGraphTest {
    private static final String INNER = "/layer4/layer4.0/relu_1/Relu_output_0";

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TailGraphTest.class.getResourceAsStream("/gradients/" + name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void theTailFromAnInnerTensorReproducesTheLogits() throws IOException {
        ModelProto resnet = ModelProto.parseFrom(resource("resnet_op13.onnx"));
        Tensor inner = Npy.read(resource("resnet.inner.npy"), "inner");
        Tensor logits = Npy.read(resource("resnet.logits.npy"), "logits");
        ModelProto tail = TailGraph.of(resnet, INNER, List.of());
        assertThat(tail.getGraph().getNodeCount()).isLessThan(resnet.getGraph().getNodeCount() / 4);
        try (TailSession session = TailSession.open(GradCheck.ENV, resnet, INNER, "logits")) {
            assertThat(session.inputNames()).containsExactly(INNER);
            float[] got = session.run(Map.of(INNER, inner)).toArray();
            float[] expected = logits.toArray();
            assertThat(got).hasSameSizeAs(expected);
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).isCloseTo(expected[i], within(1e-4f * (1 + Math.abs(expected[i]))));
            }
        }
    }

    @Test
    void modelInputsTheTailStillReadsStayInputsAndSharedProducersKeepRunning() {
        ModelProto model = TestGraph.of(DataType.FLOAT_VALUE).input("x", -1, 4).ints("sizes", 2, 2)
                .node("Split", "x,sizes", "a,b", OnnxAttributes.of("axis", 1L)).node("Relu", "a", "ra")
                .node("Mul", "ra,b", "m").node("Slice", "x,zero,two,one", "x0").node("Add", "m,x0", "y")
                .ints("zero", 0).ints("two", 2).ints("one", 1).output("y").build();
        ModelProto tail = TailGraph.of(model, "a", List.of("y"));
        assertThat(tail.getGraph().getInputList()).extracting(v -> v.getName()).containsExactlyInAnyOrder("x", "a");
        NodeProto split = tail.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Split")).findFirst()
                .orElseThrow();
        assertThat(split.getOutputList()).doesNotContain("a").contains("b");
        try (TailSession session = TailSession.open(GradCheck.ENV, model, "a", "y")) {
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
            Tensor a = Tensor.of(new float[] {-5, 6}, 1, 2);
            // y = relu(a) * x[:, 2:4] + x[:, 0:2]
            assertThat(session.run(Map.of("x", x, "a", a)).toArray()).containsExactly(1f, 2f + 6 * 4);
        }
    }

    @Test
    void anUnknownTensorIsNamedWithCloseNames() throws IOException {
        ModelProto resnet = ModelProto.parseFrom(resource("resnet_op13.onnx"));
        assertThatThrownBy(() -> TailGraph.of(resnet, "/layer4/layer4.0/relu_1/Relu_output", List.of()))
                .isInstanceOf(XaiException.class).hasMessageContaining(INNER)
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.UNKNOWN_LAYER);
    }
}
