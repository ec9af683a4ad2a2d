package io.xai4j.gradient;

import java.util.Arrays;
import java.util.List;

/**
 * Points {@code alphas} in [0, 1] and weights of a rule approximating an integral over [0, 1], as Captum's
 * {@code approximation_methods}: Riemann sums with {@code n} equal steps (left {@code k/n}, right
 * {@code (k+1)/n}, middle {@code (k+1/2)/n}, each with weight {@code 1/n}), the trapezoid rule on
 * {@code k/(n-1)} with weights {@code 1/(n-1)} halved at both ends (unlike Captum, whose weights sum to
 * {@code (n-1)/n}, these sum to 1 so linear functions integrate exactly), and Gauss-Legendre quadrature
 * (numpy's {@code leggauss(n)} mapped from [-1, 1] to [0, 1]), with points in increasing order.
 */
public record Quadrature(double[] alphas, double[] weights) {
    public static final String LEFT = "riemann_left";
    public static final String RIGHT = "riemann_right";
    public static final String MIDDLE = "riemann_middle";
    public static final String TRAPEZOID = "riemann_trapezoid";
    public static final String GAUSS_LEGENDRE = "gausslegendre";
    public static final List<String> METHODS = List.of(LEFT, RIGHT, MIDDLE, TRAPEZOID, GAUSS_LEGENDRE);

    /** The rule {@code method} (one of {@link #METHODS}) with {@code n} points. */
    public static Quadrature of(String method, int n) {
        if (n < 1 || (method.equals(TRAPEZOID) && n < 2)) {
            throw new IllegalArgumentException(method + " needs at least " + (method.equals(TRAPEZOID) ? 2 : 1)
                    + " steps, got " + n);
        }
        if (method.equals(GAUSS_LEGENDRE)) {
            return gaussLegendre(n);
        }
        double[] alphas = new double[n];
        double[] weights = new double[n];
        for (int k = 0; k < n; k++) {
            alphas[k] = switch (method) {
                case LEFT -> (double) k / n;
                case RIGHT -> (double) (k + 1) / n;
                case MIDDLE -> (k + 0.5) / n;
                case TRAPEZOID -> (double) k / (n - 1);
                default -> throw new IllegalArgumentException("unknown integration method '" + method
                        + "'; valid methods: " + String.join(", ", METHODS));
            };
            weights[k] = method.equals(TRAPEZOID) ? (k == 0 || k == n - 1 ? 0.5 : 1.0) / (n - 1) : 1.0 / n;
        }
        return new Quadrature(alphas, weights);
    }

    /** Gauss-Legendre nodes by Newton's method on the Legendre polynomial P_n, mapped to [0, 1]. */
    private static Quadrature gaussLegendre(int n) {
        double[] alphas = new double[n];
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++) {
                double p = 1;
                double previous = 0;
                for (int j = 1; j <= n; j++) {
                    double older = previous;
                    previous = p;
                    p = ((2 * j - 1) * x * previous - (j - 1) * older) / j;
                }
                derivative = n * (x * p - previous) / (x * x - 1);
                double step = p / derivative;
                x -= step;
                if (Math.abs(step) < 1e-15) {
                    break;
                }
            }
            int k = n - 1 - i;
            alphas[k] = 0.5 * (1 + x);
            weights[k] = 1 / ((1 - x * x) * derivative * derivative);
        }
        return new Quadrature(alphas, weights);
    }

    /** The number of points. */
    public int size() {
        return alphas.length;
    }

    @Override
    public String toString() {
        return "Quadrature" + Arrays.toString(alphas) + Arrays.toString(weights);
    }
}
