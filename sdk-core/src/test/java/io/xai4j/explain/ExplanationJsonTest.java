package io.xai4j.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplanationJsonTest {

    static Explanation sample() {
        SplittableRandom random = new SplittableRandom(7);
        float[] values = new float[2 * 3 * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-8, 8)));
        }
        values[5] = Float.NaN;
        values[6] = Float.NEGATIVE_INFINITY;
        values[7] = Float.MIN_VALUE;
        Map<String, Tensor> attributions = new LinkedHashMap<>();
        attributions.put("pixel_values", Tensor.of(values, 2, 3, 4));
        attributions.put("/layer4/Relu_output_0", Tensor.of(new float[] {0.1f, -0.2f}, 2, 1));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("convergenceDelta", List.of(0.001, -0.25));
        details.put("steps", 50);
        details.put("note", "ok");
        details.put("nested", Map.of("flag", true));
        Provenance provenance = new Provenance("integrated-gradients", "1.0", Map.of("steps", "50"), "top1",
                "model.onnx", "ab12", "onnxruntime", "cpu", Provenance.currentSdkVersion(), 42L, "resize 224",
                null, "exact", List.of("cat.png", "dog.png"), Instant.parse("2026-01-02T03:04:05.123Z"),
                Map.of("forward", 12.5, "total", 30.0));
        return new Explanation("integrated-gradients", "top1", List.of("top-1 (class 1)", "top-1 (class 4)"),
                attributions, List.of(List.of(new Prediction(1, "cat", 0.8, 3.2), new Prediction(0, "dog", 0.2, 1.8)),
                        List.of(new Prediction(4, "class 4", Double.NaN, 0.0))), details, provenance);
    }

    @Test
    void fullRoundTripGivesAnEqualExplanation(@TempDir Path dir) {
        Explanation original = sample();
        Path file = dir.resolve("explanation.json");
        ExplanationJson.write(original, file, ExplanationJson.TensorData.INCLUDE);
        Explanation read = ExplanationJson.read(file);
        assertThat(read).isEqualTo(original);
        assertThat(read.attributions().keySet()).containsExactly("pixel_values", "/layer4/Relu_output_0");
        assertThat(read.provenance().layer()).isNull();
    }

    @Test
    void jsonIsPrettyAndReadable() throws Exception {
        String json = ExplanationJson.toJson(sample(), ExplanationJson.TensorData.INCLUDE);
        assertThat(json).contains("\n  \"method\" : \"integrated-gradients\"")
                .contains("\"createdAt\" : \"2026-01-02T03:04:05.123Z\"");
        JsonNode tree = new ObjectMapper().readTree(json);
        assertThat(tree.at("/attributions/pixel_values/shape").toString()).isEqualTo("[2,3,4]");
        assertThat(tree.at("/attributions/pixel_values/data").size()).isEqualTo(24);
        assertThat(tree.at("/provenance/timingsMillis/forward").doubleValue()).isEqualTo(12.5);
    }

    @Test
    void summaryOmitsDataButKeepsShapeAndStatistics() throws Exception {
        Tensor t = Tensor.of(new float[] {1, -3, Float.NaN, 2}, 1, 4);
        Explanation e = new Explanation("saliency", "3", List.of("class 3"), Map.of("x", t), List.of(), Map.of(),
                sample().provenance());
        String json = ExplanationJson.toJson(e, ExplanationJson.TensorData.SUMMARY);
        JsonNode x = new ObjectMapper().readTree(json).at("/attributions/x");
        assertThat(x.has("data")).isFalse();
        assertThat(x.get("shape").toString()).isEqualTo("[1,4]");
        assertThat(x.get("min").doubleValue()).isEqualTo(-3);
        assertThat(x.get("max").doubleValue()).isEqualTo(2);
        assertThat(x.get("sum").doubleValue()).isEqualTo(0);
        assertThat(x.get("meanAbs").doubleValue()).isEqualTo(2);
        assertThat(x.get("nonFinite").intValue()).isEqualTo(1);
    }

    @Test
    void summaryFilesNeedTheTensorsSupplied(@TempDir Path dir) {
        Explanation original = sample();
        Path file = dir.resolve("explanation.json");
        ExplanationJson.write(original, file, ExplanationJson.TensorData.SUMMARY);
        assertThatThrownBy(() -> ExplanationJson.read(file)).isInstanceOfSatisfying(XaiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_FILE))
                .hasMessageContaining("attribution 'pixel_values'").hasMessageContaining("only a summary");
        assertThat(ExplanationJson.read(file, original.attributions())).isEqualTo(original);
        Map<String, Tensor> wrongShape = new LinkedHashMap<>(original.attributions());
        wrongShape.put("pixel_values", Tensor.zeros(2, 12));
        assertThatThrownBy(() -> ExplanationJson.read(file, wrongShape)).isInstanceOfSatisfying(XaiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessageContaining("[2, 12]").hasMessageContaining("[2, 3, 4]");
    }

    @Test
    void streamsStayOpenAndRoundTrip() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExplanationJson.write(sample(), out, ExplanationJson.TensorData.INCLUDE);
        out.write('\n');
        assertThat(ExplanationJson.read(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(sample());
    }

    @Test
    void malformedInputIsACorruptFile(@TempDir Path dir) throws Exception {
        Path notJson = Files.writeString(dir.resolve("a.json"), "{ nope", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ExplanationJson.read(notJson)).isInstanceOfSatisfying(XaiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_FILE)).hasMessageContaining("not valid JSON");
        Path partial = Files.writeString(dir.resolve("b.json"), "{\"method\":\"x\"}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ExplanationJson.read(partial)).isInstanceOfSatisfying(XaiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_FILE)).hasMessageContaining("missing field 'target'");
    }

    @Test
    void sdkVersionFallsBackOutsideAJar() {
        assertThat(Provenance.currentSdkVersion()).isEqualTo(Provenance.DEVELOPMENT_VERSION);
    }
}
