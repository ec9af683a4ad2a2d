package io.xai4j.render;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Maps a 2-D attribution map to {@code [0, 1]} for a colormap.
 *
 * <ul>
 *   <li>{@code MIN_MAX}: {@code (v - min) / (max - min)};</li>
 *   <li>{@code PERCENTILE}: {@code |v| / q}, clipped to 1, where {@code q} is the given percentile of
 *       {@code |v|} (outliers saturate instead of washing the map out);</li>
 *   <li>{@code SIGNED}: diverging, {@code 0.5 + v / (2m)} clipped to [0, 1], with {@code m} the maximum of
 *       {@code |v|} (percentile 100) or the given percentile of it, so zero maps to the middle colour.</li>
 * </ul>
 * A constant map gives 0 (or 0.5 when signed).
 *
 * @param kind the kind
 * @param percentile the percentile in (0, 100] for {@code PERCENTILE} and {@code SIGNED}
 */
public record Normalization(Kind kind, double percentile) {
    public enum Kind { MIN_MAX, PERCENTILE, SIGNED }

    public Normalization {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT,
                    "normalization percentile must be in (0, 100], got " + percentile);
        }
    }

    public static Normalization minMax() {
        return new Normalization(Kind.MIN_MAX, 100);
    }

    /** Clip {@code |v|} at the given percentile of {@code |v|}, e.g. 99. */
    public static Normalization percentile(double p) {
        return new Normalization(Kind.PERCENTILE, p);
    }

    /** Symmetric around zero, range {@code [-max|v|, max|v|]}. */
    public static Normalization signed() {
        return new Normalization(Kind.SIGNED, 100);
    }

    /** Symmetric around zero, range {@code [-m, m]} with {@code m} the given percentile of {@code |v|}. */
    public static Normalization signed(double p) {
        return new Normalization(Kind.SIGNED, p);
    }

    public boolean isSigned() {
        return kind == Kind.SIGNED;
    }

    /**
     * Parses {@code minmax}, {@code percentile[:P]} (default 99) or {@code signed[:P]} (default 100).
     */
    public static Normalization parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        try {
            Double p = colon < 0 ? null : Double.parseDouble(s.substring(colon + 1));
            switch (name) {
                case "minmax", "min-max":
                    if (p == null) {
                        return minMax();
                    }
                    break;
                case "percentile":
                    return percentile(p == null ? 99 : p);
                case "signed":
                    return signed(p == null ? 100 : p);
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "bad percentile in normalization '" + spec
                    + "'; valid: minmax, percentile[:P], signed[:P]", e);
        }
        throw new XaiException(ErrorCode.INVALID_ARGUMENT, "unknown normalization '" + spec
                + "'; valid: minmax, percentile[:P] (default 99), signed[:P] (default 100)");
    }

    /** Normalized copy of {@code values}; the input is not modified. */
    public float[] apply(float[] values) {
        float[] out = new float[values.length];
        if (values.length == 0) {
            return out;
        }
        switch (kind) {
            case MIN_MAX -> {
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (float v : values) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                float range = max - min;
                for (int i = 0; i < values.length; i++) {
                    out[i] = range > 0 ? (values[i] - min) / range : 0;
                }
            }
            case PERCENTILE -> {
                double q = absPercentile(values, percentile);
                for (int i = 0; i < values.length; i++) {
                    out[i] = q > 0 ? (float) Math.min(1, Math.abs(values[i]) / q) : 0;
                }
            }
            case SIGNED -> {
                double m = absPercentile(values, percentile);
                for (int i = 0; i < values.length; i++) {
                    double v = m > 0 ? Math.max(-1, Math.min(1, values[i] / m)) : 0;
                    out[i] = (float) (0.5 + 0.5 * v);
                }
            }
        }
        return out;
    }

    /** The {@code p}-th percentile of {@code |values|}, interpolated linearly as NumPy does. */
    static double absPercentile(float[] values, double p) {
        double[] a = new double[values.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.abs(values[i]);
        }
        Arrays.sort(a);
        double pos = p / 100 * (a.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, a.length - 1);
        return a[lo] + (pos - lo) * (a[hi] - a[lo]);
    }

    /** {@code minmax}, {@code percentile:P} or {@code signed:P}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return switch (kind) {
            case MIN_MAX -> "minmax";
            case PERCENTILE -> "percentile:" + percentile;
            case SIGNED -> "signed:" + percentile;
        };
    }
}
