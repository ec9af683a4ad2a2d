package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Explainer;
import io.xai4j.api.ModelOpener;
import io.xai4j.explain.Explanation;
import io.xai4j.inject.Xai4j;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.target.TargetParser;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient methods told a layer (a tensor, or a scope such as {@code layer4}) attribute to it, as Captum's layer
 * methods do, on an image model.
 */
class LayerGradientMethodsTest {
    private static final int TARGET = 3;

    @Test
    void saliencyAndInputXGradientAtALayerUseTheGradientWithRespectToThatLayer(@TempDir Path dir) throws Exception {
        Explainer explainer = Xai4j.injector().getInstance(Explainer.class);
        try (Model model = Xai4j.injector().getInstance(ModelOpener.class).open(Fixtures.resnet(dir),
                ModelOptions.defaults())) {
            Random random = new Random(5);
            Tensor x = Tensor.zeros(1, 3, 64, 64);
            for (int i = 0; i < x.size(); i++) {
                x.set(i, (float) random.nextGaussian());
            }
            String input = model.signature().firstInput().name();
            String layer = Fixtures.RESNET_INNER;
            Tensor seed = Tensor.zeros(1, 10);
            seed.set(TARGET, 1f);
            GradientResult r = model.gradients().orElseThrow().vjp(new GradientRequest(Map.of(input, x),
                    model.signature().firstOutput().name(), seed, Set.of(layer), Set.of(layer), GradientRequest.EXACT,
                    false));
            Tensor gradient = r.gradients().get(layer);
            Tensor activation = r.activations().get(layer);

            Tensor saliency = explain(explainer, model, input, x, "saliency", "layer4", Map.of("abs", "false"));
            Tensor inputXGradient = explain(explainer, model, input, x, "input-x-gradient", layer, Map.of());
            assertThat(saliency.shape()).containsExactly(gradient.shape());
            double largest = 0;
            for (int i = 0; i < gradient.size(); i++) {
                largest = Math.max(largest, Math.abs(gradient.get(i)));
            }
            assertThat(largest).isPositive();
            for (int i = 0; i < gradient.size(); i++) {
                assertThat((double) saliency.get(i)).isCloseTo(gradient.get(i), within(1e-5 * largest));
                assertThat((double) inputXGradient.get(i))
                        .isCloseTo((double) gradient.get(i) * activation.get(i), within(1e-4 * largest));
            }
        }
    }

    private static Tensor explain(Explainer explainer, Model model, String input, Tensor x, String method,
            String layer, Map<String, String> parameters) {
        List<Explanation> e = explainer.explain(model, Map.of(input, x), ExplainOptions.builder(method)
                .target(TargetParser.parse(String.valueOf(TARGET))).params(parameters).layer(layer).build());
        assertThat(e.get(0).details()).containsEntry("layer", Fixtures.RESNET_INNER);
        assertThat((String) e.get(0).details().get("layerSelection")).startsWith("given");
        return e.get(0).attributions().get(Fixtures.RESNET_INNER);
    }
}
