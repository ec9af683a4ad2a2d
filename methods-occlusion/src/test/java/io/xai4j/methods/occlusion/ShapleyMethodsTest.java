package io.xai4j.methods.occlusion;

import static io.xai4j.methods.occlusion.Fixtures.classes;
import static io.xai4j.testing.TestTensors.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.models.QuadraticModel;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Shapley estimators against closed forms and brute force over every coalition. */
class ShapleyMethodsTest {
    /** Example [2,3,4]; grid 2,2 makes 4 groups of 2 x 2 pixels (the last row 1 pixel high), both channels. */
    private static final int[] SHAPE = {2, 3, 4};
    private static final IntUnaryOperator GRID_2X2 = e -> {
        int[] at = OcclusionTest.unflatten(e, SHAPE);
        return at[1] / 2 * 2 + at[2] / 2;
    };

    static Stream<Arguments> shapleyEstimators() {
        return Stream.of(
                Arguments.of(new KernelShap(), Map.of("samples", "14")),
                Arguments.of(new KernelShap(), Map.of("samples", "9")),
                Arguments.of(new ShapleySampling(), Map.of("permutations", "3")),
                Arguments.of(new ExactShapley(), Map.of()));
    }

    /** On a sum of per-element functions, a group's Shapley value is the sum of its elements' changes. */
    @ParameterizedTest
    @MethodSource("shapleyEstimators")
    void equalTheClosedFormOnAnAdditiveModel(AttributionMethod method, Map<String, String> parameters) {
        QuadraticModel model = QuadraticModel.random(1, 3, SHAPE);
        Tensor x = random(2, 2, 2, 3, 4);
        Map<String, String> all = with(parameters, "grid", "2,2", "baseline", "0.25");

        Attribution result = Fixtures.run(method, model, 64, 3, x, classes(2, 1), all);

        Tensor a = result.tensors().get("x");
        for (int n = 0; n < 2; n++) {
            int k = n == 0 ? 2 : 1;
            double[] phi = new double[4];
            for (int e = 0; e < 24; e++) {
                double xe = x.row(n).get(e);
                phi[GRID_2X2.applyAsInt(e)] += model.linearWeight(k, e) * (xe - 0.25)
                        + model.squareWeight(k, e) * (xe * xe - 0.0625);
            }
            for (int e = 0; e < 24; e++) {
                assertThat(a.row(n).get(e)).as("example %d element %d", n, e)
                        .isCloseTo((float) phi[GRID_2X2.applyAsInt(e)], within(2e-5f));
            }
        }
        assertAdditive(result, 2);
    }

    @Test
    void kernelShapWithEveryCoalitionIsExactOnAModelWithInteractions() {
        InteractionModel model = new InteractionModel(5, 3, SHAPE);
        Tensor x = random(6, 1, 2, 3, 4);

        Attribution result = Fixtures.run(new KernelShap(), model, 64, 0, x, classes(1),
                Map.of("samples", "14", "grid", "2,2"));

        assertThat(result.details()).containsEntry("exact", true).containsEntry("groups", 4);
        assertMatchesBruteForce(result.tensors().get("x"), model, x, 1, 0f, 4, GRID_2X2, 2e-5);
    }

    @Test
    void kernelShapSamplesConvergeToTheShapleyValues() {
        InteractionModel model = new InteractionModel(7, 2, 8);
        Tensor x = random(8, 1, 8);

        Tensor few = Fixtures.attribute(new KernelShap(), model, x, classes(0), Map.of("samples", "40"));
        Tensor many = Fixtures.attribute(new KernelShap(), model, x, classes(0), Map.of("samples", "200"));

        double[] phi = Coalitions.shapley(a -> model.logit(a, 0), x, 0f, 8, e -> e);
        double errorFew = maxError(few, phi);
        double errorMany = maxError(many, phi);
        assertThat(errorMany).isLessThan(0.05).isLessThan(errorFew);
    }

