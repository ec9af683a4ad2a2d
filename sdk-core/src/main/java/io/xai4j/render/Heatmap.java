package io.xai4j.render;

import io.xai4j.image.CropBox;
import io.xai4j.image.Images;
import io.xai4j.image.Png;
import io.xai4j.spi.ValueKind;
import io.xai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.file.Path;
import java.util.stream.IntStream;

/** Draws attributions: as overlays on the original image, or as plots for non-image inputs. */
public final class Heatmap {
    private Heatmap() {
    }

    /**
     * Draws {@code map} over {@code original}. The map covers {@code box}, the region of the original the model
     * input showed (see {@code PreprocessedBatch.geometry()}), upsampled bilinearly into it. Under the map the image
     * is shown in grey, so its colours never read as values, and each pixel's colour weighs {@code (1 -
     * imageWeight)} times the value's significance ({@link ScaledMap#significance}): where the map says little the
     * image shows through, and zero on a diverging palette does not tint it. Pixels outside the box keep their
     * colour. The original is not modified.
     *
     * @param box the covered region, or {@code null} for the whole image
     * @return a new RGB image of the original's size
     */
    public static BufferedImage overlay(BufferedImage original, ScaledMap map, CropBox box) {
        BufferedImage rgb = Images.toRgb(original);
        // drawn into the converted copy, or into a copy of the caller's image when it needed no conversion
        BufferedImage out = rgb != original ? rgb
                : new BufferedImage(rgb.getColorModel(), rgb.copyData(null), false, null);
        int w = out.getWidth();
        int h = out.getHeight();
        CropBox b = box == null ? CropBox.full(w, h) : box;
        int[] px = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        double weight = 1 - map.style().imageWeight();
        ScalarMap values = map.map();
        double sy = values.height() / b.height();
        double sx = values.width() / b.width();
        int x0 = Math.max(0, (int) Math.ceil(b.x() - 0.5));
        int x1 = Math.min(w, (int) Math.ceil(b.x() + b.width() - 0.5));
        int y0 = Math.max(0, (int) Math.ceil(b.y() - 0.5));
        int y1 = Math.min(h, (int) Math.ceil(b.y() + b.height() - 0.5));
        // Rows are independent: large images are drawn on every core.
        IntStream.range(y0, y1).parallel().forEach(y -> {
            double my = (y + 0.5 - b.y()) * sy - 0.5;
            for (int x = x0; x < x1; x++) {
                double v = values.sample(my, (x + 0.5 - b.x()) * sx - 0.5);
                px[y * w + x] = blend(grey(px[y * w + x]), map.rgb(v), weight * map.significance(v));
            }
        });
        return out;
    }

    /** {@link #overlay(BufferedImage, ScaledMap, CropBox)} of signed values. */
    public static BufferedImage overlay(BufferedImage original, Tensor attribution, CropBox box, HeatmapStyle style) {
        return overlay(original, ScaledMap.of(attribution, style, ValueKind.SIGNED), box);
    }

    /** Overlays signed values and writes the result as a PNG (atomically). */
    public static void writeOverlay(BufferedImage original, Tensor attribution, CropBox box, HeatmapStyle style,
                                    Path file) {
        Png.writeAtomically(overlay(original, attribution, box, style), file);
    }

    /** The map alone, coloured, scaled up by a whole factor to at least {@code minSide} pixels. */
    public static BufferedImage colorize(ScaledMap map, int minSide) {
        ScalarMap m = map.map();
        int scale = Math.max(1, (int) Math.ceil((double) minSide / Math.max(m.height(), m.width())));
        BufferedImage out = new BufferedImage(m.width() * scale, m.height() * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, map.rgb(m.values()[(y / scale) * m.width() + x / scale]));
            }
        }
        return out;
    }

    /**
     * Plots a non-image attribution: {@code [F]} or {@code [T]} as a bar chart, {@code [T,F]} as a grid with T
     * rows; leading dimensions of size 1 are dropped. Signed values use a diverging palette unless one is given.
     *
     * @throws io.xai4j.error.XaiException {@code SHAPE_MISMATCH} for other ranks
     */
    public static BufferedImage plot(Tensor attribution, Colormap colormap) {
        return Plots.plot(attribution, HeatmapStyle.defaults().withColormap(colormap), ValueKind.SIGNED).image();
    }

    /** {@link #plot(Tensor, Colormap)}, written as a PNG (atomically). */
    public static void plot(Tensor attribution, Colormap colormap, Path file) {
        Png.writeAtomically(plot(attribution, colormap), file);
    }

    /** The luminance of a colour as a grey. */
    static int grey(int rgb) {
        int l = (int) Math.round(0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF));
        return l << 16 | l << 8 | l;
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
