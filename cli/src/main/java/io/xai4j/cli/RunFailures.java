package io.xai4j.cli;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs of an {@code explain}, {@code compare} or {@code evaluate} run (one method on one input) that failed. A failure is reported
 * on stderr when it happens, with its error, and the run goes on with the other jobs; at the end the run exits with
 * the first failure's exit code. A run of one job fails as any command does.
 */
final class RunFailures {
    private final PrintWriter err;
    private final boolean debug;
    private final int jobs;
    private final List<String> failed = new ArrayList<>();
    private int exitCode;

    RunFailures(PrintWriter err, boolean debug, int jobs) {
        this.err = err;
        this.debug = debug;
        this.jobs = jobs;
    }

    /**
     * Runs one job, {@code what} naming it (e.g. {@code grad-cam on x.png}); reports it and goes on if it fails,
     * unless the run was cancelled.
     *
     * @return the job's error, reported, or null when it succeeded
     */
    RuntimeException attempt(String what, Runnable job) {
        if (jobs == 1) {
            job.run();
            return null;
        }
        try {
            job.run();
            return null;
        } catch (RuntimeException e) {
            if (e instanceof XaiException x && x.code() == ErrorCode.CANCELLED) {
                throw e;   // the whole run stops; the next jobs would be refused as well
            }
            failed(what, Cli.printError(e, what + ": ", err, debug));
            return e;
        }
    }

    /** Records a job that failed with exit code {@code code}, already reported. */
    void failed(String what, int code) {
        if (failed.isEmpty()) {
            exitCode = code;
        }
        failed.add(what + " (exit " + code + ")");
    }

    /** 0 when every job succeeded; otherwise prints which failed and returns the first failure's exit code. */
    int exitCode() {
        if (!failed.isEmpty()) {
            err.println("error: " + failed.size() + " of " + jobs + " explanations failed: " + String.join(", ", failed)
                    + "; the others were written. Exit code " + exitCode + " is the first failure's");
            err.flush();
        }
        return exitCode;
    }
}
