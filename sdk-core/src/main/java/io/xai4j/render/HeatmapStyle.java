package io.xai4j.render;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.Layout;
import io.xai4j.spi.ValueKind;

/**
 * How a heatmap is drawn. Null sign and colormap follow what the values mean ({@link #resolve}): signed values
 * around zero on {@code bwr}, one-sided values and scores on {@code viridis}.
 *
 * @param colormap    the palette, or null to choose by sign
 * @param sign        which values are drawn, or null to choose by the values' meaning
 * @param outlierPerc the percentage of the largest magnitudes clipped (saturated), in [0, 50)
 * @param reduction   how channels collapse to one value per pixel
 * @param imageWeight the weight of the image under the most significant values, in [0, 1]; less significant
 *                    values let more of the (desaturated) image through
 * @param layout      whether attributions are channel-first ({@code NCHW}) or channel-last ({@code NHWC})
 */
public record HeatmapStyle(Colormap colormap, Sign sign, double outlierPerc, Reduction reduction, double imageWeight,
                           Layout layout) {
    /** The default percentage of outliers clipped. */
    public static final double DEFAULT_OUTLIER_PERC = 1;
    /** The default weight of the image in overlays, as pytorch-grad-cam's {@code show_cam_on_image}. */
    public static final double DEFAULT_IMAGE_WEIGHT = 0.5;

    public HeatmapStyle {
        if (!(imageWeight >= 0 && imageWeight <= 1)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "image weight must be in [0, 1], got " + imageWeight);
        }
        if (!(outlierPerc >= 0 && outlierPerc < 50)) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "outlier percentage must be in [0, 50), got "
                    + outlierPerc);
        }
        reduction = reduction == null ? Reduction.SUM : reduction;
        layout = layout == null ? Layout.NCHW : layout;
    }

    /** Sign and palette by meaning, 1% outliers clipped, channels summed, image weight 0.5, NCHW. */
    public static HeatmapStyle defaults() {
        return new HeatmapStyle(null, null, DEFAULT_OUTLIER_PERC, Reduction.SUM, DEFAULT_IMAGE_WEIGHT, Layout.NCHW);
    }

    public HeatmapStyle withColormap(Colormap c) {
        return new HeatmapStyle(c, sign, outlierPerc, reduction, imageWeight, layout);
    }

    public HeatmapStyle withSign(Sign s) {
        return new HeatmapStyle(colormap, s, outlierPerc, reduction, imageWeight, layout);
    }

    public HeatmapStyle withOutlierPerc(double p) {
        return new HeatmapStyle(colormap, sign, p, reduction, imageWeight, layout);
    }

    public HeatmapStyle withReduction(Reduction r) {
        return new HeatmapStyle(colormap, sign, outlierPerc, r, imageWeight, layout);
    }

    public HeatmapStyle withImageWeight(double w) {
        return new HeatmapStyle(colormap, sign, outlierPerc, reduction, w, layout);
    }

    public HeatmapStyle withLayout(Layout l) {
        return new HeatmapStyle(colormap, sign, outlierPerc, reduction, imageWeight, l);
    }

    /** The sign and palette for values of {@code kind} (this style's own when set). */
    public HeatmapStyle resolve(ValueKind kind, float[] values) {
        Sign s = sign != null ? sign : Sign.defaultFor(kind, values);
        Colormap c = colormap != null ? colormap : s == Sign.ALL ? Colormap.BWR : Colormap.VIRIDIS;
        return new HeatmapStyle(c, s, outlierPerc, reduction, imageWeight, layout);
    }

    /** The scale of {@code values} under this style, which must be resolved. */
    public Scale scale(float[] values) {
        return Scale.fit(values, sign, outlierPerc);
    }
}
