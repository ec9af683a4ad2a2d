package io.xai4j.testing;

import io.xai4j.tensor.Tensor;
import java.util.SplittableRandom;

/** Seeded tensors and tensor comparisons for tests. */
public final class TestTensors {
    private TestTensors() {
    }

    /** A tensor of the given shape with uniform values in [-1, 1), the same for the same seed. */
    public static Tensor random(long seed, int... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) (random.nextDouble() * 2 - 1));
        }
        return t;
    }

    /** Largest absolute element difference; an {@link AssertionError} when the sizes differ. */
    public static double maxDiff(Tensor a, Tensor b) {
        checkSizes(a, b);
        double m = 0;
        for (int i = 0; i < a.size(); i++) {
            m = Math.max(m, Math.abs(a.get(i) - b.get(i)));
        }
        return m;
    }

    /**
     * The relative L2 error {@code |got - expected| / |expected|}; an {@link AssertionError} when the sizes differ.
     */
    public static double relativeError(Tensor got, Tensor expected) {
        checkSizes(got, expected);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.size(); i++) {
            double d = got.get(i) - expected.get(i);
            diff += d * d;
            norm += (double) expected.get(i) * expected.get(i);
        }
        return Math.sqrt(diff / norm);
    }

    private static void checkSizes(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new AssertionError("sizes differ: " + a + " vs " + b);
        }
    }
}
