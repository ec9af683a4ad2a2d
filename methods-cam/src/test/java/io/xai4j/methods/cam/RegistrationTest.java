package io.xai4j.methods.cam;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistrationTest {
    private static final Set<String> GRADIENT_CAMS = Set.of("grad-cam", "grad-cam-plus-plus", "xgrad-cam",
            "hires-cam", "layer-cam");

    @Test
    void everyCamIsRegisteredWithItsRequirementsAndValidDefaults() {
        List<AttributionMethod> methods = ServiceLoader.load(AttributionMethod.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertThat(methods).extracting(m -> m.descriptor().name()).containsExactlyInAnyOrder("activation-map", "cam",
                "grad-cam", "grad-cam-plus-plus", "xgrad-cam", "hires-cam", "layer-cam", "eigen-cam", "score-cam",
                "ablation-cam");
        for (AttributionMethod m : methods) {
            assertThat(m.descriptor().family()).isEqualTo(MethodFamily.CAM);
            Set<Requirement> expected = GRADIENT_CAMS.contains(m.descriptor().name())
                    ? Set.of(Requirement.GRADIENTS, Requirement.LAYER) : Set.of(Requirement.LAYER);
            assertThat(m.descriptor().requirements()).as(m.descriptor().name()).isEqualTo(expected);
            assertThat(m.descriptor().parameter("grid")).isPresent();
            assertThat(Parameters.parse(m.descriptor(), Map.of()).has("grid")).isFalse();
        }
    }
}
