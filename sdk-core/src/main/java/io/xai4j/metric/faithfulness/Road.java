package io.xai4j.metric.faithfulness;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.perturbation.Regions;
import io.xai4j.metric.FeatureRanking;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricKind;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * ROAD, remove and debias (Rong et al., 2022): the deletion curve of an image whose removed pixels are not set to a
 * baseline but imputed, each channel apart, by noisy linear imputation: every removed pixel takes the weighted mean
 * of its 8 neighbours (1/6 for the 4 direct ones, 1/12 for the diagonal ones), all removed pixels solved together
 * as one linear system (conjugate gradients), plus Gaussian noise of standard deviation {@value #NOISE}, as ROAD's
 * {@code NoisyLinearImputer}. The imputation leaks no shape of the removed region to the model, so the curve
 * measures the removed information, not the artefact. Seeded per point.
 */
public final class Road extends PerturbationCurve {
    /** The standard deviation of the noise added to imputed values, ROAD's default. */
    public static final double NOISE = 0.01;
    private static final double DIRECT = 1.0 / 6;
    private static final double DIAGONAL = 1.0 / 12;
    private static final MetricDescriptor DESCRIPTOR = new MetricDescriptor("road", MetricKind.FAITHFULNESS, "1",
            "area under the target score as pixels are removed in order of attribution and imputed from their "
                    + "neighbours (ROAD, noisy linear imputation; morf: lower is better)", Set.of(),
            parameters().stream().filter(p -> !p.name().equals(BASELINE)).toList(), false);

    @Override
    public MetricDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected void fill(Tensor row, Tensor example, Tensor baseline, FeatureRanking ranking, int count,
            SplittableRandom random) {
        int[] shape = example.shape();
        if (shape.length < 2 || shape.length > 3) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "metric 'road' imputes pixels of images [C,H,W], "
                    + "[H,W,C] or [H,W], got example shape " + Arrays.toString(shape));
        }
        boolean[] removed = new boolean[example.size()];
        for (int rank = 0; rank < count; rank++) {
            for (int e : ranking.members(rank)) {
                removed[e] = true;
            }
        }
        int[] spatial = Regions.spatialAxes(shape);
        int height = shape[spatial[0]];
        int width = shape[spatial[1]];
        int strideY = Tensor.sizeOf(Arrays.copyOfRange(shape, spatial[0] + 1, shape.length));
        int strideX = Tensor.sizeOf(Arrays.copyOfRange(shape, spatial[1] + 1, shape.length));
        int[] unknown = new int[example.size()];
        Arrays.fill(unknown, -1);
        int[] elements = new int[example.size()];
        int[] ys = new int[example.size()];
        int[] xs = new int[example.size()];
        int n = 0;
        for (int e = 0; e < removed.length; e++) {
            if (removed[e]) {
                unknown[e] = n;
                elements[n] = e;
                ys[n] = e / strideY % height;
                xs[n] = e / strideX % width;
                n++;
            }
        }
        double[] values = solve(example, unknown, elements, ys, xs, n, height, width, strideY, strideX);
        for (int k = 0; k < n; k++) {
            row.set(elements[k], (float) (values[k] + NOISE * random.nextGaussian()));
        }
    }

    /** The imputed values of the {@code n} unknown elements, by conjugate gradients on the neighbour equations. */
    private static double[] solve(Tensor example, int[] unknown, int[] elements, int[] ys, int[] xs, int n, int height,
            int width, int strideY, int strideX) {
        double[] diagonal = new double[n];
        double[] b = new double[n];
        List<int[]> offsets = List.of(new int[] {-1, 0}, new int[] {1, 0}, new int[] {0, -1}, new int[] {0, 1},
                new int[] {-1, -1}, new int[] {-1, 1}, new int[] {1, -1}, new int[] {1, 1});
        int[][] neighbour = new int[n][8];
        for (int k = 0; k < n; k++) {
            for (int o = 0; o < 8; o++) {
                int y = ys[k] + offsets.get(o)[0];
                int x = xs[k] + offsets.get(o)[1];
                neighbour[k][o] = Integer.MIN_VALUE;
                if (y < 0 || y >= height || x < 0 || x >= width) {
                    continue;
                }
                double w = o < 4 ? DIRECT : DIAGONAL;
                int e = elements[k] + (y - ys[k]) * strideY + (x - xs[k]) * strideX;
                diagonal[k] += w;
                if (unknown[e] >= 0) {
                    neighbour[k][o] = unknown[e];
                } else {
                    b[k] += w * example.get(e);
                    neighbour[k][o] = -1;
                }
            }
        }
        double[] u = new double[n];
        double[] r = b.clone();
        double[] p = r.clone();
        double[] ap = new double[n];
        double rr = dot(r, r);
        double tolerance = 1e-12 * Math.max(1, dot(b, b));
        for (int iteration = 0; iteration < 10 * n + 100 && rr > tolerance; iteration++) {
            for (int k = 0; k < n; k++) {
                double v = diagonal[k] * p[k];
                for (int o = 0; o < 8; o++) {
                    if (neighbour[k][o] >= 0) {
                        v -= (o < 4 ? DIRECT : DIAGONAL) * p[neighbour[k][o]];
                    }
                }
                ap[k] = v;
            }
            double alpha = rr / dot(p, ap);
            for (int k = 0; k < n; k++) {
                u[k] += alpha * p[k];
                r[k] -= alpha * ap[k];
            }
            double next = dot(r, r);
            for (int k = 0; k < n; k++) {
                p[k] = r[k] + next / rr * p[k];
            }
            rr = next;
        }
        return u;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
