package io.xai4j.onnx.grad;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession;
import io.xai4j.io.Npy;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.spi.GradientResult;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole models exported from PyTorch: gradients of {@code logits[0, target]} with respect to the input and an
 * inner tensor must match PyTorch autograd to a relative L2 error of 1e-4 (float32).
 */
class PyTorchFixtureTest {
    private static final String DIR = "/gradients/";

    @SuppressWarnings("unchecked")
    static Stream<Arguments> fixtures() throws IOException {
        List<Object> manifest = (List<Object>) MiniJson.parse(new String(resource("manifest.json"), StandardCharsets.UTF_8));
        return manifest.stream().map(e -> (Map<String, Object>) e)
                .map(e -> Arguments.of(e.get("model") + " opset " + ((Number) e.get("opset")).intValue(), e));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PyTorchFixtureTest.class.getResourceAsStream(DIR + name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static Tensor npy(Map<String, Object> entry, String key) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> files = (Map<String, Object>) entry.get("files");
        String file = (String) files.get(key);
        return Npy.read(resource(file), file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void gradientsMatchPyTorch(String name, Map<String, Object> entry) throws IOException, ai.onnxruntime.OrtException {
        ModelProto model = ModelProto.parseFrom(resource((String) entry.get("file")));
        String input = (String) entry.get("input");
        String inner = (String) entry.get("inner_tensor");
        Tensor x = npy(entry, "input");
        Tensor logits = npy(entry, "logits");
        int target = ((Number) entry.get("target_class")).intValue();
        GradientModel gm = GradientGraphBuilder.forModel(model).inputShapes(Map.of(input, x.shape()))
                .output((String) entry.get("output")).wrt(input, inner).activations(List.of(inner)).build(GradCheck.ENV);
        Tensor seed = Tensor.zeros(logits.shape());
        seed.set(target, 1f);
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (GradientSession session = GradientSession.open(GradCheck.ENV, opts, gm)) {
                GradientResult r = session.run(Map.of(input, x), seed);
                assertRelative(name + " logits", r.outputs().get(entry.get("output")), logits);
                assertRelative(name + " inner activation", r.activations().get(inner), npy(entry, "inner"));
                assertRelative(name + " gradient w.r.t. input", r.gradients().get(input), npy(entry, "grad_input"));
                assertRelative(name + " gradient w.r.t. " + inner, r.gradients().get(inner), npy(entry, "grad_inner"));
            }
        }
    }

    private static void assertRelative(String what, Tensor got, Tensor expected) {
        assertThat(got.shape()).as(what + " shape").containsExactly(expected.shape());
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < got.size(); i++) {
            double d = got.get(i) - expected.get(i);
            diff += d * d;
            norm += (double) expected.get(i) * expected.get(i);
        }
        assertThat(norm).as(what + " reference norm").isPositive();
        assertThat(Math.sqrt(diff / norm)).as(what + " relative L2 error").isLessThanOrEqualTo(1e-4);
    }
}
