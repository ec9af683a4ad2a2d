package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xai4j.api.ModelOpener;
import io.xai4j.inject.Xai4j;
import io.xai4j.io.Npy;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lrp composites against Zennit's on a small ResNet of torchvision BasicBlocks whose BatchNormalization nodes
 * are kept in the ONNX file (Zennit merges them with its ResNetCanonizer, xai4j folds them), in float64 in Zennit:
 * relative L2 error at most 1e-4 ({@code tools/fixtures/make_lrp_fixtures.py}).
 */
class LrpZennitFixturesTest {
    @TempDir
    Path dir;

    @Test
    void everyCompositeMatchesZennit() throws Exception {
        JsonNode manifest = new ObjectMapper().readTree(resource("manifest.json"));
        Path model = dir.resolve("resnet.onnx");
        Files.write(model, resource("resnet.onnx"));
        Tensor x = Npy.read(resource("input.npy"), "input.npy");
        int target = manifest.get("target").asInt();
        Tensor seed = Tensor.zeros(1, 10);
        seed.set(target, 1f);
        try (Model m = Xai4j.injector().getInstance(ModelOpener.class).open(model, ModelOptions.defaults())) {
            for (Iterator<Map.Entry<String, JsonNode>> it = manifest.get("composites").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> c = it.next();
                Tensor expected = Npy.read(resource(c.getKey() + ".npy"), c.getKey());
                Tensor relevance = m.gradients().orElseThrow().vjp(new GradientRequest(Map.of("input", x), "logits",
                        seed, Set.of("input"), Set.of(), "lrp:composite=" + c.getValue().get("xai4j").asText(),
                        false)).gradients().get("input");
                assertThat(relativeL2(relevance, expected)).as(c.getKey()).isLessThan(1e-4);
            }
        }
    }

    private static double relativeL2(Tensor actual, Tensor expected) {
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < expected.size(); i++) {
            double d = actual.get(i) - expected.get(i);
            difference += d * d;
            norm += (double) expected.get(i) * expected.get(i);
        }
        return Math.sqrt(difference / norm);
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = LrpZennitFixturesTest.class.getResourceAsStream("/lrp/" + name)) {
            return in.readAllBytes();
        }
    }
}
