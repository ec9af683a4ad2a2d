package io.xai4j.cli;

import io.xai4j.batch.ProgressListener;
import java.io.PrintWriter;

/** A one-line progress bar on stderr, redrawn in place; silent unless stderr is a terminal. */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean enabled;
    private final long startNanos = System.nanoTime();
    private int lastPercent = -1;

    ProgressBar(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Whether stderr is an interactive terminal (no redirection). */
    static boolean stderrIsTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void progress(String task, long done, long total) {
        if (!enabled || total <= 0) {
            return;
        }
        int percent = (int) (100 * done / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = WIDTH * percent / 100;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        err.printf("\r%-18s [%s%s] %3d%% %d/%d %.1fs", task, "#".repeat(filled), " ".repeat(WIDTH - filled),
                percent, done, total, seconds);
        if (done >= total) {
            err.print("\r" + " ".repeat(80) + "\r");
            lastPercent = -1;
        }
        err.flush();
    }
}
