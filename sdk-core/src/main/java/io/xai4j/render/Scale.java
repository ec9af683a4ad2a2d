package io.xai4j.render;

import java.util.Arrays;

/**
 * How values become positions along a palette: the value {@code from} sits at the palette's low end, {@code to}
 * at its high end, and values beyond are clipped. For {@link Sign#ALL} the scale runs from {@code -m} to {@code m};
 * for one-sided signs from zero to {@code m} (or {@code -m} for {@link Sign#NEGATIVE}), where {@code m} is the
 * {@code 100 - outlierPerc} percentile of the drawn magnitudes; for {@link Sign#RANGE} from the {@code outlierPerc}
 * to the {@code 100 - outlierPerc} percentile.
 *
 * @param sign which values are drawn
 * @param from the value at position 0
 * @param to   the value at position 1
 */
public record Scale(Sign sign, double from, double to) {
    /** Fits a scale to {@code values}, clipping the given percentage of outliers (Captum's {@code outlier_perc}). */
    public static Scale fit(float[] values, Sign sign, double outlierPerc) {
        double[] drawn = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            drawn[i] = sign.transform(values[i]);
        }
        if (sign == Sign.RANGE) {
            Arrays.sort(drawn);
            double lo = percentile(drawn, outlierPerc);
            double hi = percentile(drawn, 100 - outlierPerc);
            return new Scale(sign, lo, hi > lo ? hi : lo + 1);
        }
        for (int i = 0; i < drawn.length; i++) {
            drawn[i] = Math.abs(drawn[i]);
        }
        Arrays.sort(drawn);
        double m = percentile(drawn, 100 - outlierPerc);
        m = m > 0 ? m : 1;
        return switch (sign) {
            case ALL -> new Scale(sign, -m, m);
            case NEGATIVE -> new Scale(sign, 0, -m);
            default -> new Scale(sign, 0, m);
        };
    }

    /** Where {@code v} falls along the palette, in [0, 1]. */
    public double position(double v) {
        double t = (sign.transform(v) - from) / (to - from);
        return Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t));
    }

    /** How strongly a position stands out, in [0, 1]: its distance from the scale's zero. */
    public double significance(double position) {
        return sign == Sign.ALL ? Math.abs(2 * position - 1) : position;
    }

    /**
     * The palette coordinate of a position: on a diverging palette a one-sided scale starts at the palette's zero
     * (its middle) and runs to the side of its sign; otherwise the position itself.
     */
    public double paletteCoordinate(double position, Colormap colormap) {
        if (!colormap.diverging() || sign == Sign.ALL || sign == Sign.RANGE) {
            return position;
        }
        return sign == Sign.NEGATIVE ? 0.5 - 0.5 * position : 0.5 + 0.5 * position;
    }

    /** The colour of {@code v} on {@code colormap}. */
    public int rgb(double v, Colormap colormap) {
        return colormap.rgb(paletteCoordinate(position(v), colormap));
    }

    /** The {@code p}-th percentile of sorted values, interpolated linearly as NumPy does. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        double pos = Math.max(0, Math.min(100, p)) / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
