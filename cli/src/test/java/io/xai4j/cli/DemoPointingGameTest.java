package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.Xai;
import io.xai4j.image.Preprocessing;
import io.xai4j.io.LoadedInput;
import io.xai4j.metric.Evaluation;
import io.xai4j.metric.MetricContext;
import io.xai4j.metric.MetricRegistry;
import io.xai4j.metric.MetricRequest;
import io.xai4j.metric.MetricResult;
import io.xai4j.metric.localisation.GroundTruth;
import io.xai4j.metric.localisation.PointingGame;
import io.xai4j.spi.Model;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** On the demo's evaluation set, the pointing game ranks Grad-CAM far above a uniform random map. */
class DemoPointingGameTest {
    private static final String ROOT = "/io/xai4j/cli/demo/";

    private static Path resource(String name) throws Exception {
        return Path.of(DemoPointingGameTest.class.getResource(ROOT + name).toURI());
    }

    @Test
    void gradCamPointsAtTheShapesAndARandomMapDoesNot() throws Exception {
        Xai xai = Xai.discover();
        Map<String, GroundTruth> boxes = GroundTruth.readBoxes(resource("evalset/boxes.json"));
        try (Model model = xai.open(resource("shapes-cnn.onnx"))) {
            List<Tensor> rows = new ArrayList<>();
            List<GroundTruth> truths = new ArrayList<>();
            for (Map.Entry<String, GroundTruth> e : boxes.entrySet()) {
                rows.add(LoadedInput.load(resource("evalset/" + e.getKey()), model.signature().firstInput(),
                        Preprocessing.IMAGENET).tensor().row(0));
                truths.add(e.getValue());
            }
            Map<String, Tensor> inputs = Map.of("image", Tensor.stack(rows));
            Evaluation evaluation = new Evaluation(new Explainer(xai.methods()), MetricRegistry.discover());
            Evaluation.Scored gradCam = evaluation.evaluate(model, inputs, ExplainOptions.builder("grad-cam")
                            .classNames(List.of("circle", "square", "triangle", "cross", "star")).build(),
                    List.of(new Evaluation.Choice("pointing-game", Map.of())), truths, null).get(0);
            double gradCamAccuracy = gradCam.results().get(0).mean();

            SplittableRandom random = new SplittableRandom(42);
            Tensor uniform = Tensor.zeros(rows.size(), 1, 64, 64);
            for (int e = 0; e < uniform.size(); e++) {
                uniform.set(e, (float) random.nextDouble());
            }
            PointingGame game = new PointingGame();
            MetricResult randomResult = game.evaluate(new MetricContext(model, null, 0, null), new MetricRequest(inputs,
                    "image", gradCam.target(), uniform, Map.of(), gradCam.regions(), game.descriptor().parse(Map.of())));

            assertThat(boxes).hasSize(300);
            assertThat(gradCam.regions()).hasSize(300);
            // a predicted class that is not in the image has no region: such examples are left out
            assertThat(gradCam.regions().stream().filter(java.util.Objects::isNull).count()).isLessThan(30);
            assertThat(gradCamAccuracy).isGreaterThan(0.8);
            assertThat(gradCamAccuracy).isGreaterThan(randomResult.mean() + 0.4);
        }
    }
}
