package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code guided-backprop} and {@code deconvnet} rule sets on one-node graphs against their closed forms,
 * {@code dx = f(x, dy)} element by element: guided {@code max(dy,0) [x>0]}, deconvnet {@code max(dy,0)}, at every
 * Relu and at a Clip with lower bound 0 (whose upper bound still stops the gradient above it); the exact gradient
 * at other Clips and at LeakyRelu.
 */
class RectifierRulesTest {
    private static final float[] X = {-0.5f, 0.3f, 7f, 0.2f, -2f, 0.8f};
    private static final float[] DY = {2f, -1f, 0.5f, -3f, 4f, 1.5f};

    @TempDir
    Path dir;

    @Test
    void reluFollowsEachRuleSet() throws Exception {
        Path relu = Fixtures.unaryModel(dir, "Relu");
        check(relu, "exact", (x, dy) -> x > 0 ? dy : 0);
        check(relu, "guided-backprop", (x, dy) -> x > 0 ? Math.max(dy, 0) : 0);
        check(relu, "deconvnet", (x, dy) -> Math.max(dy, 0));
    }

    @Test
    void clipFromZeroIsARectifier() throws Exception {
        Path relu = Fixtures.clipModel(dir, 0f, null);
        check(relu, "guided-backprop", (x, dy) -> x > 0 ? Math.max(dy, 0) : 0);
        check(relu, "deconvnet", (x, dy) -> Math.max(dy, 0));
        Path relu6 = Fixtures.clipModel(dir, 0f, 6f);
        check(relu6, "guided-backprop", (x, dy) -> x > 0 && x <= 6 ? Math.max(dy, 0) : 0);
        check(relu6, "deconvnet", (x, dy) -> x <= 6 ? Math.max(dy, 0) : 0);
    }

    @Test
    void otherClipsAndLeakyReluKeepTheirExactGradient() throws Exception {
        Path clip = Fixtures.clipModel(dir, -1f, 1f);
        Path onlyMax = Fixtures.clipModel(dir, null, 0.5f);
        Path leaky = Fixtures.unaryModel(dir, "LeakyRelu");
        for (String rules : new String[] {"guided-backprop", "deconvnet"}) {
            check(clip, rules, (x, dy) -> x >= -1 && x <= 1 ? dy : 0);
            check(onlyMax, rules, (x, dy) -> x <= 0.5 ? dy : 0);
            check(leaky, rules, (x, dy) -> x > 0 ? dy : 0.01 * dy);
        }
    }

    private static void check(Path file, String ruleSet, DoubleBinaryOperator expected) throws Exception {
        Tensor dx = Fixtures.vjp(file, ruleSet, Tensor.of(X, 2, 3), Tensor.of(DY, 2, 3));
        for (int i = 0; i < X.length; i++) {
            assertThat((double) dx.get(i)).as("%s, %s at x=%s dy=%s", file.getFileName(), ruleSet, X[i], DY[i])
                    .isCloseTo(expected.applyAsDouble(X[i], DY[i]), within(1e-6));
        }
    }
}
