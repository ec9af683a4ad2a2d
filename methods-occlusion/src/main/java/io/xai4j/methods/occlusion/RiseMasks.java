package io.xai4j.methods.occlusion;

import io.xai4j.family.perturbation.Regions;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The random masks of RISE: each is a {@code cell x cell} grid of cells kept with probability {@code p},
 * upsampled bilinearly (edges clamped) to {@code (cell+1) * ceil(H/cell)} by {@code (cell+1) * ceil(W/cell)}
 * and cropped to {@code H x W} at a random shift in {@code [0, ceil(H/cell)) x [0, ceil(W/cell))}. Only the
 * grids and shifts are stored; a mask is rendered on demand.
 */
final class RiseMasks {
    private final int count;
    private final int cell;
    private final int height;
    private final int width;
    private final BitSet kept;
    private final int[] shiftY;
    private final int[] shiftX;

    private RiseMasks(int count, int cell, int height, int width) {
        this.count = count;
        this.cell = cell;
        this.height = height;
        this.width = width;
        this.kept = new BitSet(count * cell * cell);
        this.shiftY = new int[count];
        this.shiftX = new int[count];
    }

    /** Draws {@code count} masks; the same generator state gives the same masks. */
    static RiseMasks random(int count, int cell, double p, int height, int width, SplittableRandom random) {
        RiseMasks masks = new RiseMasks(count, cell, height, width);
        int cellHeight = Regions.ceilDiv(height, cell);
        int cellWidth = Regions.ceilDiv(width, cell);
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < cell * cell; c++) {
                if (random.nextDouble() < p) {
                    masks.kept.set(i * cell * cell + c);
                }
            }
            masks.shiftY[i] = random.nextInt(cellHeight);
            masks.shiftX[i] = random.nextInt(cellWidth);
        }
        return masks;
    }

    int count() {
        return count;
    }

    /** Renders mask {@code i} into {@code dest}, {@code H x W} row-major, values in [0, 1]. */
    void render(int i, float[] dest) {
        Axis rows = axis(height, shiftY[i]);
        Axis cols = axis(width, shiftX[i]);
        int grid = i * cell * cell;
        for (int y = 0; y < height; y++) {
            int top = grid + rows.low[y] * cell;
            int bottom = grid + rows.high[y] * cell;
            float fy = rows.frac[y];
            for (int x = 0; x < width; x++) {
                float fx = cols.frac[x];
                float upper = lerp(bit(top + cols.low[x]), bit(top + cols.high[x]), fx);
                float lower = lerp(bit(bottom + cols.low[x]), bit(bottom + cols.high[x]), fx);
                dest[y * width + x] = lerp(upper, lower, fy);
            }
        }
    }

    private float bit(int index) {
        return kept.get(index) ? 1f : 0f;
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }

    /** Interpolation source cells and weights along one axis of the cropped mask. */
    private record Axis(int[] low, int[] high, float[] frac) {
    }

    private Axis axis(int extent, int shift) {
        int upsampled = (cell + 1) * Regions.ceilDiv(extent, cell);
        int[] low = new int[extent];
        int[] high = new int[extent];
        float[] frac = new float[extent];
        for (int o = 0; o < extent; o++) {
            double source = (o + shift + 0.5) * cell / upsampled - 0.5;
            source = Math.max(0, Math.min(cell - 1, source));
            low[o] = (int) Math.floor(source);
            high[o] = Math.min(low[o] + 1, cell - 1);
            frac[o] = (float) (source - low[o]);
        }
        return new Axis(low, high, frac);
    }
}
