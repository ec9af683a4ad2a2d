package io.xai4j.testing;

import io.xai4j.batch.ProgressListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records the model calls of one run ({@link #call}) and the progress it reports, in order, and judges the
 * reports: each within {@code 0 <= done <= total}, never going back within a task except to start it again at 0,
 * each task's last report complete ({@code done == total}), and, when the run made two or more calls, a report
 * between its first and its last call.
 */
final class ProgressLog implements ProgressListener {
    private record Report(String task, long done, long total) {
    }

    private static final Object CALL = new Object();
    private final List<Object> events = new ArrayList<>();

    /** Records a model call. */
    synchronized void call() {
        events.add(CALL);
    }

    @Override
    public synchronized void progress(String task, long done, long total) {
        events.add(new Report(task, done, total));
    }

    synchronized int calls() {
        return (int) events.stream().filter(e -> e == CALL).count();
    }

    /** What is wrong with the progress reported, or empty. */
    synchronized Optional<String> problem() {
        Map<String, Report> last = new HashMap<>();
        for (Object e : events) {
            if (e instanceof Report r) {
                Report before = last.get(r.task());
                if (r.done() < 0 || r.done() > r.total()) {
                    return Optional.of("task '" + r.task() + "' reported " + r.done() + " of " + r.total() + " done");
                }
                if (before != null && r.done() < before.done() && r.done() != 0) {
                    return Optional.of("task '" + r.task() + "' went back from " + before.done() + " to " + r.done()
                            + " of " + r.total() + " done");
                }
                last.put(r.task(), r);
            }
        }
        for (Report r : last.values()) {
            if (r.done() != r.total()) {
                return Optional.of("task '" + r.task() + "' ended at " + r.done() + " of " + r.total() + " done");
            }
        }
        int first = events.indexOf(CALL);
        int end = events.lastIndexOf(CALL);
        if (calls() >= 2 && events.subList(first, end).stream().noneMatch(Report.class::isInstance)) {
            return Optional.of("it made " + calls() + " model calls with batches of one row but reported no progress "
                    + (last.isEmpty() ? "" : "between the first and the last ") + "through the batcher's listener");
        }
        return Optional.empty();
    }
}
