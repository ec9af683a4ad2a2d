package io.xai4j.render;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/** Bar charts and grids for non-image attributions, drawn with Java2D. */
final class Plots {
    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_RIGHT = 20;
    private static final int MARGIN_TOP = 20;
    private static final int MARGIN_BOTTOM = 40;
    private static final Color AXIS = new Color(0x333333);

    private Plots() {
    }

    static BufferedImage plot(Tensor attribution, Colormap colormap, Normalization normalization) {
        Tensor t = attribution;
        while (t.rank() > 1 && t.dim(0) == 1) {
            t = t.row(0);
        }
        if (t.rank() == 0 || t.rank() > 2 || t.size() == 0) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "cannot plot an attribution of shape "
                    + Arrays.toString(attribution.shape()) + "; expected [F] or [T] (bar chart) or [T,F] (grid)");
        }
        if (t.hasNonFinite()) {
            throw new XaiException(ErrorCode.NON_FINITE_INPUT, "attribution of shape "
                    + Arrays.toString(attribution.shape()) + " holds NaN or infinite values");
        }
        float[] values = t.toArray();
        float[] colors = normalization.apply(values);
        return t.rank() == 1 ? bars(values, colors, colormap) : grid(t.dim(0), t.dim(1), values, colors, colormap);
    }

    private static BufferedImage bars(float[] values, float[] colors, Colormap colormap) {
        int n = values.length;
        int plotW = Math.max(400, Math.min(1600, n * 12));
        int plotH = 260;
        Canvas c = new Canvas(plotW, plotH, 0);
        double lo = 0;
        double hi = 0;
        for (float v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        double range = hi - lo;
        int zeroY = MARGIN_TOP + (int) Math.round(hi / range * plotH);
        for (int i = 0; i < n; i++) {
            int x0 = MARGIN_LEFT + (int) Math.floor((double) i * plotW / n);
            int x1 = MARGIN_LEFT + (int) Math.floor((double) (i + 1) * plotW / n);
            int y = MARGIN_TOP + (int) Math.round((hi - values[i]) / range * plotH);
            c.g.setColor(new Color(colormap.rgb(colors[i])));
            c.g.fillRect(x0, Math.min(y, zeroY), Math.max(1, x1 - x0 - (n < plotW / 3 ? 1 : 0)), Math.abs(zeroY - y));
        }
        c.g.setColor(AXIS);
        c.g.drawLine(MARGIN_LEFT, zeroY, MARGIN_LEFT + plotW, zeroY);
        c.axes(plotW, plotH);
        c.label(format(hi), 4, MARGIN_TOP + 5);
        c.label(format(lo), 4, MARGIN_TOP + plotH);
        c.label("0", MARGIN_LEFT - 14, zeroY + 4);
        c.label("0", MARGIN_LEFT, MARGIN_TOP + plotH + 16);
        c.label(Integer.toString(n - 1), MARGIN_LEFT + plotW - 30, MARGIN_TOP + plotH + 16);
        c.label("index", MARGIN_LEFT + plotW / 2 - 15, MARGIN_TOP + plotH + 32);
        return c.finish();
    }

    private static BufferedImage grid(int rows, int cols, float[] values, float[] colors, Colormap colormap) {
        int cell = Math.max(1, Math.min(40, 800 / Math.max(rows, cols)));
        int plotW = Math.max(cols * cell, 120);
        int plotH = rows * cell;
        Canvas c = new Canvas(plotW, plotH, 120);
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < cols; f++) {
                c.g.setColor(new Color(colormap.rgb(colors[r * cols + f])));
                c.g.fillRect(MARGIN_LEFT + f * cell, MARGIN_TOP + r * cell, cell, cell);
            }
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        c.axes(plotW, plotH);
        c.label("0", MARGIN_LEFT - 14, MARGIN_TOP + 10);
        c.label(Integer.toString(rows - 1), MARGIN_LEFT - 30, MARGIN_TOP + plotH);
        c.label("0", MARGIN_LEFT, MARGIN_TOP + plotH + 16);
        c.label(Integer.toString(cols - 1), MARGIN_LEFT + cols * cell - 20, MARGIN_TOP + plotH + 16);
        c.label("feature", MARGIN_LEFT + plotW / 2 - 20, MARGIN_TOP + plotH + 32);
        c.label("min " + format(min) + "  max " + format(max), MARGIN_LEFT + plotW / 2 + 40, MARGIN_TOP + plotH + 32);
        return c.finish();
    }

    private static String format(double v) {
        return String.format(java.util.Locale.ROOT, "%.3g", v);
    }

    /** A white image with a plot area at the standard margins. */
    private static final class Canvas {
        final BufferedImage image;
        final Graphics2D g;

        Canvas(int plotW, int plotH, int extraRight) {
            image = new BufferedImage(MARGIN_LEFT + plotW + MARGIN_RIGHT + extraRight, MARGIN_TOP + plotH + MARGIN_BOTTOM,
                    BufferedImage.TYPE_INT_RGB);
            g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        }

        void axes(int plotW, int plotH) {
            g.setColor(AXIS);
            g.setStroke(new BasicStroke(1));
            g.drawLine(MARGIN_LEFT - 1, MARGIN_TOP, MARGIN_LEFT - 1, MARGIN_TOP + plotH);
            g.drawLine(MARGIN_LEFT - 1, MARGIN_TOP + plotH, MARGIN_LEFT + plotW, MARGIN_TOP + plotH);
        }

        void label(String text, int x, int y) {
            g.setColor(AXIS);
            g.drawString(text, x, y);
        }

        BufferedImage finish() {
            g.dispose();
            return image;
        }
    }
}
