package io.xai4j.methods.occlusion;

import io.xai4j.tensor.Tensor;
import java.util.function.IntUnaryOperator;
import java.util.function.ToDoubleFunction;

/** Reference Shapley values by brute force over every coalition of groups, in double precision. */
final class Coalitions {
    private Coalitions() {
    }

    /**
     * The Shapley value of each of {@code groups} groups of the game {@code v(S) = f(x with the groups outside S at
     * the baseline)}.
     */
    static double[] shapley(ToDoubleFunction<double[]> f, Tensor x, float baseline, int groups, IntUnaryOperator groupOf) {
        int n = x.size();
        double[] value = new double[1 << groups];
        for (int s = 0; s < value.length; s++) {
            double[] a = new double[n];
            for (int e = 0; e < n; e++) {
                a[e] = (s >> groupOf.applyAsInt(e) & 1) != 0 ? x.get(e) : baseline;
            }
            value[s] = f.applyAsDouble(a);
        }
        double[] phi = new double[groups];
        for (int i = 0; i < groups; i++) {
            for (int s = 0; s < value.length; s++) {
                if ((s >> i & 1) == 0) {
                    int size = Integer.bitCount(s);
                    phi[i] += weight(groups, size) * (value[s | 1 << i] - value[s]);
                }
            }
        }
        return phi;
    }

    /** {@code |S|! (M - |S| - 1)! / M!}. */
    private static double weight(int m, int s) {
        double w = 1.0 / m;
        for (int i = 1; i <= s; i++) {
            w *= i / (double) (m - s - 1 + i);
        }
        return w;
    }
}
