package io.xai4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.io.Npy;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The gradient engine reached through the Model SPI, on a ResNet exported from PyTorch. */
class OnnxModelGradientsTest {
    private static final int TARGET = 3;

    @Test
    void batchedInputGradientsMatchPyTorchForEveryRow() throws Exception {
        Tensor x = Npy.read(resource("resnet.input.npy"));
        Tensor expected = Npy.read(resource("resnet.grad_input.npy"));
        Tensor logits = Npy.read(resource("resnet.logits.npy"));
        try (OnnxModel model = OnnxModel.load(resource("resnet_op13.onnx"), ModelOptions.defaults())) {
            assertThat(model.capabilities()).contains(ModelCapability.GRADIENTS);
            GradientEngine engine = model.gradients().orElseThrow();
            Tensor batch = Tensor.concat(List.of(x, x));
            Tensor seed = Tensor.zeros(2, logits.dim(1));
            seed.set(TARGET, 1f);
            seed.set(logits.dim(1) + TARGET, 1f);

            GradientResult r = engine.vjp(new GradientRequest(Map.of("input", batch), "logits", seed,
                    Set.of("input"), Set.of(), GradientRequest.EXACT, false));

            Tensor grad = r.gradients().get("input");
            assertThat(grad.shape()).containsExactly(2, 3, 64, 64);
            for (int row = 0; row < 2; row++) {
                assertThat(TestTensors.relativeError(grad.row(row), expected.row(0))).isLessThan(1e-4);
            }
            assertThat(TestTensors.relativeError(r.outputs().get(GradientResult.SEEDED_OUTPUT).row(1), logits.row(0))).isLessThan(1e-5);
        }
    }

    private static Path resource(String name) throws Exception {
        return Path.of(OnnxModelGradientsTest.class.getResource("/gradients/" + name).toURI());
    }
}
