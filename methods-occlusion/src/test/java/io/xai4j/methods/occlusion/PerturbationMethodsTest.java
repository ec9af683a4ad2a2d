package io.xai4j.methods.occlusion;

import static io.xai4j.methods.occlusion.Fixtures.classes;
import static io.xai4j.testing.TestTensors.random;
import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.models.QuadraticModel;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every perturbation method must have. */
class PerturbationMethodsTest {

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of(new Occlusion(), Map.of("window", "3,3", "stride", "2,2", "baseline", "0.1")),
                Arguments.of(new Occlusion(), Map.of()),
                Arguments.of(new Rise(), Map.of("masks", "11", "cell", "3")),
                Arguments.of(new FeatureAblation(), Map.of("grid", "2,3")),
                Arguments.of(new KernelShap(), Map.of("grid", "3,3", "samples", "5")),
                Arguments.of(new ShapleySampling(), Map.of("grid", "3,3", "permutations", "2")),
                Arguments.of(new ExactShapley(), Map.of("grid", "4,3")),
                Arguments.of(new Lime(), Map.of("grid", "4,3", "samples", "9", "fit", "ridge")));
    }

    @ParameterizedTest
    @MethodSource("methods")
    void batchingDoesNotChangeResults(AttributionMethod method, Map<String, String> parameters) {
        Tensor x = random(1, 2, 2, 7, 6);
        Tensor unbatched = Fixtures.run(method, QuadraticModel.randomLinear(2, 3, 2, 7, 6), 1000, 5, x, classes(0, 2),
                parameters).tensors().get("x");
        for (int batch : new int[] {1, 2, 3}) {
            QuadraticModel model = QuadraticModel.randomLinear(2, 3, 2, 7, 6);
            Tensor batched = Fixtures.run(method, model, batch, 5, x, classes(0, 2), parameters).tensors().get("x");

            assertThat(batched).as("batch size %d", batch).isEqualTo(unbatched);
            assertThat(model.forwardBatches()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(batch));
        }
    }

    @ParameterizedTest
    @MethodSource("methods")
    void perExampleTargetsMatchOneByOneRuns(AttributionMethod method, Map<String, String> parameters) {
        QuadraticModel model = QuadraticModel.randomLinear(3, 3, 2, 7, 6);
        Tensor x = random(4, 3, 2, 7, 6);
        int[] targets = {0, 2, 1};

        Tensor together = Fixtures.run(method, model, 4, 9, x, classes(targets), parameters).tensors().get("x");

        assertThat(together.shape()).containsExactly(3, 2, 7, 6);
        for (int i = 0; i < 3; i++) {
            Tensor alone = Fixtures.run(method, model, 4, 9, x.rows(i, i + 1).copy(), classes(targets[i]), parameters)
                    .tensors().get("x");
            assertThat(together.rows(i, i + 1).copy()).as("example %d", i).isEqualTo(alone);
        }
    }

    @Test
    void methodsAreRegisteredWithValidDescriptors() {
        List<AttributionMethod> methods = ServiceLoader.load(AttributionMethod.class).stream()
                .map(ServiceLoader.Provider::get).toList();

        assertThat(methods).extracting(m -> m.descriptor().name())
                .containsExactlyInAnyOrder("occlusion", "rise", "feature-ablation", "kernel-shap",
                        "shapley-sampling", "shapley", "lime", "feature-permutation");
        for (AttributionMethod method : methods) {
            assertThat(method.descriptor().family()).isEqualTo(MethodFamily.PERTURBATION);
            assertThat(method.descriptor().version()).isEqualTo("1.0");
            assertThat(method.descriptor().description()).isNotBlank().doesNotContain("\n");
            if (!method.descriptor().requires(Requirement.BATCH)) {
                assertThat(method.descriptor().parameters()).extracting(ParameterSpec::name).contains("baseline");
                assertThat(Parameters.parse(method.descriptor(), Map.of()).getBaseline("baseline").spec())
                        .isEqualTo("zeros");
            }
        }
    }
}
