package io.xai4j.report;

import io.xai4j.explain.Explanation;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Several methods on one or more inputs, side by side: a grid picture (rows inputs, columns methods) and a
 * self-contained HTML report ({@link HtmlReport}).
 */
public final class Comparison {
    /** The default width every picture is scaled to in the grid. */
    public static final int CELL_WIDTH = 320;
    private static final int PAD = 6;

    private final List<Cell> cells = new ArrayList<>();

    /**
     * One input explained with one method: its titled picture and explanation, or the error that stopped it.
     *
     * @param input       the input's name
     * @param method      the method
     * @param picture     the titled picture, or null when the method failed
     * @param explanation the explanation, or null when the method failed
     * @param error       why the method failed, or null
     */
    public record Cell(String input, String method, BufferedImage picture, Explanation explanation, String error) {
    }

    public void add(Cell cell) {
        cells.add(cell);
    }

    public List<Cell> cells() {
        return List.copyOf(cells);
    }

    public List<String> inputs() {
        Set<String> inputs = new LinkedHashSet<>();
        cells.forEach(c -> inputs.add(c.input()));
        return List.copyOf(inputs);
    }

    public List<String> methods() {
        Set<String> methods = new LinkedHashSet<>();
        cells.forEach(c -> methods.add(c.method()));
        return List.copyOf(methods);
    }

    /** The cell of an input and method, or null. */
    public Cell cell(String input, String method) {
        return cells.stream().filter(c -> c.input().equals(input) && c.method().equals(method)).findFirst()
                .orElse(null);
    }

    /** {@link #grid(int)} with cells {@value #CELL_WIDTH} pixels wide. */
    public BufferedImage grid() {
        return grid(CELL_WIDTH);
    }

    /**
     * The grid: one row per input, one column per method, each cell its titled picture (or its error) scaled to
     * {@code cellWidth} pixels.
     */
    public BufferedImage grid(int cellWidth) {
        List<String> inputs = inputs();
        List<String> methods = methods();
        int cellHeight = 0;
        for (Cell c : cells) {
            cellHeight = Math.max(cellHeight, c.picture() == null ? 80 : scaledHeight(c.picture(), cellWidth));
        }
        BufferedImage out = new BufferedImage(PAD + methods.size() * (cellWidth + PAD),
                PAD + inputs.size() * (cellHeight + PAD), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(0xdddddd));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int r = 0; r < inputs.size(); r++) {
            for (int m = 0; m < methods.size(); m++) {
                Cell c = cell(inputs.get(r), methods.get(m));
                int x = PAD + m * (cellWidth + PAD);
                int y = PAD + r * (cellHeight + PAD);
                g.setColor(Color.WHITE);
                g.fillRect(x, y, cellWidth, cellHeight);
                if (c != null && c.picture() != null) {
                    g.drawImage(c.picture(), x, y, cellWidth, scaledHeight(c.picture(), cellWidth), null);
                } else if (c != null) {
                    g.setColor(new Color(0xaa0000));
                    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
                    g.drawString(c.method() + " failed on " + c.input(), x + PAD, y + 20);
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                    g.drawString(c.error().length() > 50 ? c.error().substring(0, 50) + "..." : c.error(), x + PAD,
                            y + 38);
                }
            }
        }
        g.dispose();
        return out;
    }

    private static int scaledHeight(BufferedImage picture, int cellWidth) {
        return (int) Math.round(picture.getHeight() * (double) cellWidth / picture.getWidth());
    }
}
