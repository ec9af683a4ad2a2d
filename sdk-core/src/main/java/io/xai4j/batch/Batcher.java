package io.xai4j.batch;

/**
 * The one batching policy of the SDK: splits N items (perturbed inputs, noise samples, integration steps)
 * into model calls of at most {@code maxBatchSize} items, and at most {@code memoryBudgetBytes} of
 * per-item memory, and reports progress to a listener.
 *
 * @param maxBatchSize      the largest batch per call (>= 1)
 * @param memoryBudgetBytes the most memory one batch may take, counted with the caller's per-item estimate
 * @param listener          receives progress after every batch
 */
public record Batcher(int maxBatchSize, long memoryBudgetBytes, ProgressListener listener) {
    public static final int DEFAULT_MAX_BATCH = 64;
    public static final long DEFAULT_MEMORY_BUDGET = 1L << 30;

    public Batcher {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + maxBatchSize);
        }
        if (memoryBudgetBytes < 1) {
            throw new IllegalArgumentException("memory budget must be >= 1 byte, got " + memoryBudgetBytes);
        }
        listener = listener == null ? ProgressListener.NONE : listener;
    }

    public static Batcher defaults() {
        return new Batcher(DEFAULT_MAX_BATCH, DEFAULT_MEMORY_BUDGET, ProgressListener.NONE);
    }

    public Batcher withMaxBatchSize(int size) {
        return new Batcher(size, memoryBudgetBytes, listener);
    }

    public Batcher withListener(ProgressListener l) {
        return new Batcher(maxBatchSize, memoryBudgetBytes, l);
    }

    /** The batch size for items of the given size: limited by both the maximum and the memory budget. */
    public int batchSize(long bytesPerItem) {
        long byMemory = Math.max(1, memoryBudgetBytes / Math.max(1, bytesPerItem));
        return (int) Math.min(maxBatchSize, byMemory);
    }

    /** A range of items, {@code [start, end)}. */
    @FunctionalInterface
    public interface Body {
        void run(int start, int end);
    }

    /** Calls {@code body} on consecutive ranges covering {@code [0, total)}, reporting progress after each. */
    public void forEach(String task, int total, long bytesPerItem, Body body) {
        int size = batchSize(bytesPerItem);
        listener.progress(task, 0, total);
        for (int start = 0; start < total; start += size) {
            int end = Math.min(total, start + size);
            body.run(start, end);
            listener.progress(task, end, total);
        }
    }
}
