package io.xai4j.methods.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.spi.backward.BackwardRuleSet;
import io.xai4j.testing.TestTensors;
import io.xai4j.testing.models.QuadraticModel;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class RegistrationTest {
    private static List<AttributionMethod> methods() {
        return ServiceLoader.load(AttributionMethod.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    @Test
    void everyMethodIsRegisteredWithAGradientDescriptorAndValidDefaults() {
        assertThat(methods()).extracting(m -> m.descriptor().name()).containsExactlyInAnyOrder("saliency",
                "input-x-gradient", "integrated-gradients", "gradient-shap", "smoothgrad", "smoothgrad-sq", "vargrad",
                "guided-backprop", "deconvnet", "guided-grad-cam", "deeplift", "deeplift-shap", "lrp");
        for (AttributionMethod m : methods()) {
            assertThat(m.descriptor().family()).isEqualTo(MethodFamily.GRADIENT);
            assertThat(m.descriptor().version()).isEqualTo("1.0");
            assertThat(m.descriptor().requires(Requirement.GRADIENTS)).isTrue();
            assertThat(Parameters.parse(m.descriptor(), Map.of()).asText()).isNotNull();
        }
    }

    @Test
    void theRectifierRuleSetsAreRegistered() {
        assertThat(ServiceLoader.load(BackwardRuleSet.class).stream().map(p -> p.get().name()))
                .containsExactlyInAnyOrder("guided-backprop", "deconvnet", "deeplift", "lrp");
    }

    @Test
    void aModelWithoutGradientsGivesMissingCapabilityNamingTheMethod() {
        QuadraticModel model = QuadraticModel.random(1, 2, 3);
        model.gradientEngine(false);
        for (AttributionMethod m : methods()) {
            assertThatThrownBy(() -> Fixtures.attribute(m, model, TestTensors.random(1, 1, 3), Fixtures.classes(0),
                    Map.of()))
                    .isInstanceOfSatisfying(XaiException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_CAPABILITY))
                    .hasMessageContaining("'" + m.descriptor().name() + "'").hasMessageContaining("occlusion");
        }
        assertThat(model.forwardBatches()).isEmpty();
    }
}
