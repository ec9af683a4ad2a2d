package io.xai4j.render;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.Arrays;
import java.util.Locale;

/**
 * How channels of an attribution collapse to one value per pixel. The default
 * ({@link #defaultFor(Normalization)}) is {@link #SUM} of signed values for signed normalization, so
 * positive and negative evidence stay apart, and {@link #ABS_SUM} otherwise, so they do not cancel.
 */
public enum Reduction {
    SUM, ABS_SUM, MEAN, MAX_ABS, L2;

    public static Reduction defaultFor(Normalization normalization) {
        return normalization.isSigned() ? SUM : ABS_SUM;
    }

    /** Parses a name such as {@code abs-sum} or {@code max_abs} (case-insensitive). */
    public static Reduction parse(String name) {
        String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Reduction r : values()) {
            if (r.name().equals(key)) {
                return r;
            }
        }
        throw new XaiException(ErrorCode.INVALID_ARGUMENT, "unknown channel reduction '" + name + "'; valid: "
                + Arrays.stream(values()).map(Reduction::toString).toList());
    }

    float reduce(float acc, float v) {
        return switch (this) {
            case SUM, MEAN -> acc + v;
            case ABS_SUM -> acc + Math.abs(v);
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