    @Test
    void exactShapleyEqualsBruteForceOnAModelWithInteractions() {
        InteractionModel model = new InteractionModel(11, 3, SHAPE);
        Tensor x = random(12, 2, 2, 3, 4);

        Attribution result = Fixtures.run(new ExactShapley(), model, 5, 0, x, classes(0, 2),
                Map.of("grid", "2,2", "baseline", "-0.5"));

        assertMatchesBruteForce(result.tensors().get("x").row(0), model, x.row(0), 0, -0.5f, 4, GRID_2X2, 2e-5);
        assertMatchesBruteForce(result.tensors().get("x").row(1), model, x.row(1), 2, -0.5f, 4, GRID_2X2, 2e-5);
        assertAdditive(result, 2);
        // 16 coalitions per example in batches of at most 5
        assertThat(model.forwardBatches()).containsExactly(5, 5, 5, 1, 5, 5, 5, 1);
    }

    @Test
    void shapleySamplingConvergesToTheShapleyValues() {
        InteractionModel model = new InteractionModel(13, 2, 6);
        Tensor x = random(14, 1, 6);

        Tensor few = Fixtures.attribute(new ShapleySampling(), model, x, classes(1), Map.of("permutations", "5"));
        Tensor many = Fixtures.attribute(new ShapleySampling(), model, x, classes(1), Map.of("permutations", "2000"));

        double[] phi = Coalitions.shapley(a -> model.logit(a, 1), x, 0f, 6, e -> e);
        assertThat(maxError(many, phi)).isLessThan(0.03).isLessThan(maxError(few, phi));
    }

    @Test
    void refusesExactShapleyOnManyGroupsBeforeAnyModelCall() {
        QuadraticModel model = QuadraticModel.random(15, 2, 8, 8);

        assertThatThrownBy(() -> Fixtures.attribute(new ExactShapley(), model, random(16, 1, 8, 8), classes(0),
                Map.of("grid", "1,1")))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContainingAll("64 feature groups", "2^64 = 1.84e+19 model evaluations", "at most 12",
                        "kernel-shap");
        assertThatThrownBy(() -> Fixtures.attribute(new ShapleySampling(), model, random(16, 1, 8, 8), classes(0),
                Map.of("grid", "1,1", "permutations", "100000")))
                .hasMessageContainingAll("64 feature groups take 6,300,002 model evaluations", "limit of 1,000,000");
        assertThat(model.forwardBatches()).isEmpty();
    }

    @Test
    void warnsWhenSamplesCannotResolveTheGroups() {
        QuadraticModel model = QuadraticModel.random(9, 2, 12);

        Attribution result = Fixtures.run(new KernelShap(), model, 64, 0, random(10, 1, 12), classes(1),
                Map.of("samples", "6"));

        assertThat(result.details()).containsEntry("exact", false);
        assertThat((List<?>) result.details().get("warnings")).singleElement().asString()
                .contains("12 feature groups but only 6 samples");
    }

    static void assertMatchesBruteForce(Tensor a, InteractionModel model, Tensor x, int k, float baseline, int groups,
            IntUnaryOperator groupOf, double tolerance) {
        double[] phi = Coalitions.shapley(v -> model.logit(v, k), x, baseline, groups, groupOf);
        for (int e = 0; e < x.size(); e++) {
            assertThat((double) a.get(e)).as("element %d", e).isCloseTo(phi[groupOf.applyAsInt(e)], within(tolerance));
        }
    }

    static void assertAdditive(Attribution result, int examples) {
        assertThat((List<?>) result.details().get("additivityError")).hasSize(examples)
                .allSatisfy(error -> assertThat((double) (Double) error).isCloseTo(0, within(1e-4)));
    }

    private static double maxError(Tensor a, double[] phi) {
        double max = 0;
        for (int e = 0; e < phi.length; e++) {
            max = Math.max(max, Math.abs(a.get(e) - phi[e]));
        }
        return max;
    }

    static Map<String, String> with(Map<String, String> parameters, String... more) {
        Map<String, String> all = new java.util.LinkedHashMap<>(parameters);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }
}
