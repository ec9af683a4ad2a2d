package io.xai4j.render;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.ValueKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which values a picture shows, as Captum's {@code visualize_image_attr} {@code sign}: {@link #ALL} around zero,
 * {@link #POSITIVE} or {@link #NEGATIVE} values only, {@link #ABSOLUTE} magnitudes, or the {@link #RANGE} from
 * minimum to maximum for raw scores whose zero means nothing.
 */
public enum Sign {
    ALL, POSITIVE, NEGATIVE, ABSOLUTE, RANGE;

    /**
     * The sign a kind of values is drawn with: signed values around zero (but one-sided when none is negative),
     * non-negative ones from zero up, scores over their range.
     */
    public static Sign defaultFor(ValueKind kind, float[] values) {
        return switch (kind == null ? ValueKind.SIGNED : kind) {
            case NON_NEGATIVE -> POSITIVE;
            case SCORE -> RANGE;
            case SIGNED -> {
                for (float v : values) {
                    if (v < 0) {
                        yield ALL;
                    }
                }
                yield POSITIVE;
            }
        };
    }

    /** The value drawn for {@code v}: itself, its positive or negative part, or its magnitude. */
    double transform(double v) {
        return switch (this) {
            case POSITIVE -> Math.max(v, 0);
            case NEGATIVE -> Math.min(v, 0);
            case ABSOLUTE -> Math.abs(v);
            case ALL, RANGE -> v;
        };
    }

    /** Parses {@code all}, {@code positive}, {@code negative}, {@code absolute} or {@code range} (case-insensitive). */
    public static Sign parse(String name) {
        String key = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        if (key.equals("ABSOLUTE_VALUE") || key.equals("ABS")) {
            return ABSOLUTE;
        }
        for (Sign s : values()) {
            if (s.name().equals(key)) {
                return s;
            }
        }
        throw new XaiException(ErrorCode.INVALID_ARGUMENT, "unknown sign '" + name + "'; valid: "
                + Arrays.stream(values()).map(Sign::toString).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
