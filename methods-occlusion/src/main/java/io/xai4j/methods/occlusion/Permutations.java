package io.xai4j.methods.occlusion;

import java.util.SplittableRandom;

/** Random orders and counts of coalitions. */
final class Permutations {
    private Permutations() {
    }

    /** Fills {@code order} with a uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    static void shuffle(int[] order, SplittableRandom random) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** {@code n choose k}, as a double. */
    static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }
}
