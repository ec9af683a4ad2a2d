package io.xai4j.family.perturbation;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * SLIC superpixels (Achanta et al. 2012): about {@code segments} cluster centres start on a regular grid of step
 * {@code S = sqrt(H W / segments)}; for {@value #ITERATIONS} rounds each pixel joins the centre within {@code 2S}
 * that minimises {@code d_values^2 + (d_xy / S)^2 m^2} (values scaled to [0, 1], compactness
 * {@code m = }{@value #COMPACTNESS}), and centres move to their pixels' means. Connectivity is then enforced: each
 * connected piece becomes its own segment, and pieces under a quarter of {@code S^2} pixels join a neighbour.
 */
final class Slic {
    static final int ITERATIONS = 10;
    static final double COMPACTNESS = 0.1;

    private Slic() {
    }

    /** A label per pixel. */
    static int[] segment(Pixels pixels, int segments) {
        int h = pixels.height();
        int w = pixels.width();
        int c = pixels.channels();
        double step = Math.max(1, Math.sqrt(h * (double) w / segments));
        int rows = Math.max(1, (int) Math.round(h / step));
        int cols = Math.max(1, (int) Math.round(w / step));
        int k = rows * cols;
        double[][] centres = new double[k][c + 2];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double[] centre = centres[i * cols + j];
                centre[c] = Math.min(h - 1, (i + 0.5) * h / rows);
                centre[c + 1] = Math.min(w - 1, (j + 0.5) * w / cols);
                int p = (int) centre[c] * w + (int) centre[c + 1];
                System.arraycopy(pixels.values(), p * c, centre, 0, c);
            }
        }
        int[] labels = new int[h * w];
        double[] best = new double[h * w];
        double spatial = COMPACTNESS * COMPACTNESS / (step * step);
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int i = 0; i < k; i++) {
                double[] centre = centres[i];
                int y0 = (int) Math.max(0, centre[c] - 2 * step);
                int y1 = (int) Math.min(h - 1, centre[c] + 2 * step);
                int x0 = (int) Math.max(0, centre[c + 1] - 2 * step);
                int x1 = (int) Math.min(w - 1, centre[c + 1] + 2 * step);
                for (int y = y0; y <= y1; y++) {
                    for (int x = x0; x <= x1; x++) {
                        int p = y * w + x;
                        double d = 0;
                        for (int ch = 0; ch < c; ch++) {
                            double v = pixels.values()[p * c + ch] - centre[ch];
                            d += v * v;
                        }
                        double dy = y - centre[c];
                        double dx = x - centre[c + 1];
                        d += (dy * dy + dx * dx) * spatial;
                        if (d < best[p]) {
                            best[p] = d;
                            labels[p] = i;
                        }
                    }
                }
            }
            double[][] sums = new double[k][c + 3];
            for (int p = 0; p < h * w; p++) {
                double[] sum = sums[labels[p]];
                for (int ch = 0; ch < c; ch++) {
                    sum[ch] += pixels.values()[p * c + ch];
                }
                sum[c] += p / w;
                sum[c + 1] += p % w;
                sum[c + 2]++;
            }
            for (int i = 0; i < k; i++) {
                if (sums[i][c + 2] > 0) {
                    for (int d = 0; d < c + 2; d++) {
                        centres[i][d] = sums[i][d] / sums[i][c + 2];
                    }
                }
            }
        }
        return connected(labels, h, w, Math.max(1, (int) (step * step / 4)));
    }

    /** Relabels 4-connected pieces; pieces smaller than {@code minSize} join the piece left of or above them. */
    static int[] connected(int[] labels, int h, int w, int minSize) {
        int[] out = new int[labels.length];
        Arrays.fill(out, -1);
        int next = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        int[] piece = new int[labels.length];
        for (int start = 0; start < labels.length; start++) {
            if (out[start] >= 0) {
                continue;
            }
            int adjacent = -1;
            int size = 0;
            out[start] = next;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                piece[size++] = p;
                int y = p / w;
                int x = p % w;
                int[] neighbours = {y > 0 ? p - w : -1, y < h - 1 ? p + w : -1, x > 0 ? p - 1 : -1,
                        x < w - 1 ? p + 1 : -1};
                for (int q : neighbours) {
                    if (q < 0) {
                        continue;
                    }
                    if (out[q] < 0 && labels[q] == labels[start]) {
                        out[q] = next;
                        queue.add(q);
                    } else if (out[q] >= 0 && out[q] != next) {
                        adjacent = out[q];
                    }
                }
            }
            if (size < minSize && adjacent >= 0) {
                for (int i = 0; i < size; i++) {
                    out[piece[i]] = adjacent;
                }
            } else {
                next++;
            }
        }
        return out;
    }
}
