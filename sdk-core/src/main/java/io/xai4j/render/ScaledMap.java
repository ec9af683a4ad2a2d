package io.xai4j.render;

import io.xai4j.spi.ValueKind;
import io.xai4j.tensor.Tensor;

/**
 * An attribution reduced to one value per pixel, with the resolved style and the scale its colours follow.
 *
 * @param map   the reduced values (not normalised)
 * @param style the style with its sign and palette resolved
 * @param scale the value range drawn
 */
public record ScaledMap(ScalarMap map, HeatmapStyle style, Scale scale) {
    /** Reduces {@code attribution} (see {@link ScalarMap#reduce}) and fits the scale for values of {@code kind}. */
    public static ScaledMap of(Tensor attribution, HeatmapStyle style, ValueKind kind) {
        ScalarMap map = ScalarMap.reduce(attribution, style.layout(), style.reduction());
        return of(map, style, kind);
    }

    /** Fits the scale of an already reduced map. */
    public static ScaledMap of(ScalarMap map, HeatmapStyle style, ValueKind kind) {
        HeatmapStyle resolved = style.resolve(kind, map.values());
        return new ScaledMap(map, resolved, resolved.scale(map.values()));
    }

    public Colormap colormap() {
        return style.colormap();
    }

    /** The colour of a value. */
    public int rgb(double value) {
        return scale.rgb(value, style.colormap());
    }

    /** How much a value stands out, in [0, 1]. */
    public double significance(double value) {
        return scale.significance(scale.position(value));
    }
}
