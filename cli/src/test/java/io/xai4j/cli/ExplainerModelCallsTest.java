package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.Xai;
import io.xai4j.explain.Explanation;
import io.xai4j.explain.ExplanationJson;
import io.xai4j.explain.Prediction;
import io.xai4j.explain.Predictions;
import io.xai4j.inject.Xai4j;
import io.xai4j.layer.GraphView;
import io.xai4j.spi.GradientEngine;
import io.xai4j.spi.LayerInfo;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.ModelSignature;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import io.xai4j.testing.models.AnalyticModel;
import io.xai4j.testing.models.QuadraticModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the Explainer runs the model for, counted on a pure-Java model with exact gradients: for a class target no
 * forward pass beyond the method's own calls, predictions equal to those of a forward pass for every method, and
 * the layer resolved once per model; and on ONNX Runtime, predictions that agree with a forward pass to float
 * rounding (the gradient graph fuses kernels differently).
 */
class ExplainerModelCallsTest {
    private static final Explainer EXPLAINER = Xai4j.injector().getInstance(Explainer.class);
    private static final int STEPS = 8;

    @ParameterizedTest
    @ValueSource(strings = {"saliency", "input-x-gradient", "integrated-gradients", "grad-cam", "grad-cam-plus-plus",
            "layer-cam"})
    void aClassTargetNeedsNoForwardPass(String method) {
        QuadraticModel model = classifier();
        List<Explanation> e = explain(model, method, "2");
        assertThat(model.forwardBatches()).as("forward passes").isEmpty();
        assertThat(model.engineBatches()).as("rows of each gradient engine call")
                .containsExactly(method.equals("integrated-gradients") ? 2 * (STEPS + 2) : 2);
        assertThat(e.get(0).provenance().timingsMillis()).doesNotContainKey("forward");
    }

    @Test
    void aTop1TargetCostsOneForwardPass() {
        QuadraticModel model = classifier();
        explain(model, "saliency", "top1");
        assertThat(model.forwardBatches()).containsExactly(2);
        assertThat(model.engineBatches()).containsExactly(2);
    }

    @Test
    void everyMethodReportsThePredictionsOfAForwardPass() {
        QuadraticModel model = classifier();
        Tensor y = model.forward(inputs(), Set.of(AnalyticModel.OUTPUT)).get(AnalyticModel.OUTPUT);
        List<List<Prediction>> expected = new ArrayList<>();
        for (int n = 0; n < y.dim(0); n++) {
            expected.add(Predictions.top(y.row(n), Explainer.TOP_PREDICTIONS, List.of()));
        }
        List<String> methods = EXPLAINER.methods().descriptors().stream().map(MethodDescriptor::name).toList();
        assertThat(methods).hasSizeGreaterThanOrEqualTo(17);
        for (String method : methods) {
            Explanation byClass = explain(model, method, "2").get(0);
            Explanation afterForwardPass = explain(model, method, "top1").get(0);
            assertThat(byClass.predictions()).as(method).isEqualTo(expected);
            assertThat(predictionsJson(byClass)).as(method).isEqualTo(predictionsJson(afterForwardPass));
        }
    }

    @Test
    void theLayerIsResolvedOncePerModel() {
        CountingModel model = new CountingModel(classifier());
        for (int call = 0; call < 3; call++) {
            assertThat(explain(model, "grad-cam", "1").get(0).details()).containsEntry("layer", AnalyticModel.LAYER);
        }
        explain(model, "eigen-cam", "0");
        assertThat(model.layerListings).as("layer listings of one model").hasValue(1);

        CountingModel other = new CountingModel(classifier());
        explain(other, "grad-cam", "1");
        assertThat(other.layerListings).as("layer listings of another model").hasValue(1);
    }

