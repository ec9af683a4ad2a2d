package io.xai4j.onnx.grad;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.io.Npy;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.spi.GradientResult;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole models exported from PyTorch: gradients of {@code logits[0, target]} with respect to the input and an
 * inner tensor must match PyTorch autograd to a relative L2 error of 1e-4 (float32).
 */
class PyTorchFixtureTest {
    private static final String DIR = "/gradients/";

    static Stream<Arguments> fixtures() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(resource("manifest.json"));
        return StreamSupport.stream(manifest.spliterator(), false)
                .map(e -> Arguments.of(e.get("model").asText() + " opset " + e.get("opset").intValue(), e));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PyTorchFixtureTest.class.getResourceAsStream(DIR + name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static Tensor npy(JsonNode entry, String key) throws IOException {
        String file = entry.get("files").get(key).asText();
        return Npy.read(resource(file), file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void gradientsMatchPyTorch(String name, JsonNode entry) throws IOException, ai.onnxruntime.OrtException {
        ModelProto model = ModelProto.parseFrom(resource(entry.get("file").asText()));
        String input = entry.get("input").asText();
        String output = entry.get("output").asText();
        String inner = entry.get("inner_tensor").asText();
        Tensor x = npy(entry, "input");
        Tensor logits = npy(entry, "logits");
        int target = entry.get("target_class").intValue();
        GradientModel gm = GradientGraphBuilder.forModel(model).inputShapes(Map.of(input, x.shape()))
                .output(output).wrt(input, inner).activations(List.of(inner)).build(RuleCheck.ENV);
        Tensor seed = Tensor.zeros(logits.shape());
        seed.set(target, 1f);
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (GradientSession session = GradientSession.open(RuleCheck.ENV, opts, gm)) {
                GradientResult r = session.run(Map.of(input, x), seed);
                assertRelative(name + " logits", r.outputs().get(output), logits);
                assertRelative(name + " inner activation", r.activations().get(inner), npy(entry, "inner"));
                assertRelative(name + " gradient w.r.t. input", r.gradients().get(input), npy(entry, "grad_input"));
                assertRelative(name + " gradient w.r.t. " + inner, r.gradients().get(inner), npy(entry, "grad_inner"));
            }
        }
    }

    private static void assertRelative(String what, Tensor got, Tensor expected) {
        assertThat(got.shape()).as(what + " shape").containsExactly(expected.shape());
        assertThat(TestTensors.maxDiff(expected, Tensor.zeros(expected.shape()))).as(what + " reference norm")
                .isPositive();
        assertThat(TestTensors.relativeError(got, expected)).as(what + " relative L2 error").isLessThanOrEqualTo(1e-4);
    }
}
