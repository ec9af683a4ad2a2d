package io.xai4j.render;

import io.xai4j.image.CropBox;
import io.xai4j.image.Images;
import io.xai4j.image.Png;
import io.xai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Path;

/** Draws attributions: as overlays on the original image, or as plots for non-image inputs. */
public final class Heatmap {
    private Heatmap() {
    }

    /**
     * Blends a heatmap of {@code attribution} over {@code original}. The map covers {@code box}, the region
     * of the original the model input showed (see {@code PreprocessedBatch.geometry()}); it is upsampled
     * bilinearly into that box, and pixels outside it keep their colour. The original is not modified.
     *
     * @param attribution one example's attribution, e.g. {@code [C,H,W]}, {@code [H,W,C]} or a layer map {@code [1,h,w]}
     * @param box the covered region, or {@code null} for the whole image
     * @return a new RGB image of the original's size
     */
    public static BufferedImage overlay(BufferedImage original, Tensor attribution, CropBox box, HeatmapStyle style) {
        ScalarMap map = ScalarMap.reduce(attribution, style.layout(), style.reduction()).normalize(style.normalization());
        BufferedImage base = Images.toRgb(original);
        int w = base.getWidth();
        int h = base.getHeight();
        CropBox b = box == null ? CropBox.full(w, h) : box;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        base.getRGB(0, 0, w, h, px, 0, w);
        double alpha = style.alpha();
        double sy = map.height() / b.height();
        double sx = map.width() / b.width();
        int x0 = Math.max(0, (int) Math.ceil(b.x() - 0.5));
        int x1 = Math.min(w, (int) Math.ceil(b.x() + b.width() - 0.5));
        int y0 = Math.max(0, (int) Math.ceil(b.y() - 0.5));
        int y1 = Math.min(h, (int) Math.ceil(b.y() + b.height() - 0.5));
        for (int y = y0; y < y1; y++) {
            double my = (y + 0.5 - b.y()) * sy - 0.5;
            for (int x = x0; x < x1; x++) {
                int color = style.colormap().rgb(map.sample(my, (x + 0.5 - b.x()) * sx - 0.5));
                px[y * w + x] = blend(px[y * w + x], color, alpha);
            }
        }
        return out;
    }

    /** {@link #overlay(BufferedImage, Tensor, CropBox, HeatmapStyle)} with the default channel reduction. */
    public static BufferedImage overlay(BufferedImage original, Tensor attribution, CropBox box, Colormap colormap,
                                        Normalization normalization, double alpha) {
        return overlay(original, attribution, box, HeatmapStyle.of(colormap, normalization, alpha));
    }

    /** Overlays and writes the result as a PNG (atomically). */
    public static void writeOverlay(BufferedImage original, Tensor attribution, CropBox box, HeatmapStyle style,
                                    Path file) {
        Png.writeAtomically(overlay(original, attribution, box, style), file);
    }

    /** The attribution map alone, coloured, at the map's own resolution. */
    public static BufferedImage colorize(ScalarMap normalized, Colormap colormap) {
        BufferedImage out = new BufferedImage(normalized.width(), normalized.height(), BufferedImage.TYPE_INT_RGB);
        int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            px[i] = colormap.rgb(normalized.values()[i]);
        }
        return out;
    }

    /**
     * Plots a non-image attribution: {@code [F]} or {@code [T]} as a bar chart, {@code [T,F]} as a grid
     * with T rows; leading dimensions of size 1 are dropped. Colours come from {@code colormap} with signed
     * normalization, so zero is its middle colour.
     *
     * @throws io.xai4j.error.XaiException {@code SHAPE_MISMATCH} for other ranks
     */
    public static BufferedImage plot(Tensor attribution, Colormap colormap) {
        return Plots.plot(attribution, colormap, Normalization.signed());
    }

    /** {@link #plot(Tensor, Colormap)}, written as a PNG (atomically). */
    public static void plot(Tensor attribution, Colormap colormap, Path file) {
        Png.writeAtomically(plot(attribution, colormap), file);
    }

    /**
     * The attribution alone, for inputs without an image to overlay: a plot for rank 1 and 2 (after dropping
     * leading dimensions of 1), else the reduced map coloured and scaled up to at least {@code 256} pixels.
     */
    public static BufferedImage render(Tensor attribution, HeatmapStyle style) {
        int[] shape = attribution.shape();
        int lead = 0;
        while (lead < shape.length - 1 && shape[lead] == 1) {
            lead++;
        }
        if (shape.length - lead <= 2) {
            return plot(attribution, style.colormap());
        }
        ScalarMap map = ScalarMap.reduce(attribution, style.layout(), style.reduction()).normalize(style.normalization());
        int scale = Math.max(1, (int) Math.ceil(256.0 / Math.max(map.height(), map.width())));
        return colorize(map.resize(map.height() * scale, map.width() * scale), style.colormap());
    }

    static int blend(int under, int over, double alpha) {
        int r = mix(under >> 16, over >> 16, alpha);
        int g = mix(under >> 8, over >> 8, alpha);
        int b = mix(under, over, alpha);
        return r << 16 | g << 8 | b;
    }

    private static int mix(int a, int b, double alpha) {
        return (int) Math.round((a & 0xFF) * (1 - alpha) + (b & 0xFF) * alpha);
    }
}
