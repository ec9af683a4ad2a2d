package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.Xai;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.Preprocessing;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.io.LoadedInput;
import io.xai4j.metric.Evaluation;
import io.xai4j.metric.MetricRegistry;
import io.xai4j.metric.MetricResult;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.Model;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cascading randomisation check on the demo CNN: once every layer's weights are random, gradients no longer
 * resemble the original map, while an edge detector, which never looks at the model, is unchanged.
 */
class DemoRandomisationTest {

    /** The Sobel gradient magnitude of the channel sum: a map of the input alone. */
    static final class EdgeDetector implements AttributionMethod {
        @Override
        public MethodDescriptor descriptor() {
            return new MethodDescriptor("edges", MethodFamily.PERTURBATION, "1", "Sobel edges of the input", Set.of(),
                    List.of());
        }

        @Override
        public Attribution attribute(AttributionContext context, AttributionRequest request) {
            Tensor x = request.input();
            int n = x.dim(0);
            int c = x.dim(1);
            int h = x.dim(2);
            int w = x.dim(3);
            Tensor out = Tensor.zeros(n, 1, h, w);
            for (int i = 0; i < n; i++) {
                for (int y = 1; y < h - 1; y++) {
                    for (int xx = 1; xx < w - 1; xx++) {
                        double gx = 0;
                        double gy = 0;
                        for (int ch = 0; ch < c; ch++) {
                            gx += x.at(i, ch, y - 1, xx + 1) + 2 * x.at(i, ch, y, xx + 1) + x.at(i, ch, y + 1, xx + 1)
                                    - x.at(i, ch, y - 1, xx - 1) - 2 * x.at(i, ch, y, xx - 1) - x.at(i, ch, y + 1, xx - 1);
                            gy += x.at(i, ch, y + 1, xx - 1) + 2 * x.at(i, ch, y + 1, xx) + x.at(i, ch, y + 1, xx + 1)
                                    - x.at(i, ch, y - 1, xx - 1) - 2 * x.at(i, ch, y - 1, xx) - x.at(i, ch, y - 1, xx + 1);
                        }
                        out.set(out.flatIndex(i, 0, y, xx), (float) Math.hypot(gx, gy));
                    }
                }
            }
            return Attribution.of(request.inputName(), out);
        }
    }

    private static Path resource(String name) throws Exception {
        return Path.of(DemoRandomisationTest.class.getResource("/io/xai4j/cli/demo/" + name).toURI());
    }

    private static Evaluation evaluation(Xai xai) {
        MethodRegistry methods = new MethodRegistry(Map.of("saliency", xai.methods().get("saliency"),
                "edges", new EdgeDetector()), xai.plugins());
        return new Evaluation(new Explainer(methods), MetricRegistry.discover(), xai::open);
    }

    private static Map<String, Tensor> images(Model model) throws Exception {
        List<Tensor> rows = new ArrayList<>();
        for (String image : List.of("shapes-000.jpg", "shapes-100.jpg", "shapes-200.jpg", "shapes-299.jpg")) {
            rows.add(LoadedInput.load(resource("evalset/" + image), model.signature().firstInput(),
                    Preprocessing.IMAGENET).tensor().row(0));
        }
        return Map.of("image", Tensor.stack(rows));
    }

    @Test
    void gradientsChangeWhenTheModelIsRandomisedAndEdgesDoNot() throws Exception {
        Xai xai = Xai.discover();
        Evaluation evaluation = evaluation(xai);
        try (Model model = xai.open(resource("shapes-cnn.onnx"))) {
            Map<String, Tensor> inputs = images(model);
            List<Evaluation.Choice> mprt = List.of(new Evaluation.Choice("mprt", Map.of()));
            MetricResult saliency = evaluation.evaluate(model, inputs, ExplainOptions.builder("saliency").build(), mprt,
                    List.of(), null).get(0).results().get(0);
            MetricResult edges = evaluation.evaluate(model, inputs, ExplainOptions.builder("edges").build(), mprt,
                    List.of(), null).get(0).results().get(0);
            MetricResult again = evaluation.evaluate(model, inputs, ExplainOptions.builder("saliency").build(), mprt,
                    List.of(), null).get(0).results().get(0);

            assertThat((List<?>) saliency.details().get("layersFromOutput")).hasSizeGreaterThanOrEqualTo(4);
            assertThat(saliency.mean()).as("saliency, fully randomised").isLessThan(0.4);
            assertThat(edges.mean()).as("edges, fully randomised").isGreaterThan(0.99);
            assertThat(again.scores()).as("deterministic for a seed").containsExactly(saliency.scores());
            for (var curve : saliency.curves()) {
                assertThat(curve.scores()[0]).isEqualTo(1.0);
            }
        }
    }

    /** The data randomisation variant, given the demo CNN with random weights as the second model. */
    @Test
    void gradientsDifferOnASecondModelOfRandomWeightsAndEdgesDoNot(@TempDir Path dir) throws Exception {
        Xai xai = Xai.discover();
        Path second = Fixtures.reweighted(resource("shapes-cnn.onnx"), 3, dir);
        List<Evaluation.Choice> data = List.of(new Evaluation.Choice("data-randomisation",
                Map.of("model", second.toString())));
        try (Evaluation evaluation = evaluation(xai); Model model = xai.open(resource("shapes-cnn.onnx"))) {
            Map<String, Tensor> inputs = images(model);
            MetricResult saliency = evaluation.evaluate(model, inputs, ExplainOptions.builder("saliency").build(), data,
                    List.of(), null).get(0).results().get(0);
            MetricResult edges = evaluation.evaluate(model, inputs, ExplainOptions.builder("edges").build(), data,
                    List.of(), null).get(0).results().get(0);

            assertThat(java.util.Arrays.stream(saliency.scores()).max().orElseThrow()).as("saliency on the second model")
                    .isLessThan(0.4);
            assertThat(edges.scores()).as("edges, a map of the input alone").containsOnly(1.0);
            assertThat((List<?>) edges.details().get("ssim")).hasSize(4).allSatisfy(s -> assertThat((Double) s)
                    .isCloseTo(1.0, within(1e-9)));
            assertThat((List<?>) saliency.details().get("ssim")).allSatisfy(s -> assertThat((Double) s).isLessThan(0.9));
            assertThat(saliency.details()).containsEntry("model", second.getFileName().toString());
        }
    }

    @Test
    void aSecondModelOfOtherInputsOrOutputsIsRefused(@TempDir Path dir) throws Exception {
        Xai xai = Xai.discover();
        Path other = Fixtures.unaryModel(dir, "Relu");
        List<Evaluation.Choice> data = List.of(new Evaluation.Choice("data-randomisation",
                Map.of("model", other.toString())));
        try (Evaluation evaluation = evaluation(xai); Model model = xai.open(resource("shapes-cnn.onnx"))) {
            Map<String, Tensor> inputs = images(model);
            assertThatThrownBy(() -> evaluation.evaluate(model, inputs, ExplainOptions.builder("saliency").build(),
                    data, List.of(), null)).isInstanceOf(XaiException.class)
                    .hasMessageContaining("must have the evaluated model's inputs and outputs")
                    .hasMessageContaining("its inputs are [x[N,3]], not [image[")
                    .satisfies(e -> assertThat(((XaiException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
            assertThatThrownBy(() -> evaluation.evaluate(model, inputs, ExplainOptions.builder("saliency").build(),
                    List.of(new Evaluation.Choice("data-randomisation", Map.of())), List.of(), null))
                    .hasMessageContaining("--metric-param data-randomisation.model=FILE");
        }
    }
}
