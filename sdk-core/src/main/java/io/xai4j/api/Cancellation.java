package io.xai4j.api;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A handle that stops work in progress: {@link #call} runs an explanation (or any model calls) on this thread with
 * the handle in force; {@link #cancel} from any thread, or the timeout of {@link #after}, stops it. Model backends
 * stop a native run at once (ONNX Runtime's terminate flag) and check the handle before each run, so the work ends
 * with an {@link ErrorCode#CANCELLED} error, releasing its native memory; no result is returned, so no files are
 * written from it.
 *
 * <pre>{@code
 * try (Cancellation limit = Cancellation.after(Duration.ofSeconds(30))) {
 *     List<Explanation> result = limit.call(() -> xai.explain(model, input, options));
 * }
 * }</pre>
 */
public final class Cancellation implements AutoCloseable {
    private static final ThreadLocal<Cancellation> CURRENT = new ThreadLocal<>();
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "xai4j-timeout");
        t.setDaemon(true);
        return t;
    });

    private final Set<Runnable> terminators = new LinkedHashSet<>();
    private ScheduledFuture<?> timer;
    private String reason;

    private Cancellation() {
    }

    /** A handle cancelled only by {@link #cancel}. */
    public static Cancellation create() {
        return new Cancellation();
    }

    /**
     * A handle that cancels itself {@code timeout} from now (and by {@link #cancel}); {@link #close} stops the clock.
     *
     * @throws XaiException {@link ErrorCode#INVALID_ARGUMENT} unless the timeout is positive
     */
    public static Cancellation after(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "a timeout must be positive, got " + timeout);
        }
        Cancellation c = new Cancellation();
        String why = "timed out after " + describe(timeout);
        synchronized (c) {
            c.timer = TIMER.schedule(() -> c.cancel(why), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        return c;
    }

    /** The handle in force on this thread (inside {@link #call}), or null. Backends read it before each run. */
    public static Cancellation current() {
        return CURRENT.get();
    }

    /** Runs {@code work} on this thread with this handle in force, and returns its result. */
    public <T> T call(Supplier<T> work) {
        Cancellation previous = CURRENT.get();
        CURRENT.set(this);
        try {
            throwIfCancelled();
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Cancels the work: runs in progress are terminated and later ones refused. Does nothing the second time. */
    public void cancel() {
        cancel("cancelled");
    }

    private synchronized void cancel(String why) {
        if (reason != null) {
            return;
        }
        reason = why;
        terminators.forEach(Runnable::run);
        terminators.clear();
    }

    public synchronized boolean isCancelled() {
        return reason != null;
    }

    /** @throws XaiException {@link ErrorCode#CANCELLED} when cancelled */
    public void throwIfCancelled() {
        XaiException error = error();
        if (error != null) {
            throw error;
        }
    }

    /** The {@link ErrorCode#CANCELLED} error saying why, or null while not cancelled. */
    public synchronized XaiException error() {
        return reason == null ? null : new XaiException(ErrorCode.CANCELLED, "the explanation was " + reason);
    }

    /** Registration of a terminator; closing it guarantees the terminator is not running and never will. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Calls {@code terminate} (which must be quick, e.g. setting a native run's terminate flag) when cancelled, or
     * at once when already cancelled; until the returned registration is closed.
     */
    public synchronized Registration onCancel(Runnable terminate) {
        if (reason != null) {
            terminate.run();
            return () -> { };
        }
        terminators.add(terminate);
        return () -> {
            synchronized (this) {
                terminators.remove(terminate);
            }
        };
    }

    /** Stops the clock of {@link #after}; the handle stays as it is. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
