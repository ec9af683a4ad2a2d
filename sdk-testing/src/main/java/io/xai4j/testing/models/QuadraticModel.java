package io.xai4j.testing.models;

import io.xai4j.layer.GraphView;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * An {@link AnalyticModel} whose logits are quadratic in the layer values {@code a}:
 * {@code logits_k = b_k + sum_j (v_kj a_j + w_kj a_j^2)}, so {@code d logits_k / d a_j = v_kj + 2 w_kj a_j}.
 * With the default identity layer this is a function of the input directly; with {@code w = 0} it is a linear
 * model.
 *
 * <p>{@link #gapLinear} builds a CNN-like head, global average pooling and a linear layer, and describes it with
 * a {@link GraphView} whose classifier weights are constants (what CAM reads).
 */
public final class QuadraticModel extends AnalyticModel {
    private final double[][] v;
    private final double[][] w;
    private final double[] b;
    private final float[][] gapWeights;

    private QuadraticModel(double[][] v, double[][] w, double[] b, float[][] gapWeights, int... exampleShape) {
        super(b.length, exampleShape);
        int size = Tensor.sizeOf(exampleShape);
        for (int k = 0; k < b.length; k++) {
            if (v[k].length != size || w[k].length != size) {
                throw new IllegalArgumentException("class " + k + " has " + v[k].length + " linear and "
                        + w[k].length + " square weights; examples " + Arrays.toString(exampleShape) + " have "
                        + size + " elements");
            }
        }
        this.v = v;
        this.w = w;
        this.b = b;
        this.gapWeights = gapWeights;
    }

    /**
     * A model with the given weights (not copied), one row per class.
     *
     * @param linear the {@code v} weights {@code [K][size]}
     * @param square the {@code w} weights {@code [K][size]}
     * @param bias   the {@code b} terms {@code [K]}
     */
    public static QuadraticModel of(double[][] linear, double[][] square, double[] bias, int... exampleShape) {
        return new QuadraticModel(linear, square, bias, null, exampleShape);
    }

    /** Weights and biases drawn uniformly from [-1, 1), the same for the same seed. */
    public static QuadraticModel random(long seed, int classes, int... exampleShape) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = Tensor.sizeOf(exampleShape);
        double[][] v = new double[classes][size];
        double[][] w = new double[classes][size];
        double[] b = new double[classes];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < size; j++) {
                w[k][j] = random.nextDouble(-1, 1);
                v[k][j] = random.nextDouble(-1, 1);
            }
            b[k] = random.nextDouble(-1, 1);
        }
        return of(v, w, b, exampleShape);
    }

    /** As {@link #random} without the square terms: a linear model. */
    public static QuadraticModel randomLinear(long seed, int classes, int... exampleShape) {
        QuadraticModel q = random(seed, classes, exampleShape);
        for (double[] row : q.w) {
            Arrays.fill(row, 0);
        }
        return q;
    }

    /**
     * Global average pooling of a {@code [C,H,W]} layer and a linear layer:
     * {@code logits_k = b_k + sum_c weights[k][c] mean_p(a[c,p])}, with a graph view of this head.
     *
     * @param weights the classifier weights {@code [K][C]}
     */
    public static QuadraticModel gapLinear(float[][] weights, double[] bias, int height, int width) {
        int channels = weights[0].length;
        int cells = height * width;
        double[][] v = new double[weights.length][channels * cells];
        for (int k = 0; k < weights.length; k++) {
            for (int c = 0; c < channels; c++) {
                Arrays.fill(v[k], c * cells, (c + 1) * cells, weights[k][c] / (double) cells);
            }
        }
        return new QuadraticModel(v, new double[weights.length][channels * cells], bias, weights, channels, height,
                width);
    }

    public double linearWeight(int k, int j) {
        return v[k][j];
    }

    public double squareWeight(int k, int j) {
        return w[k][j];
    }

    public double bias(int k) {
        return b[k];
    }

    /** Logit {@code k} (before any scale input or softmax) for layer values {@code a}. */
    public double logit(double[] a, int k) {
        double s = b[k];
        for (int j = 0; j < a.length; j++) {
            s += (v[k][j] + w[k][j] * a[j]) * a[j];
        }
        return s;
    }

    /** {@code d logit_k / d a}. */
    public double[] gradient(double[] a, int k) {
        double[] g = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            g[j] = v[k][j] + 2 * w[k][j] * a[j];
        }
        return g;
    }

    @Override
    protected void logits(double[] a, double[] out) {
        for (int k = 0; k < b.length; k++) {
            out[k] = logit(a, k);
        }
    }

    @Override
    protected void backward(double[] a, double[] seed, double[] grad) {
        for (int k = 0; k < b.length; k++) {
            if (seed[k] != 0) {
                for (int j = 0; j < grad.length; j++) {
                    grad[j] += seed[k] * (v[k][j] + 2 * w[k][j] * a[j]);
                }
            }
        }
    }

    /** For {@link #gapLinear} models, the head's graph: GlobalAveragePool, Flatten, Gemm (and Softmax). */
    @Override
    public Optional<GraphView> graph() {
        return gapWeights == null ? Optional.empty() : Optional.of(new GapLinearGraph(gapWeights, hasSoftmax()));
    }
}
