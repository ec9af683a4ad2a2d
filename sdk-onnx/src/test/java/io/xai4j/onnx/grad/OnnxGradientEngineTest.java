package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.OnnxAttributes.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtSession;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import io.xai4j.error.XaiException;
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
                OnnxGradientEngine engine = OnnxGradientEngine.fromBytes(linearSoftmax().toByteArray(), RuleCheck.ENV, opts)) {
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
                    .isInstanceOf(XaiException.class).hasMessage("the model has been closed");
        }
    }

    /** y = tanh(x) M + sum(x): the tail after h = tanh(x) still reads the input x. */
    private static ModelProto skipAroundTanh() {
        return TestGraph.of(DataType.FLOAT_VALUE).input("x", -1, 3).values("m", W, 3, 2).ints("axes", 1)
                .node("Tanh", "x", "h").node("MatMul", "h,m", "p").node("ReduceSum", "x,axes", "s", of("keepdims", 1L))
                .node("Add", "p,s", "y").output("y").build();
    }

    @Test
    void anIntermediateTensorAmongTheInputsReplacesWhatTheModelComputes() {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OnnxGradientEngine engine = OnnxGradientEngine.fromBytes(skipAroundTanh().toByteArray(), RuleCheck.ENV, opts)) {
            Tensor x = Tensor.of(new float[] {0.5f, -1f, 2f, 1f, 0f, -0.25f}, 2, 3);
            Tensor h = Tensor.of(new float[] {3f, 1f, -2f, 0f, 4f, 0.5f}, 2, 3);
            Tensor seed = Tensor.of(new float[] {1f, 0f, 0f, 1f}, 2, 2);
            GradientResult fed = engine.vjp(new GradientRequest(Map.of("x", x, "h", h), "y", seed, Set.of("h"),
                    Set.of(), GradientRequest.EXACT, false));
            Tensor y = fed.outputs().get("y");
            for (int n = 0; n < 2; n++) {
                double sum = 0;
                for (int i = 0; i < 3; i++) {
                    sum += x.get(3 * n + i);
                }
                for (int k = 0; k < 2; k++) {
                    double expected = sum;
                    for (int i = 0; i < 3; i++) {
                        expected += h.get(3 * n + i) * W[2 * i + k];
                    }
                    assertThat((double) y.get(2 * n + k)).as("y[%d,%d]", n, k).isCloseTo(expected, within(1e-5));
                }
                for (int i = 0; i < 3; i++) {
                    assertThat((double) fed.gradients().get("h").get(3 * n + i)).as("dy/dh[%d,%d]", n, i)
                            .isCloseTo(W[2 * i + n], within(1e-6));
                }
            }
            GradientResult computed = engine.vjp(new GradientRequest(Map.of("x", x), "y", seed, Set.of("h"),
                    Set.of(), GradientRequest.EXACT, false));
            assertThat(computed.gradients().get("h").toArray()).containsExactly(fed.gradients().get("h").toArray());
            assertThat(computed.outputs().get("y").toArray()).isNotEqualTo(y.toArray());
            assertThatThrownBy(() -> engine.vjp(new GradientRequest(Map.of("x", x, "nowhere", h), "y", seed,
                    Set.of("x"), Set.of(), GradientRequest.EXACT, false))).hasMessageContaining("unknown tensor 'nowhere'");
        }
    }

    @Test
    void theL2NormOfZerosHasAZeroGradientAsInPyTorch() {
        ModelProto norm = TestGraph.of(DataType.FLOAT_VALUE).input("x", -1, 3).ints("axes", 1)
                .node("ReduceL2", "x,axes", "y", of("keepdims", 0L)).output("y").build();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OnnxGradientEngine engine = OnnxGradientEngine.fromBytes(norm.toByteArray(), RuleCheck.ENV, opts)) {
            Tensor x = Tensor.of(new float[] {0f, 0f, 0f, 3f, 0f, -4f}, 2, 3);
            Tensor g = engine.vjp(new GradientRequest(Map.of("x", x), "y", Tensor.full(1f, 2), Set.of("x"), Set.of(),
                    GradientRequest.EXACT, false)).gradients().get("x");
            assertThat(g.toArray()).containsExactly(0f, 0f, 0f, 0.6f, 0f, -0.8f);
        }
    }

    @Test
    void bytesPerRowCountTheTensorsThatFollowTheBatch() {
        // x [N,3] -> Tanh -> h [N,3] -> MatMul m [3,2] -> p [N,2]; ReduceSum(x) -> s [N,1]; y = p + s [N,2]
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OnnxGradientEngine engine = OnnxGradientEngine.fromBytes(skipAroundTanh().toByteArray(), RuleCheck.ENV, opts)) {
            GradientRequest oneRow = new GradientRequest(Map.of("x", Tensor.zeros(1, 3)), "y", Tensor.zeros(1, 2),
                    Set.of("x"), Set.of(), GradientRequest.EXACT, false);
            assertThat(engine.bytesPerRow(oneRow)).isEqualTo(Float.BYTES * (3 + 3 + 2 + 1 + 2));
        }
    }
}
