package io.xai4j.cli;

import java.util.List;

/**
 * LRP written out with plain loops over dense layers ({@link LrpNet.Dense}), a ReLU between layers: the reference
 * the rule set is checked against. Every rule is the textbook sum {@code R_i = sum_j c_ij / z_j R_j} with the
 * rule's contributions {@code c_ij} and {@code z_j = sum_i c_ij} (plus the rule's bias), stabilised as
 * {@code z + e sign(z)}; alpha-beta adds a second such sum for the negative contributions, and gamma uses the
 * positive or the negative one by the sign of the layer's output.
 */
final class LiteralLrp {
    private final double epsilon;
    private final double gamma;
    private final double alpha;
    private final double beta;
    private final double stabilizer;
    private final double[] low;
    private final double[] high;

    LiteralLrp(double epsilon, double gamma, double alpha, double beta, double stabilizer, double[] low,
            double[] high) {
        this.epsilon = epsilon;
        this.gamma = gamma;
        this.alpha = alpha;
        this.beta = beta;
        this.stabilizer = stabilizer;
        this.low = low;
        this.high = high;
    }

    /** The relevance of {@code x} for output {@code target}, with {@code rules[l]} at layer l. */
    double[] relevance(List<LrpNet.Dense> layers, double[] x, int target, String[] rules) {
        double[][] activations = new double[layers.size() + 1][];
        activations[0] = x;
        double[] z = null;
        for (int l = 0; l < layers.size(); l++) {
            LrpNet.Dense d = layers.get(l);
            z = new double[d.w().length];
            for (int j = 0; j < z.length; j++) {
                z[j] = d.b()[j];
                for (int i = 0; i < activations[l].length; i++) {
                    z[j] += d.w()[j][i] * activations[l][i];
                }
            }
            activations[l + 1] = new double[z.length];
            for (int j = 0; j < z.length; j++) {
                activations[l + 1][j] = l == layers.size() - 1 ? z[j] : Math.max(z[j], 0);
            }
        }
        double[] r = new double[z.length];
        r[target] = z[target];
        for (int l = layers.size() - 1; l >= 0; l--) {
            r = layer(rules[l], layers.get(l), activations[l], r);
        }
        return r;
    }

    private double[] layer(String rule, LrpNet.Dense d, double[] x, double[] r) {
        double[] out = new double[x.length];
        for (int j = 0; j < r.length; j++) {
            double[] c = new double[x.length];
            double[] cNegative = new double[x.length];
            double z = 0;
            double zNegative = 0;
            for (int i = 0; i < x.length; i++) {
                if (!d.connected()[j][i]) {
                    continue;
                }
                double w = d.w()[j][i];
                double xp = Math.max(x[i], 0);
                double xn = Math.min(x[i], 0);
                double wp = Math.max(w, 0);
                double wn = Math.min(w, 0);
                c[i] = switch (rule) {
                    case "epsilon" -> x[i] * w;
                    case "gamma" -> xp * (w + gamma * wp) + xn * (w + gamma * wn);
                    case "z-plus", "alpha-beta" -> xp * wp + xn * wn;
                    case "flat" -> 1;
                    case "w-square" -> w * w;
                    case "box" -> x[i] * w - low[i] * wp - high[i] * wn;
                    default -> throw new IllegalArgumentException(rule);
                };
                cNegative[i] = rule.equals("gamma") ? xp * (w + gamma * wn) + xn * (w + gamma * wp)
                        : xp * wn + xn * wp;
                z += c[i];
                zNegative += cNegative[i];
            }
            double b = d.b()[j];
            z += switch (rule) {
                case "epsilon" -> b;
                case "gamma" -> b + gamma * Math.max(b, 0);
                case "z-plus", "alpha-beta" -> Math.max(b, 0);
                case "w-square" -> b * b;
                default -> 0;
            };
            zNegative += rule.equals("gamma") ? b + gamma * Math.min(b, 0) : Math.min(b, 0);
            double output = b;
            for (int i = 0; i < x.length; i++) {
                output += d.connected()[j][i] ? d.w()[j][i] * x[i] : 0;
            }
            double unit = r[j] / stabilise(z, rule.equals("epsilon") ? epsilon : stabilizer);
            double unitNegative = r[j] / stabilise(zNegative, stabilizer);
            for (int i = 0; i < x.length; i++) {
                if (rule.equals("alpha-beta")) {
                    out[i] += alpha * c[i] * unit - beta * cNegative[i] * unitNegative;
                } else if (rule.equals("gamma")) {
                    out[i] += output > 0 ? c[i] * unit : output < 0 ? cNegative[i] * unitNegative : 0;
                } else {
                    out[i] += c[i] * unit;
                }
            }
        }
        return out;
    }

    private static double stabilise(double z, double e) {
        return z + (z >= 0 ? e : -e);
    }
}
