package io.xai4j.methods.gradient;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;

import io.xai4j.testing.MethodConformance;
import io.xai4j.testing.models.AnalyticModel;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every method this module registers against the conformance checks, with few steps and samples, attributing to
 * the input and to the kit model's layer.
 */
class ConformanceTest {
    private static final Map<String, Map<String, String>> PARAMETERS = Map.of(
            "integrated-gradients", Map.of("steps", "8"),
            "gradient-shap", Map.of("samples", "5"),
            "smoothgrad", Map.of("samples", "5"),
            "smoothgrad-sq", Map.of("samples", "5"),
            "vargrad", Map.of("samples", "5"));

    @TestFactory
    Stream<DynamicTest> everyRegisteredMethodConforms() {
        return MethodConformance.registered().flatMap(c -> configured(c).tests());
    }

    @TestFactory
    Stream<DynamicContainer> everyRegisteredMethodConformsAtALayer() {
        return MethodConformance.registered().map(c -> dynamicContainer(c.method().descriptor().name() + " at a layer",
                configured(c).layer(AnalyticModel.LAYER).tests()));
    }

    private static MethodConformance configured(MethodConformance c) {
        return c.parameters(PARAMETERS.getOrDefault(c.method().descriptor().name(), Map.of()));
    }
}
