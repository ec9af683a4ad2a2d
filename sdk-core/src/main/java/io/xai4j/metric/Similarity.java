package io.xai4j.metric;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Similarities of two maps: Spearman's rank correlation and the structural similarity (SSIM). */
public final class Similarity {
    private static final int WINDOW = 7;
    private static final double K1 = 0.01;
    private static final double K2 = 0.03;

    private Similarity() {
    }

    /** Spearman's rank correlation, ties given their mean rank (as scipy's {@code spearmanr}); 0 for a constant map. */
    public static double spearman(double[] a, double[] b) {
        return pearson(ranks(a), ranks(b));
    }

    /** Pearson's correlation; 0 when either has no variance. */
    public static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    static double[] ranks(double[] v) {
        Integer[] order = IntStream.range(0, v.length).boxed().sorted(Comparator.comparingDouble(i -> v[i]))
                .toArray(Integer[]::new);
        double[] ranks = new double[v.length];
        for (int start = 0; start < v.length; ) {
            int end = start;
            while (end + 1 < v.length && v[order[end + 1]] == v[order[start]]) {
                end++;
            }
            for (int k = start; k <= end; k++) {
                ranks[order[k]] = (start + end) / 2.0 + 1;
            }
            start = end + 1;
        }
        return ranks;
    }

    /**
     * The mean structural similarity of two {@code height x width} maps as scikit-image's {@code
     * structural_similarity} computes it by default: 7x7 uniform windows (those wholly inside the map), sample
     * covariances, {@code K1 = 0.01}, {@code K2 = 0.03}, with the given data range. Maps smaller than 7 pixels on a
     * side use one window over the whole map.
     */
    public static double ssim(double[] a, double[] b, int height, int width, double dataRange) {
        int wy = Math.min(WINDOW, height);
        int wx = Math.min(WINDOW, width);
        double n = wy * wx;
        double c1 = Math.pow(K1 * dataRange, 2);
        double c2 = Math.pow(K2 * dataRange, 2);
        double sum = 0;
        int windows = 0;
        for (int y = 0; y + wy <= height; y++) {
            for (int x = 0; x + wx <= width; x++) {
                double sa = 0;
                double sb = 0;
                double saa = 0;
                double sbb = 0;
                double sab = 0;
                for (int i = y; i < y + wy; i++) {
                    for (int j = x; j < x + wx; j++) {
                        double u = a[i * width + j];
                        double v = b[i * width + j];
                        sa += u;
                        sb += v;
                        saa += u * u;
                        sbb += v * v;
                        sab += u * v;
                    }
                }
                double ma = sa / n;
                double mb = sb / n;
                double correction = n > 1 ? n / (n - 1) : 1;
                double va = (saa / n - ma * ma) * correction;
                double vb = (sbb / n - mb * mb) * correction;
                double cov = (sab / n - ma * mb) * correction;
                sum += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
                windows++;
            }
        }
        return sum / windows;
    }
}
