package io.xai4j.methods.occlusion;

import io.xai4j.testing.models.AnalyticModel;
import java.util.SplittableRandom;

/**
 * A model with interactions: {@code logit_k = b_k + sum_j v_kj a_j + sum_{i<j} u_kij a_i a_j + t_k a_0 a_1 a_2},
 * weights drawn from [-1, 1) with a seed.
 */
final class InteractionModel extends AnalyticModel {
    private final double[][] v;
    private final double[][][] u;
    private final double[] t;
    private final double[] b;

    InteractionModel(long seed, int classes, int... exampleShape) {
        super(classes, exampleShape);
        int size = 1;
        for (int d : exampleShape) {
            size *= d;
        }
        SplittableRandom random = new SplittableRandom(seed);
        v = new double[classes][size];
        u = new double[classes][size][size];
        t = new double[classes];
        b = new double[classes];
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < size; i++) {
                v[k][i] = random.nextDouble(-1, 1);
                for (int j = i + 1; j < size; j++) {
                    u[k][i][j] = random.nextDouble(-1, 1);
                }
            }
            t[k] = random.nextDouble(-1, 1);
            b[k] = random.nextDouble(-1, 1);
        }
    }

    /** Logit {@code k} of one example's values. */
    double logit(double[] a, int k) {
        double s = b[k] + t[k] * a[0] * a[1] * a[2];
        for (int i = 0; i < a.length; i++) {
            s += v[k][i] * a[i];
            for (int j = i + 1; j < a.length; j++) {
                s += u[k][i][j] * a[i] * a[j];
            }
        }
        return s;
    }

    @Override
    protected void logits(double[] a, double[] out) {
        for (int k = 0; k < out.length; k++) {
            out[k] = logit(a, k);
        }
    }

    @Override
    protected void backward(double[] a, double[] seed, double[] grad) {
        throw new UnsupportedOperationException("perturbation tests need no gradients");
    }
}
