package io.xai4j.render;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.Arrays;
import java.util.Locale;

/**
 * How channels of an attribution collapse to one value per pixel. {@link #SUM}, the default, keeps signs (as
 * Captum's {@code visualize_image_attr}); {@link #ABS_SUM} adds magnitudes, so opposite signs do not cancel;
 * {@link #MAX} keeps each pixel's largest channel value and {@link #MAX_ABS} its largest magnitude.
 */
public enum Reduction {
    SUM, ABS_SUM, MAX, MEAN, MAX_ABS, L2;

    /** Parses a name such as {@code abs-sum} or {@code max_abs} (case-insensitive). */
    public static Reduction parse(String name) {
        String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Reduction r : values()) {
            if (r.name().equals(key)) {
                return r;
            }
        }
        throw new XaiException(ErrorCode.INVALID_ARGUMENT, "unknown channel reduction '" + name + "'; valid: "
                + String.join(", ", Arrays.stream(values()).map(Reduction::toString).toList()));
    }

    float start() {
        return this == MAX ? Float.NEGATIVE_INFINITY : 0;
    }

    float reduce(float acc, float v) {
        return switch (this) {
            case SUM, MEAN -> acc + v;
            case ABS_SUM -> acc + Math.abs(v);
            case MAX -> Math.max(acc, v);
            case MAX_ABS -> Math.max(acc, Math.abs(v));
            case L2 -> acc + v * v;
        };
    }

    float finish(float acc, int channels) {
        return switch (this) {
            case MEAN -> acc / channels;
            case L2 -> (float) Math.sqrt(acc);
            default -> acc;
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
