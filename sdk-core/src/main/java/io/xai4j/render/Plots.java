package io.xai4j.render;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.ValueKind;
import io.xai4j.tensor.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntBinaryOperator;

/** Bar charts, grids and maps with axes for non-image attributions, drawn with Java2D. */
public final class Plots {
    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_RIGHT = 20;
    private static final int MARGIN_TOP = 20;
    private static final int MARGIN_BOTTOM = 40;
    private static final Color AXIS = new Color(0x333333);

    private Plots() {
    }

    /** A drawn plot and the scale its colours follow. */
    public record Panel(BufferedImage image, ScaledMap scaled) {
    }

    /**
     * Plots a non-image attribution with axes: {@code [F]} as a bar chart, {@code [T,F]} as a time by feature grid,
     * {@code [C,H,W]} (or {@code [H,W,C]}) as a map reduced over channels; leading dimensions of 1 are dropped.
     *
     * @throws XaiException {@code SHAPE_MISMATCH} for other ranks, {@code NON_FINITE_INPUT} for NaN or infinity
     */
    public static Panel plot(Tensor attribution, HeatmapStyle style, ValueKind kind) {
        return plot(attribution, style, kind, List.of());
    }

    /**
     * As {@link #plot(Tensor, HeatmapStyle, ValueKind)}; a {@code [T,F]} grid is drawn as time (x) by feature (y),
     * with {@code stepNotes} (e.g. the predicted class per step) along the top.
     */
    public static Panel plot(Tensor attribution, HeatmapStyle style, ValueKind kind, List<String> stepNotes) {
        Tensor t = attribution;
        while (t.rank() > 1 && t.dim(0) == 1) {
            t = t.row(0);
        }
        if (t.rank() == 0 || t.rank() > 3 || t.size() == 0) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "cannot plot an attribution of shape "
                    + Arrays.toString(attribution.shape()) + "; expected [F] (bar chart), [T,F] (grid) or [C,H,W]");
        }
        if (t.hasNonFinite()) {
            throw new XaiException(ErrorCode.NON_FINITE_INPUT, "attribution of shape "
                    + Arrays.toString(attribution.shape()) + " holds NaN or infinite values");
        }
        if (t.rank() == 3) {
            ScaledMap scaled = ScaledMap.of(t, style, kind);
            return new Panel(map(scaled), scaled);
        }
        int rows = t.rank() == 1 ? 1 : t.dim(0);
        ScaledMap scaled = ScaledMap.of(new ScalarMap(rows, t.size() / rows, t.toArray()), style, kind);
        return new Panel(t.rank() == 1 ? bars(scaled) : grid(scaled, stepNotes), scaled);
    }

    private static BufferedImage bars(ScaledMap scaled) {
        float[] values = scaled.map().values();
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
            c.g.setColor(new Color(scaled.rgb(values[i])));
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
        c.label("feature index", MARGIN_LEFT + plotW / 2 - 30, MARGIN_TOP + plotH + 32);
        c.verticalLabel("attribution", 14, MARGIN_TOP + plotH / 2 + 30);
        return c.finish();
    }

    /** A [T,F] map drawn time (x) by feature (y), with {@code stepNotes} along the top, one per step. */
    private static BufferedImage grid(ScaledMap scaled, List<String> stepNotes) {
        ScalarMap m = scaled.map();
        int features = m.width();
        return cells(scaled, m.height(), features, (x, y) -> x * features + y, m.height() > 1 ? "time step" : "",
                "feature", stepNotes);
    }

    /**
     * A step matrix {@code [T_out, T_in]} (see {@code --target matrix:C}): output step (y, top to bottom) by input step
     * (x), labelled axes and the scale of {@code style} and {@code kind}.
     *
     * @throws XaiException {@code SHAPE_MISMATCH} unless the matrix has two axes after dropping leading ones
     */
    public static Panel matrix(Tensor matrix, HeatmapStyle style, ValueKind kind) {
        Tensor t = matrix;
        while (t.rank() > 2 && t.dim(0) == 1) {
            t = t.row(0);
        }
        if (t.rank() != 2 || t.size() == 0) {
            throw new XaiException(ErrorCode.SHAPE_MISMATCH, "a step matrix must be [T_out,T_in], got shape "
                    + Arrays.toString(matrix.shape()));
        }
        int columns = t.dim(1);
        ScaledMap scaled = ScaledMap.of(new ScalarMap(t.dim(0), columns, t.toArray()), style, kind);
        return new Panel(cells(scaled, columns, t.dim(0), (x, y) -> y * columns + x, "input step", "output step",
                List.of()), scaled);
    }

    /**
     * A grid of {@code columns x rows} cells, cell (x, y) coloured by the map's value at {@code index(x, y)}, with
     * index ticks and axis names, and {@code notes} along the top, one per column.
     */
    private static BufferedImage cells(ScaledMap scaled, int columns, int rows, IntBinaryOperator index,
            String xName, String yName, List<String> notes) {
        float[] values = scaled.map().values();
        int cell = Math.max(1, Math.min(40, 800 / Math.max(columns, rows)));
        int plotW = Math.max(columns * cell, 120);
        int plotH = rows * cell;
        int noteHeight = notes.isEmpty() ? 0 : 12 + 6 * notes.stream().mapToInt(String::length).max().orElse(0);
        Canvas c = new Canvas(plotW, plotH + noteHeight, 0);
        int top = MARGIN_TOP + noteHeight;
        for (int x = 0; x < columns; x++) {
            for (int y = 0; y < rows; y++) {
                c.g.setColor(new Color(scaled.rgb(values[index.applyAsInt(x, y)])));
                c.g.fillRect(MARGIN_LEFT + x * cell, top + y * cell, cell, cell);
            }
        }
        c.g.setColor(AXIS);
        c.g.drawLine(MARGIN_LEFT - 1, top, MARGIN_LEFT - 1, top + plotH);
        c.g.drawLine(MARGIN_LEFT - 1, top + plotH, MARGIN_LEFT + plotW, top + plotH);
        int every = Math.max(1, (int) Math.ceil(13.0 / cell));
        for (int x = 0; x < columns && !notes.isEmpty(); x += every) {
            c.verticalLabel(notes.get(Math.min(x, notes.size() - 1)), MARGIN_LEFT + x * cell + cell / 2 + 4, top - 4);
        }
        c.label("0", MARGIN_LEFT - 14, top + 10);
        c.label(Integer.toString(rows - 1), MARGIN_LEFT - 30, top + plotH);
        c.label("0", MARGIN_LEFT, top + plotH + 16);
        c.label(Integer.toString(columns - 1), MARGIN_LEFT + columns * cell - 20, top + plotH + 16);
        c.label(xName, MARGIN_LEFT + plotW / 2 - 25, top + plotH + 32);
        c.verticalLabel(yName, 14, top + plotH / 2 + 25);
        if (!notes.isEmpty()) {
            c.label("predicted:", 4, MARGIN_TOP + noteHeight - 4);
        }
        return c.finish();
    }

    /** A reduced [H,W] map with pixel axes. */
    private static BufferedImage map(ScaledMap scaled) {
        BufferedImage picture = Heatmap.colorize(scaled, 256);
        Canvas c = new Canvas(picture.getWidth(), picture.getHeight(), 0);
        c.g.drawImage(picture, MARGIN_LEFT, MARGIN_TOP, null);
        c.axes(picture.getWidth(), picture.getHeight());
        int h = scaled.map().height();
        int w = scaled.map().width();
        c.label("0", MARGIN_LEFT - 14, MARGIN_TOP + 10);
        c.label(Integer.toString(h - 1), MARGIN_LEFT - 30, MARGIN_TOP + picture.getHeight());
        c.label("0", MARGIN_LEFT, MARGIN_TOP + picture.getHeight() + 16);
        c.label(Integer.toString(w - 1), MARGIN_LEFT + picture.getWidth() - 20, MARGIN_TOP + picture.getHeight() + 16);
        c.label("x", MARGIN_LEFT + picture.getWidth() / 2, MARGIN_TOP + picture.getHeight() + 32);
        c.verticalLabel("y", 14, MARGIN_TOP + picture.getHeight() / 2);
        return c.finish();
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
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

        void verticalLabel(String text, int x, int y) {
            Graphics2D r = (Graphics2D) g.create();
            r.setColor(AXIS);
            r.rotate(-Math.PI / 2, x, y);
            r.drawString(text, x, y);
            r.dispose();
        }

        BufferedImage finish() {
            g.dispose();
            return image;
        }
    }
}
