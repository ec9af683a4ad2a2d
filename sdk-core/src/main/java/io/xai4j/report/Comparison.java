package io.xai4j.report;

import io.xai4j.explain.Explanation;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricResult;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
    private final Set<String> inputs = new LinkedHashSet<>();
    private final Map<String, String> unreadable = new LinkedHashMap<>();
    private final Map<List<String>, List<MetricResult>> scores = new LinkedHashMap<>();
    private final List<MetricDescriptor> metrics = new ArrayList<>();

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
        inputs.add(cell.input());
    }

    /** The metrics every cell is scored with, in order: the report gets a section of their scores. */
    public void scoreWith(List<MetricDescriptor> descriptors) {
        metrics.clear();
        metrics.addAll(descriptors);
    }

    /** The metrics the cells are scored with; empty when none are. */
    public List<MetricDescriptor> metrics() {
        return List.copyOf(metrics);
    }

    /** The metric results of one input and method, one per metric of {@link #metrics()}. */
    public void addScores(String input, String method, List<MetricResult> results) {
        scores.put(List.of(input, method), List.copyOf(results));
    }

    /** The metric results of an input and method; empty when it was not scored (it failed, or no metric was asked). */
    public List<MetricResult> scores(String input, String method) {
        return scores.getOrDefault(List.of(input, method), List.of());
    }

    /** An input that could not be read, with why: its row says so instead of holding pictures. */
    public void addUnreadable(String input, String error) {
        unreadable.put(input, error);
        inputs.add(input);
    }

    /** Why an input could not be read, or null when it was read. */
    public String unreadable(String input) {
        return unreadable.get(input);
    }

    public List<Cell> cells() {
        return List.copyOf(cells);
    }

    /** The inputs in the order they were added, read or not. */
    public List<String> inputs() {
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
     * {@code cellWidth} pixels; the row of an input that could not be read says why across its width.
     */
    public BufferedImage grid(int cellWidth) {
        List<String> inputs = inputs();
        List<String> methods = methods();
        int columns = Math.max(1, methods.size());
        int cellHeight = 80;
        for (Cell c : cells) {
            cellHeight = Math.max(cellHeight, c.picture() == null ? 80 : scaledHeight(c.picture(), cellWidth));
        }
        BufferedImage out = new BufferedImage(PAD + columns * (cellWidth + PAD),
                PAD + inputs.size() * (cellHeight + PAD), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(0xdddddd));
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int r = 0; r < inputs.size(); r++) {
            int y = PAD + r * (cellHeight + PAD);
            String input = inputs.get(r);
            if (unreadable.containsKey(input)) {
                int width = columns * (cellWidth + PAD) - PAD;
                g.setColor(Color.WHITE);
                g.fillRect(PAD, y, width, cellHeight);
                failure(g, input + " could not be read", unreadable.get(input), PAD, y, width, cellHeight);
                continue;
            }
            for (int m = 0; m < methods.size(); m++) {
                Cell c = cell(input, methods.get(m));
                int x = PAD + m * (cellWidth + PAD);
                g.setColor(Color.WHITE);
                g.fillRect(x, y, cellWidth, cellHeight);
                if (c != null && c.picture() != null) {
                    g.drawImage(c.picture(), x, y, cellWidth, scaledHeight(c.picture(), cellWidth), null);
                } else if (c != null) {
                    failure(g, c.method() + " failed on " + c.input(), c.error(), x, y, cellWidth, cellHeight);
                }
            }
        }
        g.dispose();
        return out;
    }

    /** A failure's heading in bold, then its message wrapped to the box's width, as many lines as fit. */
    private static void failure(Graphics2D g, String heading, String message, int x, int y, int width, int height) {
        g.setColor(new Color(0xaa0000));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(heading, x + PAD, y + 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics metrics = g.getFontMetrics();
        int lineHeight = metrics.getHeight();
        int lineY = y + 38;
        StringBuilder line = new StringBuilder();
        for (String word : message.split(" ")) {
            String longer = line.isEmpty() ? word : line + " " + word;
            if (metrics.stringWidth(longer) <= width - 2 * PAD || line.isEmpty()) {
                line.setLength(0);
                line.append(longer);
                continue;
            }
            if (lineY + lineHeight > y + height) {
                g.drawString(line + " ...", x + PAD, lineY);
                return;
            }
            g.drawString(line.toString(), x + PAD, lineY);
            lineY += lineHeight;
            line.setLength(0);
            line.append(word);
        }
        g.drawString(line.toString(), x + PAD, lineY);
    }

    private static int scaledHeight(BufferedImage picture, int cellWidth) {
        return (int) Math.round(picture.getHeight() * (double) cellWidth / picture.getWidth());
    }
}
