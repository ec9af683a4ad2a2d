package io.xai4j.cli;

import io.xai4j.render.Colormap;
import io.xai4j.render.HeatmapStyle;
import io.xai4j.render.Reduction;
import io.xai4j.render.Sign;
import picocli.CommandLine.Option;

/** How pictures are drawn: the options shared by the commands that write them. */
final class PictureOptions {
    @Option(names = "--sign", paramLabel = "all|positive|negative|absolute|range", description = {
        "Which values to draw (default: by the method's meaning: signed maps around zero, CAMs from zero up,",
        "RISE scores from their minimum to their maximum)."})
    String sign;

    @Option(names = "--outlier-perc", paramLabel = "P", defaultValue = "" + HeatmapStyle.DEFAULT_OUTLIER_PERC,
            description = "Percentage of the largest values clipped (saturated) (default: ${DEFAULT-VALUE}).")
    double outlierPerc;

    @Option(names = "--channels", paramLabel = "sum|abs-sum|max", defaultValue = "sum", description =
            "How channels collapse to one value per pixel: sum, abs-sum, max, max-abs (default: ${DEFAULT-VALUE}).")
    String channels;

    @Option(names = "--colormap", paramLabel = "NAME", description = {"viridis, magma, inferno, jet, gist_earth, gray,"
            + " or diverging bwr, seismic, RdBu", "(default: bwr for signed maps, viridis otherwise)."})
    String colormap;

    @Option(names = "--image-weight", paramLabel = "W", defaultValue = "" + HeatmapStyle.DEFAULT_IMAGE_WEIGHT,
            description = "Weight of the image under the most significant values, 0..1 (default: ${DEFAULT-VALUE}).")
    double imageWeight;

    HeatmapStyle style() {
        return new HeatmapStyle(colormap == null ? null : Colormap.named(colormap), sign == null ? null
                : Sign.parse(sign), outlierPerc, Reduction.parse(channels), imageWeight, null);
    }
}
