package io.xai4j.batch;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress for people: on a terminal, one line redrawn in place with a bar, the fraction done, the time spent and
 * an estimate of the time left; elsewhere (a log, a CI job), a plain line at most every {@link #LOG_INTERVAL_SECONDS}
 * seconds with the same numbers, and one when a task that was logged finishes. The clock restarts for each task
 * (a method's passes, e.g. {@code rise}), when the task's name changes or it starts over from zero.
 */
public final class ConsoleProgress implements ProgressListener {
    /** The least time between two log lines without a terminal. */
    public static final double LOG_INTERVAL_SECONDS = 5;
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier nanos;
    private String task;
    private long startNanos;
    private long lastLineNanos;
    private boolean logged;
    private int lastPercent = -1;

    /**
     * @param terminal whether {@code out} is an interactive terminal (draw a bar) or not (log lines)
     * @param nanos    the clock, {@code System::nanoTime} outside tests
     */
    public ConsoleProgress(PrintWriter out, boolean terminal, LongSupplier nanos) {
        this.out = out;
        this.terminal = terminal;
        this.nanos = nanos;
    }

    /** Progress on {@code out}, a bar when stderr is a terminal. */
    public static ConsoleProgress onStderr(PrintWriter out) {
        return new ConsoleProgress(out, stderrIsTerminal(), System::nanoTime);
    }

    /** Whether stderr is an interactive terminal (no redirection). */
    public static boolean stderrIsTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public synchronized void progress(String name, long done, long total) {
        if (total <= 0) {
            return;
        }
        long now = nanos.getAsLong();
        if (!name.equals(task) || done == 0 && lastPercent > 0) {
            task = name;
            startNanos = now;
            lastLineNanos = now;
            logged = false;
            lastPercent = -1;
        }
        int percent = (int) (100 * done / total);
        double elapsed = (now - startNanos) / 1e9;
        String numbers = String.format(Locale.ROOT, "%3d%% %d/%d %s elapsed%s", percent, done, total,
                duration(elapsed), done > 0 && done < total ? ", about " + duration(elapsed * (total - done) / done)
                        + " left" : "");
        if (terminal) {
            if (percent != lastPercent) {
                int filled = WIDTH * percent / 100;
                out.printf("\r%-18s [%s%s] %s", name, "#".repeat(filled), " ".repeat(WIDTH - filled), numbers);
                out.print(done >= total ? "\r" + " ".repeat(100) + "\r" : "");
            }
        } else if ((now - lastLineNanos) / 1e9 >= LOG_INTERVAL_SECONDS && done < total || done >= total && logged) {
            out.println(name + ": " + numbers.trim());
            lastLineNanos = now;
            logged = done < total;
        }
        lastPercent = percent;
        out.flush();
    }

    /** {@code 4.2s}, {@code 3m 05s} or {@code 1h 02m}. */
    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        return s < 3600 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60)
                : String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
    }
}
