package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.inject.Injector;
import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.ModelOpener;
import io.xai4j.explain.Explanation;
import io.xai4j.image.Images;
import io.xai4j.image.Preprocessing;
import io.xai4j.inject.Xai4j;
import io.xai4j.io.Npy;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.target.TargetParser;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's Java example, run on the demo model: embedders use the same API as the CLI. */
class EmbeddingApiTest {
    @Test
    void readmeExampleExplainsAnImage() throws Exception {
        Path modelFile = resource("shapes-cnn.onnx");
        Path imageFile = resource("samples/two-shapes.png");

        Injector injector = Xai4j.injector();
        Explainer explainer = injector.getInstance(Explainer.class);
        try (Model model = injector.getInstance(ModelOpener.class).open(modelFile, ModelOptions.defaults())) {
            Tensor image = Preprocessing.IMAGENET.forInput(model.signature().firstInput())
                    .apply(Images.read(imageFile)).tensor();
            List<Explanation> explanations = explainer.explain(model, Map.of("image", image),
                    ExplainOptions.builder("occlusion").target(TargetParser.parse("top1")).param("window", "16,16").build());
            Tensor attribution = explanations.get(0).attribution();

            assertThat(attribution.shape()).containsExactly(1, 3, 64, 64);
            assertThat(explanations.get(0).predictions().get(0).get(0).index()).isZero();
            assertThat(explanations.get(0).provenance().modelSha256()).hasSize(64);
        }
    }

    @Test
    void demoModelReproducesPyTorchLogitsOnItsSamples() throws Exception {
        Injector injector = Xai4j.injector();
        try (Model model = injector.getInstance(ModelOpener.class).open(resource("shapes-cnn.onnx"), ModelOptions.defaults())) {
            for (String sample : List.of("circle", "square", "triangle", "cross", "star", "two-shapes", "two-shapes-2",
                    "two-shapes-3")) {
                Tensor image = Preprocessing.IMAGENET.forInput(model.signature().firstInput())
                        .apply(Images.read(resource("samples/" + sample + ".png"))).tensor();
                Tensor expectedInput = Npy.read(testResource("demo-expected/" + sample + ".input.npy"));
                Tensor expectedLogits = Npy.read(testResource("demo-expected/" + sample + ".logits.npy"));
                for (int i = 0; i < image.size(); i++) {
                    assertThat(image.get(i)).as(sample + " input %d", i).isCloseTo(expectedInput.get(i),
                            within(1e-5f));
                }
                Tensor logits = model.forward(Map.of("image", image)).get("logits");
                for (int i = 0; i < logits.size(); i++) {
                    assertThat(logits.get(i)).as(sample + " logit %d", i).isCloseTo(expectedLogits.get(i),
                            within(1e-3f));
                }
            }
        }
    }

    private static Path resource(String name) throws Exception {
        return Path.of(EmbeddingApiTest.class.getResource("/io/xai4j/cli/demo/" + name).toURI());
    }

    private static Path testResource(String name) throws Exception {
        return Path.of(EmbeddingApiTest.class.getResource("/" + name).toURI());
    }
}
