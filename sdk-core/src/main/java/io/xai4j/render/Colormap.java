package io.xai4j.render;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.List;
import java.util.Locale;

/**
 * Maps values in {@code [0, 1]} to colours by linear interpolation between evenly spaced anchor colours.
 * {@code viridis} and {@code magma} use 33 anchors sampled from matplotlib's tables (within 2 RGB units of
 * them); {@code jet} and the diverging {@code bwr} (blue, white, red) follow matplotlib's definitions.
 */
public final class Colormap {
    public static final Colormap VIRIDIS = new Colormap("viridis", new int[] {
        0x440154, 0x470d60, 0x48186a, 0x482374, 0x472d7b, 0x453781, 0x424086, 0x3e4989, 0x3b528b, 0x375b8d, 0x33638d,
        0x2f6b8e, 0x2c728e, 0x297a8e, 0x26828e, 0x23898e, 0x21918c, 0x1f978b, 0x1f9f88, 0x21a685, 0x27ad81, 0x31b57b,
        0x3dbc74, 0x4cc26c, 0x5cc863, 0x6ece58, 0x81d34d, 0x95d840, 0xaadc32, 0xc0df25, 0xd5e21a, 0xeae51a, 0xfde725});
    public static final Colormap MAGMA = new Colormap("magma", new int[] {
        0x000004, 0x030312, 0x0a0822, 0x130d34, 0x1d1147, 0x29115a, 0x36106b, 0x440f76, 0x51127c, 0x5d177f, 0x6a1c81,
        0x762181, 0x832681, 0x902a81, 0x9c2e7f, 0xaa337d, 0xb73779, 0xc23b75, 0xcf4070, 0xdb476a, 0xe55064, 0xee5b5e,
        0xf4695c, 0xf9785d, 0xfb8761, 0xfd9668, 0xfea571, 0xfeb47b, 0xfec287, 0xfed194, 0xfde0a1, 0xfceeb0, 0xfcfdbf});
    public static final Colormap JET = jet();
    /** Diverging: blue at 0, white at 0.5, red at 1. Use it with {@link Normalization#signed()}. */
    public static final Colormap BWR = new Colormap("bwr", new int[] {0x0000ff, 0xffffff, 0xff0000});
    public static final Colormap GRAY = new Colormap("gray", new int[] {0x000000, 0xffffff});

    private static final List<Colormap> ALL = List.of(VIRIDIS, MAGMA, JET, BWR, GRAY);

    private final String name;
    private final int[] anchors;

    private Colormap(String name, int[] anchors) {
        this.name = name;
        this.anchors = anchors;
    }

    /** Looks a colormap up by name (case-insensitive). */
    public static Colormap named(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Colormap c : ALL) {
            if (c.name.equals(key)) {
                return c;
            }
        }
        throw new XaiException(ErrorCode.INVALID_ARGUMENT, "unknown colormap '" + name + "'; valid colormaps: "
                + String.join(", ", names()));
    }

    public static List<String> names() {
        return ALL.stream().map(Colormap::name).toList();
    }

    public String name() {
        return name;
    }

    /** The colour for {@code t} (clamped to [0, 1]; NaN gives the colour of 0) as {@code 0xRRGGBB}. */
    public int rgb(double t) {
        double p = (Double.isNaN(t) ? 0 : Math.min(1, Math.max(0, t))) * (anchors.length - 1);
        int k = Math.min((int) p, anchors.length - 2);
        double f = p - k;
        int a = anchors[k];
        int b = anchors[k + 1];
        return mix(a >> 16, b >> 16, f) << 16 | mix(a >> 8, b >> 8, f) << 8 | mix(a, b, f);
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
    }

    /** matplotlib's jet segments, sampled at 1/64 steps. */
    private static Colormap jet() {
        double[][] red = {{0, 0}, {0.35, 0}, {0.66, 1}, {0.89, 1}, {1, 0.5}};
        double[][] green = {{0, 0}, {0.125, 0}, {0.375, 1}, {0.64, 1}, {0.91, 0}, {1, 0}};
        double[][] blue = {{0, 0.5}, {0.11, 1}, {0.34, 1}, {0.65, 0}, {1, 0}};
        int n = 65;
        int[] anchors = new int[n];
        for (int i = 0; i < n; i++) {
            double t = i / (n - 1.0);
            anchors[i] = channel(red, t) << 16 | channel(green, t) << 8 | channel(blue, t);
        }
        return new Colormap("jet", anchors);
    }

    private static int channel(double[][] segments, double t) {
        for (int i = 1; i < segments.length; i++) {
            if (t <= segments[i][0]) {
                double f = (t - segments[i - 1][0]) / (segments[i][0] - segments[i - 1][0]);
                return (int) Math.round(255 * (segments[i - 1][1] + f * (segments[i][1] - segments[i - 1][1])));
            }
        }
        return (int) Math.round(255 * segments[segments.length - 1][1]);
    }

    @Override
    public String toString() {
        return name;
    }
}
