package io.xai4j.batch;

/** Receives progress of long work. Called from the working thread; keep it cheap. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (task, done, total) -> { };

    /**
     * @param task  a short description, e.g. {@code occlusion}
     * @param done  items finished so far
     * @param total items in all
     */
    void progress(String task, long done, long total);
}
