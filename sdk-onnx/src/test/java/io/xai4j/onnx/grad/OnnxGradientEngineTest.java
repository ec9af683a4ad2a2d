package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.OnnxAttributes.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtSession;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.tensor.Tensor;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OnnxGradientEngineTest {
    private static final double[] W = {1, 2, 3, -1, 0.5, 0};

    private static ModelProto linearSoftmax() {
        return TestGraph.of(DataType.FLOAT_VALUE).input("x", -1, 3).values("w", W, 2, 3).values("b", new double[] {0.1, -0.2}, 2)
                .node("Gemm", "x,w,b", "logits", of("transB", 1L)).node("Relu", "logits", "r")
                .node("Softmax", "r", "probs").output("probs").build();
    }

    @Test
    void vjpReusesTheGradientModelAcrossBatchSizes() {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OnnxGradientEngine engine = OnnxGradientEngine.fromBytes(linearSoftmax().toByteArray(), GradCheck.ENV, opts)) {
            for (int batch : new int[] {1, 3}) {
                Tensor x = Tensor.full(1f, batch, 3);
                Tensor seed = Tensor.zeros(batch, 2);
                for (int i = 0; i < batch; i++) {
                    seed.set(2 * i, 1f);
                }
                GradientResult r = engine.vjp(new GradientRequest(Map.of("x", x), "probs", seed, Set.of("x"),
                        Set.of("logits"), GradientRequest.EXACT, false));
                assertThat(r.activations().get("logits").toArray()).hasSize(2 * batch);
                assertThat(r.activations().get("logits").get(0)).isCloseTo(6.1f, org.assertj.core.data.Offset.offset(1e-5f));
                assertThat(r.outputs().get("probs").shape()).containsExactly(batch, 2);
                Tensor gx = r.gradients().get("x");
                for (int i = 0; i < batch; i++) {
                    assertThat(gx.row(i).toArray()).containsExactly(1f, 2f, 3f);
                }
            }
            assertThat(engine.cachedModels()).isEqualTo(1);
            engine.vjp(new GradientRequest(Map.of("x", Tensor.full(1f, 1, 3)), "probs", Tensor.zeros(1, 2), Set.of("r"),
                    Set.of(), GradientRequest.EXACT, false));
            assertThat(engine.cachedModels()).isEqualTo(2);
            engine.close();
            assertThatThrownBy(() -> engine.gradientModel(new GradientRequest(Map.of("x", Tensor.full(1f, 1, 3)), "probs",
                    Tensor.zeros(1, 2), Set.of("x"), Set.of(), GradientRequest.EXACT, false)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
