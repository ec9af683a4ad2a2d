package io.xai4j.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong clock = new AtomicLong(100 * SECOND);
    private final StringWriter text = new StringWriter();

    private ConsoleProgress progress(boolean terminal) {
        return new ConsoleProgress(new PrintWriter(text), terminal, clock::get);
    }

    @Test
    void withoutATerminalLogsALineAtMostEveryFewSecondsWithTheEstimate() {
        ConsoleProgress p = progress(false);
        p.progress("rise", 0, 100);
        clock.addAndGet(2 * SECOND);
        p.progress("rise", 10, 100);
        assertThat(text.toString()).isEmpty();
        clock.addAndGet(3 * SECOND);
        p.progress("rise", 25, 100);
        assertThat(text.toString()).isEqualTo("rise: 25% 25/100 5.0s elapsed, about 15.0s left\n");
        clock.addAndGet(SECOND);
        p.progress("rise", 30, 100);
        clock.addAndGet(SECOND);
        p.progress("rise", 100, 100);
        assertThat(text.toString().lines()).hasSize(2).last().asString().isEqualTo("rise: 100% 100/100 7.0s elapsed");
    }

    @Test
    void theClockRestartsForEachTask() {
        ConsoleProgress p = progress(false);
        p.progress("rise", 0, 10);
        clock.addAndGet(60 * SECOND);
        p.progress("occlusion", 0, 10);
        clock.addAndGet(6 * SECOND);
        p.progress("occlusion", 5, 10);
        assertThat(text.toString()).isEqualTo("occlusion: 50% 5/10 6.0s elapsed, about 6.0s left\n");
    }

    @Test
    void onATerminalDrawsABarInPlaceAndClearsItWhenDone() {
        ConsoleProgress p = progress(true);
        p.progress("grad-cam", 0, 4);
        clock.addAndGet(SECOND);
        p.progress("grad-cam", 1, 4);
        assertThat(text.toString()).contains("\rgrad-cam").contains("[#######").contains(" 25% 1/4 1.0s elapsed, about 3.0s left");
        p.progress("grad-cam", 4, 4);
        assertThat(text.toString()).endsWith("\r");
    }

    @Test
    void durationsReadNaturally() {
        assertThat(ConsoleProgress.duration(4.25)).isEqualTo("4.3s");
        assertThat(ConsoleProgress.duration(185)).isEqualTo("3m 05s");
        assertThat(ConsoleProgress.duration(3720)).isEqualTo("1h 02m");
    }
}
