package io.xai4j.onnx;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts native handles this module holds open, so that leaks can be detected. */
final class NativeResources {
    static final AtomicInteger TENSORS = new AtomicInteger();
    static final AtomicInteger RESULTS = new AtomicInteger();
    static final AtomicInteger SESSIONS = new AtomicInteger();

    private NativeResources() {
    }

    /** Open input tensors, run results and sessions together. */
    static int open() {
        return TENSORS.get() + RESULTS.get() + SESSIONS.get();
    }
}
