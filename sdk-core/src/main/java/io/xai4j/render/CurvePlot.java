package io.xai4j.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Map;

/** Line plots of curves over [0, 1] (deletion and insertion curves), one line per series, with a legend. */
public final class CurvePlot {
    private static final int PLOT_WIDTH = 400;
    private static final int HEIGHT = 420;
    private static final int LEFT = 72;
    private static final int LEGEND_GAP = 12;
    private static final int TOP = 36;
    private static final int BOTTOM = 48;
    private static final int TICKS = 5;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Color AXIS = new Color(0x333333);
    private static final Color GRID = new Color(0xe6e6e6);
    /** matplotlib's tab10 palette. */
    private static final int[] COLOURS = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
        0x7f7f7f, 0xbcbd22, 0x17becf};

    private CurvePlot() {
    }

    /**
     * Plots each series' values at equally spaced x from 0 to 1.
     *
     * @param title  the title over the plot
     * @param xLabel the x axis label
     * @param yLabel the y axis label
     * @param series values by series name (the legend shows each name with the area under its curve)
     */
    public static BufferedImage plot(String title, String xLabel, String yLabel, Map<String, double[]> series) {
        Map<String, String> legend = new java.util.LinkedHashMap<>();
        series.forEach((name, values) -> legend.put(name, name + String.format(Locale.ROOT, " (AUC %.3g)", area(values))));
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D p = probe.createGraphics();
        int legendWidth = legend.values().stream().mapToInt(t -> p.getFontMetrics(FONT).stringWidth(t)).max().orElse(0);
        p.dispose();
        int width = LEFT + PLOT_WIDTH + LEGEND_GAP + 26 + legendWidth + 12;
        BufferedImage image = new BufferedImage(width, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, HEIGHT);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] values : series.values()) {
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (!(max > min)) {
            min = series.isEmpty() ? 0 : min - 1;
            max = series.isEmpty() ? 1 : max + 1;
        }
        double step = niceStep((max - min) / TICKS);
        double low = Math.floor(min / step) * step;
        double high = Math.ceil(max / step) * step;
        int plotW = PLOT_WIDTH;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(FONT);
        for (int t = 0; t <= TICKS; t++) {
            int x = LEFT + plotW * t / TICKS;
            g.setColor(GRID);
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(AXIS);
            String xt = String.format(Locale.ROOT, "%.1f", (double) t / TICKS);
            g.drawString(xt, x - g.getFontMetrics().stringWidth(xt) / 2, TOP + plotH + 16);
        }
        for (long t = Math.round(low / step); t <= Math.round(high / step); t++) {
            double value = t * step;
            int y = (int) Math.round(TOP + plotH - plotH * (value - low) / (high - low));
            g.setColor(t == 0 ? AXIS : GRID);
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(AXIS);
            String yt = new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", Math.abs(value) < step / 2 ? 0 : value))
                    .stripTrailingZeros().toPlainString();
            g.drawString(yt, LEFT - 6 - g.getFontMetrics().stringWidth(yt), y + 4);
        }
        g.setColor(AXIS);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString(xLabel, LEFT + plotW / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, HEIGHT - 12);
        Graphics2D vertical = (Graphics2D) g.create();
        vertical.rotate(-Math.PI / 2, 16, TOP + plotH / 2.0);
        vertical.drawString(yLabel, 16 - g.getFontMetrics().stringWidth(yLabel) / 2, TOP + plotH / 2 + 4);
        vertical.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, LEFT, TOP - 14);
        g.setFont(FONT);
        int line = 0;
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            Color colour = new Color(COLOURS[line % COLOURS.length]);
            double[] v = s.getValue();
            Path2D path = new Path2D.Double();
            for (int k = 0; k < v.length; k++) {
                double x = LEFT + plotW * (double) k / (v.length - 1);
                double y = TOP + plotH - plotH * (v[k] - low) / (high - low);
                if (k == 0) {
                    path.moveTo(x, y);
                } else {
                    path.lineTo(x, y);
                }
            }
            g.setColor(colour);
            g.setStroke(new BasicStroke(2f));
            g.draw(path);
            int ly = TOP + 8 + line * 18;
            g.drawLine(LEFT + plotW + LEGEND_GAP, ly, LEFT + plotW + LEGEND_GAP + 20, ly);
            g.setColor(AXIS);
            g.drawString(legend.get(s.getKey()), LEFT + plotW + LEGEND_GAP + 26, ly + 4);
            line++;
        }
        g.dispose();
        return image;
    }

    /**
     * A small picture of one curve without axes or text, for tables: the line over {@code x} in [0, 1], values from
     * {@code min} (the bottom) to {@code max} (the top), and the area down to the bottom shaded. Curves drawn with
     * the same bounds compare by eye.
     */
    public static BufferedImage thumbnail(double[] x, double[] y, double min, double max, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        double range = max > min ? max - min : 1;
        int pad = 2;
        Path2D line = new Path2D.Double();
        for (int k = 0; k < x.length; k++) {
            double px = pad + x[k] * (width - 2 * pad);
            double py = height - pad - (y[k] - min) / range * (height - 2 * pad);
            if (k == 0) {
                line.moveTo(px, py);
            } else {
                line.lineTo(px, py);
            }
        }
        Path2D area = new Path2D.Double(line);
        area.lineTo(pad + x[x.length - 1] * (width - 2 * pad), height - pad);
        area.lineTo(pad + x[0] * (width - 2 * pad), height - pad);
        area.closePath();
        Color colour = new Color(COLOURS[0]);
        g.setColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 48));
        g.fill(area);
        g.setColor(GRID);
        g.drawRect(0, 0, width - 1, height - 1);
        g.setColor(colour);
        g.setStroke(new BasicStroke(1.5f));
        g.draw(line);
        g.dispose();
        return image;
    }

    /** The trapezoidal area under values at equally spaced x over [0, 1]. */
    private static double area(double[] v) {
        double area = 0;
        for (int k = 1; k < v.length; k++) {
            area += (v[k] + v[k - 1]) / 2 / (v.length - 1);
        }
        return area;
    }

    /** The smallest of 1, 2 or 5 times a power of ten that is at least {@code rough}. */
    private static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= rough) {
                return m * power;
            }
        }
        return 10 * power;
    }
}
