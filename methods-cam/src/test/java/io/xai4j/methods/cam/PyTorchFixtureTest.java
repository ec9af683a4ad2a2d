package io.xai4j.methods.cam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.batch.Batcher;
import io.xai4j.io.Npy;
import io.xai4j.layer.LayerSelector;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.ModelOptions;
import io.xai4j.spi.Parameters;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw CAM maps of four small PyTorch models (ResNet, VGG with batch norm, MobileNetV2, ViT) exported to ONNX,
 * against maps computed in float64 from PyTorch activations and gradients ({@code cam/manifest.json}): relative
 * error (max absolute difference over max absolute reference) at most 1e-4. The layer is chosen automatically
 * and must be the fixture's layer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PyTorchFixtureTest {
    private static final double TOLERANCE = 1e-4;
    private Path dir;
    private JsonNode manifest;
    private final Map<String, OnnxModel> models = new java.util.HashMap<>();

    @BeforeAll
    void load() throws IOException, URISyntaxException {
        dir = Path.of(PyTorchFixtureTest.class.getResource("/cam/manifest.json").toURI()).getParent();
        manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
    }

    @AfterAll
    void close() {
        models.values().forEach(OnnxModel::close);
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String model : List.of("resnet", "vgg_bn", "mobilenet_v2", "vit")) {
            cases.add(Arguments.of(model, "grad-cam", Map.of(), "gradcam"));
            cases.add(Arguments.of(model, "grad-cam", Map.of("relu", "false"), "gradcam_norelu"));
            cases.add(Arguments.of(model, "grad-cam-plus-plus", Map.of(), "gradcampp"));
            cases.add(Arguments.of(model, "xgrad-cam", Map.of(), "xgradcam"));
            cases.add(Arguments.of(model, "hires-cam", Map.of(), "hirescam"));
            cases.add(Arguments.of(model, "layer-cam", Map.of(), "layercam"));
            cases.add(Arguments.of(model, "score-cam", Map.of(), "scorecam"));
            cases.add(Arguments.of(model, "eigen-cam", Map.of(), "eigencam_uncentred_projection"));
        }
        return cases.stream();
    }

    private JsonNode entry(String model) {
        for (JsonNode m : manifest.get("models")) {
            if (m.get("model").asText().equals(model)) {
                return m;
            }
        }
        throw new IllegalArgumentException(model);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void rawMapsMatchPyTorch(String name, String method, Map<String, String> parameters, String reference) {
        JsonNode m = entry(name);
        OnnxModel model = models.computeIfAbsent(name, n -> OnnxModel.load(dir.resolve(m.get("file").asText()),
                ModelOptions.defaults()));
        Tensor input = Npy.read(dir.resolve(m.get("files").get("input").asText()));
        String inputName = m.get("input").asText();
        String layer = LayerSelector.select(model, Map.of(inputName, input.shape()), null, m.get("output").asText())
                .tensor();
        assertThat(layer).as("automatic layer").isEqualTo(m.get("layer_tensor").asText());
        AttributionMethod cam = ServiceMethods.get(method);
        int target = m.get("target_class").asInt();
        Tensor got = cam.attribute(new AttributionContext(model, Batcher.defaults(), 1), new AttributionRequest(
                Map.of(inputName, input), inputName, new ResolvedTarget(m.get("output").asText(),
                        List.of(new int[] {target}), List.of("class " + target)),
                Parameters.parse(cam.descriptor(), parameters), Optional.of(layer))).tensors().get(layer);
        Tensor expected = Npy.read(dir.resolve(m.get("files").get(reference).asText()));
        if (reference.startsWith("eigencam")) {
            expected = signedRelu(expected);
        }
        assertThat(got.shape()).isEqualTo(expected.shape());
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < got.size(); i++) {
            maxRef = Math.max(maxRef, Math.abs(expected.get(i)));
            maxDiff = Math.max(maxDiff, Math.abs(expected.get(i) - got.get(i)));
        }
        assertThat(maxDiff).as("max difference, reference max " + maxRef)
                .isLessThanOrEqualTo(maxRef == 0 ? 1e-6 : TOLERANCE * maxRef);
    }

    /** The un-centred projection with the sign that makes its sum positive, then ReLU. */
    private static Tensor signedRelu(Tensor projection) {
        double sum = 0;
        for (int i = 0; i < projection.size(); i++) {
            sum += projection.get(i);
        }
        Tensor out = Tensor.zeros(projection.shape());
        for (int i = 0; i < out.size(); i++) {
            out.set(i, Math.max(0f, (float) Math.signum(sum) * projection.get(i)));
        }
        return out;
    }

    /** Methods by name, from the service registration. */
    static final class ServiceMethods {
        static AttributionMethod get(String name) {
            return java.util.ServiceLoader.load(AttributionMethod.class).stream().map(java.util.ServiceLoader.Provider::get)
                    .filter(a -> a.descriptor().name().equals(name)).findFirst().orElseThrow();
        }
    }
}