    @Test
    void onOnnxRuntimeThePredictionsAgreeWithAForwardPassToFloatRounding() throws Exception {
        Xai xai = Xai.discover();
        try (Model model = xai.open(demo("shapes-cnn.onnx"))) {
            Map<String, Tensor> image = Map.of("image", xai.load(model, demo("samples/two-shapes.png")).tensor());
            for (String method : List.of("saliency", "integrated-gradients", "grad-cam", "eigen-cam", "occlusion")) {
                List<Prediction> byClass = xai.explain(model, image, ExplainOptions.builder(method).target("1")
                        .build()).get(0).predictions().get(0);
                List<Prediction> afterForwardPass = xai.explain(model, image, ExplainOptions.builder(method)
                        .target("top1").build()).get(0).predictions().get(0);
                assertThat(byClass).hasSameSizeAs(afterForwardPass);
                for (int i = 0; i < byClass.size(); i++) {
                    Prediction got = byClass.get(i);
                    Prediction expected = afterForwardPass.get(i);
                    assertThat(got.index()).as(method).isEqualTo(expected.index());
                    assertThat(got.score()).as(method).isCloseTo(expected.score(),
                            within(1e-6 * Math.max(1, Math.abs(expected.score()))));
                    assertThat(got.probability()).as(method).isCloseTo(expected.probability(), within(1e-6));
                }
            }
        }
    }

    private static Path demo(String name) throws Exception {
        return Path.of(ExplainerModelCallsTest.class.getResource("/io/xai4j/cli/demo/" + name).toURI());
    }

    private static List<Explanation> explain(Model model, String method, String target) {
        ExplainOptions.Builder options = ExplainOptions.builder(method).target(target);
        if (method.equals("rise")) {
            options.param("masks", 20);
        } else if (method.equals("integrated-gradients")) {
            options.param("steps", STEPS);
        } else if (method.equals("shapley")) {
            options.param("grid", "2,2");
        }
        return EXPLAINER.explain(model, inputs(), options.build());
    }

    private static String predictionsJson(Explanation e) {
        String json = ExplanationJson.toJson(e, ExplanationJson.TensorData.SUMMARY);
        return json.substring(json.indexOf("\"predictions\""), json.indexOf("\"details\""));
    }

    /** Three classes over global average pooling of a quadratic layer [3,4,5]. */
    private static QuadraticModel classifier() {
        SplittableRandom random = new SplittableRandom(3);
        float[][] weights = new float[3][3];
        double[] bias = new double[3];
        for (int k = 0; k < 3; k++) {
            for (int c = 0; c < 3; c++) {
                weights[k][c] = (float) random.nextDouble(-1, 1);
            }
            bias[k] = random.nextDouble(-1, 1);
        }
        return (QuadraticModel) QuadraticModel.gapLinear(weights, bias, 4, 5).layerFunction(0, 1, 0.5);
    }

    private static Map<String, Tensor> inputs() {
        return Map.of(AnalyticModel.INPUT, TestTensors.random(5, 2, 3, 4, 5));
    }

    /** A model that counts how often its layers are listed and passes everything else on. */
    private static final class CountingModel implements Model {
        final AtomicInteger layerListings = new AtomicInteger();
        private final Model model;

        CountingModel(Model model) {
            this.model = model;
        }

        @Override
        public List<LayerInfo> layers(Map<String, int[]> inputShapes) {
            layerListings.incrementAndGet();
            return model.layers(inputShapes);
        }

        @Override
        public ModelSignature signature() {
            return model.signature();
        }

        @Override
        public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> outputs) {
            return model.forward(inputs, outputs);
        }

        @Override
        public Set<ModelCapability> capabilities() {
            return model.capabilities();
        }

        @Override
        public Optional<GradientEngine> gradients() {
            return model.gradients();
        }

        @Override
        public Optional<GraphView> graph() {
            return model.graph();
        }

        @Override
        public Model tail(String layer) {
            return model.tail(layer);
        }

        @Override
        public ModelInfo info() {
            return model.info();
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
