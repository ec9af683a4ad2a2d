package io.xai4j.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class QuadratureTest {

    /** Known Gauss-Legendre nodes and weights on [-1, 1], for n = 1..5 (nodes ascending). */
    private static final double[][][] LEGENDRE = {
        {{0}, {2}},
        {{-1 / Math.sqrt(3), 1 / Math.sqrt(3)}, {1, 1}},
        {{-Math.sqrt(0.6), 0, Math.sqrt(0.6)}, {5.0 / 9, 8.0 / 9, 5.0 / 9}},
        {{-Math.sqrt(3.0 / 7 + 2.0 / 7 * Math.sqrt(1.2)), -Math.sqrt(3.0 / 7 - 2.0 / 7 * Math.sqrt(1.2)),
            Math.sqrt(3.0 / 7 - 2.0 / 7 * Math.sqrt(1.2)), Math.sqrt(3.0 / 7 + 2.0 / 7 * Math.sqrt(1.2))},
            {(18 - Math.sqrt(30)) / 36, (18 + Math.sqrt(30)) / 36, (18 + Math.sqrt(30)) / 36,
                (18 - Math.sqrt(30)) / 36}},
        {{-Math.sqrt(5 + 2 * Math.sqrt(10.0 / 7)) / 3, -Math.sqrt(5 - 2 * Math.sqrt(10.0 / 7)) / 3, 0,
            Math.sqrt(5 - 2 * Math.sqrt(10.0 / 7)) / 3, Math.sqrt(5 + 2 * Math.sqrt(10.0 / 7)) / 3},
            {(322 - 13 * Math.sqrt(70)) / 900, (322 + 13 * Math.sqrt(70)) / 900, 128.0 / 225,
                (322 + 13 * Math.sqrt(70)) / 900, (322 - 13 * Math.sqrt(70)) / 900}}};

    @Test
    void gaussLegendreMatchesKnownNodesAndWeightsMappedToTheUnitInterval() {
        for (int n = 1; n <= 5; n++) {
            Quadrature q = Quadrature.of("gausslegendre", n);
            for (int i = 0; i < n; i++) {
                assertThat(q.alphas()[i]).as("n=%d node %d", n, i)
                        .isCloseTo(0.5 * (1 + LEGENDRE[n - 1][0][i]), within(1e-14));
                assertThat(q.weights()[i]).as("n=%d weight %d", n, i)
                        .isCloseTo(0.5 * LEGENDRE[n - 1][1][i], within(1e-14));
            }
        }
    }

    @Test
    void gaussLegendreIntegratesPolynomialsOfDegreeBelow2nExactly() {
        for (int n : new int[] {3, 8, 50, 200}) {
            Quadrature q = Quadrature.of("gausslegendre", n);
            int degree = 2 * n - 1;
            double integral = 0;
            for (int i = 0; i < n; i++) {
                integral += q.weights()[i] * Math.pow(q.alphas()[i], degree);
            }
            assertThat(integral).as("n=%d", n).isCloseTo(1.0 / (degree + 1), within(1e-12));
            assertThat(Arrays.stream(q.weights()).sum()).isCloseTo(1, within(1e-12));
        }
    }

    @Test
    void riemannPointsAndWeightsFollowCaptum() {
        assertThat(Quadrature.of("riemann_left", 4).alphas()).containsExactly(0, 0.25, 0.5, 0.75);
        assertThat(Quadrature.of("riemann_right", 4).alphas()).containsExactly(0.25, 0.5, 0.75, 1);
        assertThat(Quadrature.of("riemann_middle", 4).alphas()).containsExactly(0.125, 0.375, 0.625, 0.875);
        assertThat(Quadrature.of("riemann_left", 4).weights()).containsExactly(0.25, 0.25, 0.25, 0.25);
        Quadrature trapezoid = Quadrature.of("riemann_trapezoid", 5);
        assertThat(trapezoid.alphas()).containsExactly(0, 0.25, 0.5, 0.75, 1);
        assertThat(trapezoid.weights()).containsExactly(0.125, 0.25, 0.25, 0.25, 0.125);
    }

    @Test
    void trapezoidNeedsTwoSteps() {
        assertThatThrownBy(() -> Quadrature.of("riemann_trapezoid", 1)).hasMessageContaining("at least 2");
        assertThat(Quadrature.of("riemann_left", 1).alphas()).containsExactly(0);
    }
}
