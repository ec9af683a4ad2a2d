package io.xai4j.io;

import io.xai4j.explain.Agreement;
import io.xai4j.explain.Explanation;
import io.xai4j.explain.ExplanationJson;
import io.xai4j.image.CropBox;
import io.xai4j.image.Layout;
import io.xai4j.image.Png;
import io.xai4j.io.Npy;
import io.xai4j.render.Heatmap;
import io.xai4j.render.HeatmapStyle;
import io.xai4j.tensor.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one explanation as {@code attribution.npy}, {@code heatmap.png} and {@code explanation.json}, and the
 * agreement of several as {@code agreement.json}. Everything is rendered in memory first; each file is then
 * written atomically ({@link AtomicFiles}), so a failure never leaves a half-written file behind.
 */
public final class ExplanationFiles {
    public static final String ATTRIBUTION = "attribution.npy";
    public static final String HEATMAP = "heatmap.png";
    public static final String JSON = "explanation.json";
    public static final String AGREEMENT = "agreement.json";
    private static final int MIN_PICTURE_SIDE = 256;

    private ExplanationFiles() {
    }

    /** As {@link #write(Explanation, LoadedInput, HeatmapStyle, Path)} with the default style. */
    public static List<Path> write(Explanation explanation, LoadedInput input, Path dir) {
        return write(explanation, input, HeatmapStyle.defaults(), dir);
    }

    /**
     * Writes the files of one example (a batch of one) into {@code dir}, created if missing: the heatmap over the
     * input's image, or a plot for a tensor input.
     *
     * @return the heatmap, the attribution and the JSON file, in that order
     */
    public static List<Path> write(Explanation explanation, LoadedInput input, HeatmapStyle style, Path dir) {
        Tensor attribution = explanation.attribution();
        Path npy = dir.resolve(ATTRIBUTION);
        Path png = dir.resolve(HEATMAP);
        Path json = dir.resolve(JSON);
        Tensor row = attribution.row(0);
        style = style.withLayout(layoutOf(explanation, input));
        BufferedImage picture = input.image() != null ? overlay(input, row, style) : Heatmap.render(row, style);
        byte[] data = Npy.toBytes(attribution);
        String text = ExplanationJson.toJson(explanation, ExplanationJson.TensorData.SUMMARY);
        AtomicFiles.write(npy, data);
        Png.writeAtomically(picture, png);
        AtomicFiles.write(json, text);
        return List.of(png, npy, json);
    }

    /** Writes {@code agreement.json} into {@code dir} and returns its path. */
    public static Path writeAgreement(List<Agreement> pairs, Path dir) {
        Path file = dir.resolve(AGREEMENT);
        AtomicFiles.write(file, Agreement.toJson(pairs));
        return file;
    }

    /** The layout of an explanation's map: input attributions follow the input's, layer maps are [N,1,h,w]. */
    public static Layout layoutOf(Explanation explanation, LoadedInput input) {
        return explanation.provenance().layer() == null ? input.layout() : Layout.NCHW;
    }

    /** The overlay on the original image, enlarged by a whole factor when the image is under 256 pixels. */
    private static BufferedImage overlay(LoadedInput input, Tensor row, HeatmapStyle style) {
        BufferedImage image = input.image();
        int factor = Math.max(1, MIN_PICTURE_SIDE / Math.max(image.getWidth(), image.getHeight()));
        if (factor == 1) {
            return Heatmap.overlay(image, row, input.box(), style);
        }
        BufferedImage large = new BufferedImage(image.getWidth() * factor, image.getHeight() * factor,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = large.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, large.getWidth(), large.getHeight(), null);
        g.dispose();
        CropBox box = input.box() == null ? null : new CropBox(input.box().x() * factor, input.box().y() * factor,
                input.box().width() * factor, input.box().height() * factor);
        return Heatmap.overlay(large, row, box, style);
    }
}
