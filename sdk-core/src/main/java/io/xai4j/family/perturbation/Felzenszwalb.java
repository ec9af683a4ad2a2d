package io.xai4j.family.perturbation;

import java.util.Arrays;

/**
 * Graph-based segmentation (Felzenszwalb and Huttenlocher 2004) on the 8-connected pixel grid, edges weighted by
 * the distance between pixel values: components merge along increasing edges while the edge is at most each
 * component's internal difference plus {@code k / size}; components smaller than a minimum size then merge into
 * a neighbour. The scale {@code k} is searched (bisection on its logarithm) for the finest segmentation of at most
 * the asked number of segments. No smoothing is applied first.
 */
final class Felzenszwalb {
    private Felzenszwalb() {
    }

    /** A label per pixel, at most {@code segments} distinct unless the minimum size forbids it. */
    static int[] segment(Pixels pixels, int segments) {
        Edges edges = Edges.of(pixels);
        int minSize = Math.max(1, pixels.count() / (4 * segments));
        double low = -12;
        double high = 12;
        int[] best = run(pixels, edges, Math.exp(high), minSize);
        for (int step = 0; step < 40; step++) {
            double mid = (low + high) / 2;
            int[] labels = run(pixels, edges, Math.exp(mid), minSize);
            if (count(labels) <= segments) {
                best = labels;
                high = mid;
            } else {
                low = mid;
            }
        }
        return best;
    }

    private static int[] run(Pixels pixels, Edges edges, double k, int minSize) {
        int n = pixels.count();
        int[] parent = new int[n];
        int[] size = new int[n];
        double[] internal = new double[n];
        for (int p = 0; p < n; p++) {
            parent[p] = p;
            size[p] = 1;
        }
        for (int i = 0; i < edges.weight.length; i++) {
            int a = find(parent, edges.from[i]);
            int b = find(parent, edges.to[i]);
            double w = edges.weight[i];
            if (a != b && w <= internal[a] + k / size[a] && w <= internal[b] + k / size[b]) {
                int root = union(parent, size, a, b);
                internal[root] = w;
            }
        }
        for (int i = 0; i < edges.weight.length; i++) {
            int a = find(parent, edges.from[i]);
            int b = find(parent, edges.to[i]);
            if (a != b && (size[a] < minSize || size[b] < minSize)) {
                union(parent, size, a, b);
            }
        }
        int[] labels = new int[n];
        for (int p = 0; p < n; p++) {
            labels[p] = find(parent, p);
        }
        return labels;
    }

    private static int count(int[] labels) {
        return (int) Arrays.stream(labels).distinct().count();
    }

    private static int find(int[] parent, int p) {
        while (parent[p] != p) {
            parent[p] = parent[parent[p]];
            p = parent[p];
        }
        return p;
    }

    private static int union(int[] parent, int[] size, int a, int b) {
        if (size[a] < size[b]) {
            int t = a;
            a = b;
            b = t;
        }
        parent[b] = a;
        size[a] += size[b];
        return a;
    }

    /** The grid's edges (right, down and both diagonals), sorted by weight. */
    private record Edges(int[] from, int[] to, double[] weight) {
        static Edges of(Pixels pixels) {
            int h = pixels.height();
            int w = pixels.width();
            int[][] steps = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
            int max = h * w * steps.length;
            int[] from = new int[max];
            int[] to = new int[max];
            double[] weight = new double[max];
            int n = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int[] s : steps) {
                        int ny = y + s[0];
                        int nx = x + s[1];
                        if (ny < h && nx >= 0 && nx < w) {
                            from[n] = y * w + x;
                            to[n] = ny * w + nx;
                            weight[n] = Math.sqrt(pixels.distance2(from[n], to[n]));
                            n++;
                        }
                    }
                }
            }
            Integer[] order = new Integer[n];
            Arrays.setAll(order, i -> i);
            Arrays.sort(order, (i, j) -> Double.compare(weight[i], weight[j]));
            Edges sorted = new Edges(new int[n], new int[n], new double[n]);
            for (int i = 0; i < n; i++) {
                sorted.from[i] = from[order[i]];
                sorted.to[i] = to[order[i]];
                sorted.weight[i] = weight[order[i]];
            }
            return sorted;
        }
    }
}
