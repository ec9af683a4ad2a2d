package io.xai4j.render;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.Layout;

/**
 * How a heatmap is drawn.
 *
 * @param colormap the colours
 * @param normalization how values map to [0, 1]
 * @param reduction how channels collapse to one value per pixel
 * @param alpha opacity of the heatmap over the image, in [0, 1]
 * @param layout whether attributions are channel-first ({@code NCHW}) or channel-last ({@code NHWC})
 */
public record HeatmapStyle(Colormap colormap, Normalization normalization, Reduction reduction, double alpha,
                           Layout layout) {
    public HeatmapStyle {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "overlay alpha must be in [0, 1], got " + alpha);
        }
    }

    /** viridis, 99th-percentile clipping of {@code |v|}, abs-sum over channels, alpha 0.5, NCHW. */
    public static HeatmapStyle defaults() {
        return of(Colormap.VIRIDIS, Normalization.percentile(99), 0.5);
    }

    /** A style with the default reduction for {@code normalization} and NCHW layout. */
    public static HeatmapStyle of(Colormap colormap, Normalization normalization, double alpha) {
        return new HeatmapStyle(colormap, normalization, Reduction.defaultFor(normalization), alpha, Layout.NCHW);
    }

    public HeatmapStyle withReduction(Reduction r) {
        return new HeatmapStyle(colormap, normalization, r, alpha, layout);
    }

    public HeatmapStyle withLayout(Layout l) {
        return new HeatmapStyle(colormap, normalization, reduction, alpha, l);
    }
}
