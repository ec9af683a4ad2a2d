package io.xai4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code deeplift} rule set on one-node graphs y = f(x) against its closed form: rows 0 and 1 are an input and
 * its baseline, and both get {@code dy (f(x) - f(x0)) / (x - x0)}, or {@code dy f'(x)} where {@code x = x0}.
 */
class DeepLiftRulesTest {
    /** Rows: input, baseline, input, baseline; one element of each pair equal in input and baseline. */
    private static final float[] X = {-0.5f, 0.3f, 2f, 0.4f, -1f, 2f, 0.7f, -2f, 1.2f, 0.1f, -2f, -0.3f};
    private static final float[] DY = {2f, -1f, 0.5f, 1.5f, 3f, -2f, 1f, 0.25f, -0.75f, 4f, 0.5f, -1.5f};

    @TempDir
    Path dir;

    @Test
    void relu() throws Exception {
        check(Fixtures.unaryModel(dir, "Relu"), v -> Math.max(v, 0), v -> v > 0 ? 1 : 0);
    }

    @Test
    void leakyRelu() throws Exception {
        check(Fixtures.unaryModel(dir, "LeakyRelu"), v -> v > 0 ? v : 0.01 * v, v -> v > 0 ? 1 : 0.01);
    }

    @Test
    void sigmoid() throws Exception {
        DoubleUnaryOperator f = v -> 1 / (1 + Math.exp(-v));
        check(Fixtures.unaryModel(dir, "Sigmoid"), f, v -> f.applyAsDouble(v) * (1 - f.applyAsDouble(v)));
    }

    @Test
    void tanh() throws Exception {
        check(Fixtures.unaryModel(dir, "Tanh"), Math::tanh, v -> 1 - Math.tanh(v) * Math.tanh(v));
    }

    private static void check(Path file, DoubleUnaryOperator f, DoubleUnaryOperator slope) throws Exception {
        Tensor dx = Fixtures.vjp(file, "deeplift", Tensor.of(X, 4, 3), Tensor.of(DY, 4, 3));
        for (int i = 0; i < X.length; i++) {
            int pair = i / 6;
            int element = i % 3;
            double x = X[pair * 6 + element];
            double x0 = X[pair * 6 + 3 + element];
            double m = x == x0 ? slope.applyAsDouble(x) : (f.applyAsDouble(x) - f.applyAsDouble(x0)) / (x - x0);
            assertThat((double) dx.get(i)).as("%s, row %s element %s", file.getFileName(), i / 3, element)
                    .isCloseTo(DY[i] * m, within(1e-5));
        }
    }
}
