package io.xai4j.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatcherTest {

    private static List<int[]> ranges(Batcher batcher, int total, long bytesPerItem) {
        List<int[]> ranges = new ArrayList<>();
        batcher.forEach("test", total, bytesPerItem, (start, end) -> ranges.add(new int[] {start, end}));
        return ranges;
    }

    @Test
    void maxBatchSizeLimitsEachCall() {
        Batcher batcher = new Batcher(4, Long.MAX_VALUE, null);

        assertThat(ranges(batcher, 10, 100)).containsExactly(new int[] {0, 4}, new int[] {4, 8}, new int[] {8, 10});
    }

    @Test
    void memoryBudgetLimitsEachCall() {
        Batcher batcher = new Batcher(64, 1000, null);

        assertThat(batcher.batchSize(300)).isEqualTo(3);
        assertThat(ranges(batcher, 7, 300)).containsExactly(new int[] {0, 3}, new int[] {3, 6}, new int[] {6, 7});
    }

    @Test
    void theTighterLimitWins() {
        assertThat(new Batcher(2, 1000, null).batchSize(100)).isEqualTo(2);
        assertThat(new Batcher(20, 1000, null).batchSize(100)).isEqualTo(10);
    }

    @Test
    void itemsLargerThanTheBudgetStillRunOneAtATime() {
        Batcher batcher = new Batcher(8, 10, null);

        assertThat(batcher.batchSize(1_000_000)).isEqualTo(1);
        assertThat(ranges(batcher, 2, 1_000_000)).containsExactly(new int[] {0, 1}, new int[] {1, 2});
    }

    @Test
    void noItemsMeansNoCalls() {
        assertThat(ranges(Batcher.defaults(), 0, 4)).isEmpty();
    }

    @Test
    void progressIsReportedBeforeAndAfterEveryBatch() {
        List<String> events = new ArrayList<>();
        Batcher batcher = new Batcher(3, Long.MAX_VALUE, (task, done, total) -> events.add(task + " " + done + "/" + total));

        batcher.forEach("occlusion", 7, 1, (start, end) -> events.add("run " + start + "-" + end));

        assertThat(events).containsExactly("occlusion 0/7", "run 0-3", "occlusion 3/7", "run 3-6", "occlusion 6/7",
                "run 6-7", "occlusion 7/7");
    }

    @Test
    void withersKeepTheOtherSettings() {
        ProgressListener listener = (task, done, total) -> { };
        Batcher batcher = new Batcher(5, 777, null).withListener(listener).withMaxBatchSize(2);

        assertThat(batcher).isEqualTo(new Batcher(2, 777, listener));
        assertThat(new Batcher(5, 777, null).listener()).isSameAs(ProgressListener.NONE);
    }

    @Test
    void rejectsNonPositiveLimits() {
        assertThatThrownBy(() -> new Batcher(0, 1, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch size must be >= 1, got 0");
        assertThatThrownBy(() -> new Batcher(1, 0, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("memory budget");
    }
}
