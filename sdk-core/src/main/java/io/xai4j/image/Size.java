package io.xai4j.image;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;

/** A height and width in pixels; {@link #NONE} (0x0) means "not set". */
public record Size(int height, int width) {
    public static final Size NONE = new Size(0, 0);

    public Size {
        if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT,
                    "a size needs a positive height and width, got " + height + "x" + width);
        }
    }

    public static Size square(int side) {
        return new Size(side, side);
    }

    public boolean isNone() {
        return height == 0;
    }

    public boolean isSquare() {
        return height == width;
    }

    /** {@code HxW}, or {@code none}. */
    @Override
    public String toString() {
        return isNone() ? "none" : height + "x" + width;
    }
}
