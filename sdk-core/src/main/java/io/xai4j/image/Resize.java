package io.xai4j.image;

/**
 * How an image is resized before cropping.
 *
 * <ul>
 *   <li>{@link Mode#NONE}: kept at its own size;</li>
 *   <li>{@link Mode#EXACT}: stretched to exactly {@code size};</li>
 *   <li>{@link Mode#COVER}: scaled, keeping its aspect ratio, until it just covers {@code size}. With a
 *       square size {@code S} this is "resize the shorter side to S" (torchvision {@code Resize(S)}).</li>
 * </ul>
 */
public record Resize(Mode mode, Size size) {
    public static final Resize NONE = new Resize(Mode.NONE, Size.NONE);

    public enum Mode { NONE, EXACT, COVER }

    public Resize {
        if ((mode == Mode.NONE) != size.isNone()) {
            throw new IllegalArgumentException("resize mode " + mode + " with size " + size);
        }
    }

    public static Resize exact(int height, int width) {
        return new Resize(Mode.EXACT, new Size(height, width));
    }

    public static Resize shorterSide(int side) {
        return new Resize(Mode.COVER, Size.square(side));
    }

    public static Resize cover(int height, int width) {
        return new Resize(Mode.COVER, new Size(height, width));
    }

    /** The spec value: {@code none}, {@code S} (shorter side), {@code HxW} (exact) or {@code cover:HxW}. */
    @Override
    public String toString() {
        return switch (mode) {
            case NONE -> "none";
            case EXACT -> size.toString();
            case COVER -> size.isSquare() ? Integer.toString(size.height()) : "cover:" + size;
        };
    }
}
