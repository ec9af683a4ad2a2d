package io.xai4j.testing;

import io.xai4j.spi.Dim;
import io.xai4j.spi.Model;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.models.QuadraticModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** What {@link MethodConformance} runs on when not told: its model, seeded inputs and target classes. */
final class Defaults {
    private Defaults() {
    }

    /** The default classifier: see {@link MethodConformance}. */
    static Model model() {
        SplittableRandom random = new SplittableRandom(3);
        float[][] weights = new float[3][3];
        double[] bias = new double[3];
        for (int k = 0; k < 3; k++) {
            for (int c = 0; c < 3; c++) {
                weights[k][c] = (float) random.nextDouble(-1, 1);
            }
            bias[k] = random.nextDouble(-1, 1);
        }
        return QuadraticModel.gapLinear(weights, bias, 4, 5).layerFunction(0, 1, 0.5);
    }

    /** Seeded values in [-1, 1) for every input of the model, {@code examples} each. */
    static Map<String, Tensor> inputs(Model m, int examples) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        long seed = 1;
        for (TensorSpec spec : m.signature().inputs()) {
            if (!spec.type().isFloatingPoint()) {
                throw new IllegalStateException("input '" + spec.name() + "' is " + spec.type() + "; give the"
                        + " inputs with inputs(...)");
            }
            in.put(spec.name(), TestTensors.random(seed++, shape(spec, examples)));
        }
        return in;
    }

    /** Classes 1, 2, 0, 1, ... modulo the output's row size. */
    static int[] classes(TensorSpec output, int examples) {
        int k = Tensor.sizeOf(shape(output, 1));
        if (k < 2) {
            throw new IllegalStateException("output '" + output.name() + "' has " + k + " elements per example;"
                    + " give the target classes with target(...)");
        }
        int[] c = new int[examples];
        Arrays.setAll(c, i -> (i + 1) % k);
        return c;
    }

    /** {@code [n, fixed dims...]}, or an error naming the symbolic shape. */
    private static int[] shape(TensorSpec spec, int n) {
        int[] shape = new int[spec.rank()];
        shape[0] = n;
        for (int i = 1; i < shape.length; i++) {
            Dim d = spec.shape().get(i);
            if (!d.isFixed()) {
                throw new IllegalStateException("'" + spec.name() + "' has the symbolic shape " + spec.shapeString()
                        + "; give the inputs and target with inputs(...) and target(...)");
            }
            shape[i] = (int) d.size();
        }
        return shape;
    }
}
