package io.xai4j.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** A picture as a person reads it: a title above, the panel, and a colour bar with its value range beside it. */
public final class Figure {
    private static final int PAD = 8;
    private static final int BAR_WIDTH = 16;
    private static final int BAR_LABELS = 64;
    private static final int LINE = 16;
    private static final Color TEXT = new Color(0x222222);

    private Figure() {
    }

    /**
     * Composes {@code panel} with {@code title} (one line per entry, cut to the width) and a colour bar for
     * {@code scaled}: the palette from the scale's low to high end, labelled with both ends and zero when it
     * lies strictly between them.
     */
    public static BufferedImage compose(List<String> title, BufferedImage panel, ScaledMap scaled) {
        int barHeight = Math.max(100, panel.getHeight() - 2 * PAD);
        int width = PAD + panel.getWidth() + 2 * PAD + BAR_WIDTH + BAR_LABELS;
        int titleHeight = title.isEmpty() ? 0 : PAD + LINE * title.size();
        int height = titleHeight + PAD + Math.max(panel.getHeight(), barHeight + 2 * PAD) + PAD;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(TEXT);
        for (int i = 0; i < title.size(); i++) {
            g.setFont(new Font(Font.SANS_SERIF, i == 0 ? Font.BOLD : Font.PLAIN, 12));
            g.drawString(fit(title.get(i), g.getFontMetrics(), width - 2 * PAD), PAD, PAD + LINE * (i + 1) - 4);
        }
        int top = titleHeight + PAD;
        g.drawImage(panel, PAD, top, null);
        colourBar(g, scaled, PAD + panel.getWidth() + 2 * PAD, top + PAD, barHeight);
        g.dispose();
        return out;
    }

    private static void colourBar(Graphics2D g, ScaledMap scaled, int x, int y, int h) {
        Scale scale = scaled.scale();
        for (int i = 0; i < h; i++) {
            double position = 1 - i / (h - 1.0);
            g.setColor(new Color(scaled.colormap().rgb(scale.paletteCoordinate(position, scaled.colormap()))));
            g.fillRect(x, y + i, BAR_WIDTH, 1);
        }
        g.setColor(TEXT);
        g.drawRect(x, y, BAR_WIDTH, h - 1);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int lx = x + BAR_WIDTH + 4;
        g.drawString(Plots.format(scale.to()), lx, y + 9);
        g.drawString(Plots.format(scale.from()), lx, y + h);
        double zero = -scale.from() / (scale.to() - scale.from());
        if (zero > 0.15 && zero < 0.85) {
            int zy = y + (int) Math.round((1 - zero) * (h - 1));
            g.drawLine(x + BAR_WIDTH, zy, x + BAR_WIDTH + 3, zy);
            g.drawString("0", lx, zy + 4);
        }
        g.drawString(scale.sign().toString(), lx, y + h / 2 + (zero > 0.35 && zero < 0.65 ? 18 : 4));
    }

    private static String fit(String text, FontMetrics metrics, int width) {
        if (metrics.stringWidth(text) <= width) {
            return text;
        }
        String s = text;
        while (!s.isEmpty() && metrics.stringWidth(s + "...") > width) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "...";
    }
}
