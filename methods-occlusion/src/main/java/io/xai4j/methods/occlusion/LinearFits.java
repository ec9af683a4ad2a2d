package io.xai4j.methods.occlusion;

import org.ejml.simple.SimpleMatrix;

/** Weighted linear fits of scores on binary coalition vectors. */
final class LinearFits {
    private LinearFits() {
    }

    /**
     * The weighted least-squares fit {@code y ~ none + z . phi} under {@code sum(phi) = all - none} (Kernel SHAP's
     * regression, Lundberg and Lee 2017): minimises {@code sum_k w_k (y_k - none - z_k . phi)^2}. With every proper
     * coalition and the Shapley kernel weights, {@code phi} are the Shapley values. An underdetermined system gets
     * the minimum-norm solution.
     */
    static double[] constrained(boolean[][] z, double[] y, double[] w, double all, double none) {
        int m = z.length == 0 ? 1 : z[0].length;
        double total = all - none;
        double[] phi = new double[m];
        if (m == 1) {
            phi[0] = total;
            return phi;
        }
        // eliminate phi_last = total - sum(others): y - none - z_last total = sum_i (z_i - z_last) phi_i
        SimpleMatrix normal = new SimpleMatrix(m - 1, m - 1);
        SimpleMatrix rhs = new SimpleMatrix(m - 1, 1);
        double[] a = new double[m - 1];
        for (int k = 0; k < z.length; k++) {
            double last = z[k][m - 1] ? 1 : 0;
            for (int i = 0; i < m - 1; i++) {
                a[i] = (z[k][i] ? 1 : 0) - last;
            }
            double b = y[k] - none - last * total;
            for (int i = 0; i < m - 1; i++) {
                if (a[i] == 0) {
                    continue;
                }
                rhs.set(i, 0, rhs.get(i, 0) + w[k] * a[i] * b);
                for (int j = 0; j < m - 1; j++) {
                    normal.set(i, j, normal.get(i, j) + w[k] * a[i] * a[j]);
                }
            }
        }
        SimpleMatrix solution = solve(normal, rhs);
        double rest = total;
        for (int i = 0; i < m - 1; i++) {
            phi[i] = solution.get(i, 0);
            rest -= phi[i];
        }
        phi[m - 1] = rest;
        return phi;
    }

    /**
     * Ridge regression with an unpenalised intercept, as scikit-learn's {@code Ridge}: minimises
     * {@code sum_k w_k (y_k - c - z_k . beta)^2 + alpha |beta|^2}; returns {@code beta}.
     */
    static double[] ridge(boolean[][] z, double[] y, double[] w, double alpha) {
        Centred c = Centred.of(z, y, w);
        int m = c.m();
        SimpleMatrix normal = new SimpleMatrix(m, m);
        SimpleMatrix rhs = new SimpleMatrix(m, 1);
        for (int k = 0; k < c.x().length; k++) {
            for (int i = 0; i < m; i++) {
                rhs.set(i, 0, rhs.get(i, 0) + w[k] * c.x()[k][i] * c.y()[k]);
                for (int j = 0; j < m; j++) {
                    normal.set(i, j, normal.get(i, j) + w[k] * c.x()[k][i] * c.x()[k][j]);
                }
            }
        }
        for (int i = 0; i < m; i++) {
            normal.set(i, i, normal.get(i, i) + alpha);
        }
        SimpleMatrix solution = solve(normal, rhs);
        double[] beta = new double[m];
        for (int i = 0; i < m; i++) {
            beta[i] = solution.get(i, 0);
        }
        return beta;
    }

    /**
     * The lasso with an unpenalised intercept, as scikit-learn's {@code Lasso} with sample weights: minimises
     * {@code sum_k w_k (y_k - c - z_k . beta)^2 / (2 sum_k w_k) + alpha |beta|_1}, by cyclic coordinate descent
     * until no coefficient moves by more than 1e-10 (at most 10000 sweeps); returns {@code beta}.
     */
    static double[] lasso(boolean[][] z, double[] y, double[] w, double alpha) {
        Centred c = Centred.of(z, y, w);
        int m = c.m();
        int n = c.x().length;
        double weight = 0;
        for (double v : w) {
            weight += v;
        }
        double[] beta = new double[m];
        double[] residual = c.y().clone();
        double[] scale = new double[m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < n; k++) {
                scale[j] += w[k] * c.x()[k][j] * c.x()[k][j];
            }
            scale[j] /= weight;
        }
        for (int sweep = 0; sweep < 10_000; sweep++) {
            double moved = 0;
            for (int j = 0; j < m; j++) {
                if (scale[j] == 0) {
                    continue;
                }
                double rho = 0;
                for (int k = 0; k < n; k++) {
                    rho += w[k] * c.x()[k][j] * (residual[k] + c.x()[k][j] * beta[j]);
                }
                rho /= weight;
                double next = Math.signum(rho) * Math.max(0, Math.abs(rho) - alpha) / scale[j];
                double step = next - beta[j];
                if (step != 0) {
                    for (int k = 0; k < n; k++) {
                        residual[k] -= c.x()[k][j] * step;
                    }
                    beta[j] = next;
                    moved = Math.max(moved, Math.abs(step));
                }
            }
            if (moved <= 1e-10) {
                break;
            }
        }
        return beta;
    }

    /** The solution of a symmetric system, or its minimum-norm least-squares solution when singular. */
    private static SimpleMatrix solve(SimpleMatrix normal, SimpleMatrix rhs) {
        return normal.conditionP2() < 1e12 ? normal.solve(rhs) : normal.pseudoInverse().mult(rhs);
    }

    /** Coalition vectors and scores centred on their weighted means. */
    private record Centred(double[][] x, double[] y, int m) {
        static Centred of(boolean[][] z, double[] y, double[] w) {
            int n = z.length;
            int m = n == 0 ? 0 : z[0].length;
            double weight = 0;
            double[] meanX = new double[m];
            double meanY = 0;
            for (int k = 0; k < n; k++) {
                weight += w[k];
                meanY += w[k] * y[k];
                for (int j = 0; j < m; j++) {
                    meanX[j] += z[k][j] ? w[k] : 0;
                }
            }
            double[][] x = new double[n][m];
            double[] cy = new double[n];
            for (int k = 0; k < n; k++) {
                cy[k] = y[k] - meanY / weight;
                for (int j = 0; j < m; j++) {
                    x[k][j] = (z[k][j] ? 1 : 0) - meanX[j] / weight;
                }
            }
            return new Centred(x, cy, m);
        }
    }
}
